// Which bot instances share the database now, and the part of each shared budget every one of them
// holds: Discord's global request limit and the Midjourney API's (share-keeper.ts divides them). Only
// PostgreSQL has one: on SQLite the bot is one instance, and its parts are fixed by its shards
// (discord/connection.ts).

/**
 * An instance not heard from within this is counted out: a third of the lease time (at most 10 s).
 * Its part of each budget goes to the others (discord/share-keeper.ts), and its tracked tasks are
 * free to claim, though their leases run on (store/pg/task-leases.ts): a killed instance's tasks are
 * taken over about this long after its last beat instead of when its leases run out, up to the whole
 * lease time after. Beats come five times as often, so an event loop that stalls for a few beats
 * under load does not count its instance out.
 */
export function aliveWindowMsFor(leaseTtlMs: number): number {
  return Math.max(1_000, Math.min(10_000, Math.floor(leaseTtlMs / 3)));
}

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
