// Which bot instances share the database now, and the part of Discord's global request limit each
// one holds (discord/share-keeper.ts divides it). Only PostgreSQL has one: on SQLite the bot is one
// instance, and its share is fixed by its shards (discord/connection.ts).

export interface InstanceBeat {
  instanceId: string;
  /** How many shards the instance runs (1 when it runs every shard the gateway recommends). */
  shards: number;
  /** Requests per second of Discord's global limit the instance may send now, at most. */
  share: number;
}

export interface InstanceRegistry {
  /**
   * Records `beat` as the instance's state now and answers every instance heard from within
   * `aliveMs`, this one included. Beats are serialized across the cluster: each one sees every
   * beat recorded before it (two at once must not each miss the other). Rows silent for much longer
   * are deleted.
   */
  beat(beat: InstanceBeat, aliveMs: number): Promise<InstanceBeat[]>;
  /** The instance stops: its row goes, so the others take its share on their next beat. */
  leave(instanceId: string): Promise<void>;
}
