// Which bot instances share the database now, and the part of each shared budget every one of them
// holds: Discord's global request limit and the Midjourney API's (share-keeper.ts divides them). Only
// PostgreSQL has one: on SQLite the bot is one instance, and its parts are fixed by its shards
// (discord/connection.ts).

/** The limits divided among the instances: DISCORD_MAX_REQUESTS_PER_SECOND and MJ_MAX_REQUESTS_PER_SECOND. */
export type SharedBudget = 'discord' | 'mj';

export interface InstanceBeat {
  budget: SharedBudget;
  instanceId: string;
  /** How many shards the instance runs (1 when it runs every shard the gateway recommends). */
  shards: number;
  /** Requests per second of the budget the instance may send now, at most. */
  share: number;
}

/** What a beat answers of an instance: its shards and its part of the same budget. */
export type LiveShare = Omit<InstanceBeat, 'budget'>;

export interface InstanceRegistry {
  /**
   * Records `beat` as the instance's part of its budget now and answers every instance heard from
   * within `aliveMs` on that budget, this one included. Beats are serialized across the cluster: each
   * one sees every beat recorded before it (two at once must not each miss the other). Rows silent
   * for much longer are deleted.
   */
  beat(beat: InstanceBeat, aliveMs: number): Promise<LiveShare[]>;
  /** The instance stops: its row for `budget` goes, so the others take its part on their next beat. */
  leave(instanceId: string, budget: SharedBudget): Promise<void>;
}
