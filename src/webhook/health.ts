// What GET /healthz says about this instance: which one it is, its gateway shards, the tasks it
// follows and whether its database answers. Pure: bot.ts gathers the facts, this decides.
// A container HEALTHCHECK or a load balancer only reads the status code, so "unhealthy" must mean
// "this instance cannot do its job now": a shard not connected (its servers get no answers) or a
// database that does not answer (nothing can be recorded). A slow Midjourney API is not this
// instance's fault and would only make every instance look dead at once, so it is not counted.
import type { TrackerCounts } from '../tracking/types.js';

/** One gateway shard as discord.js reports it (`status` lower-cased from its Status enum). */
export interface ShardHealth {
  id: number;
  status: string;
  /** Last heartbeat round trip in ms, -1 before the first. */
  ping: number;
}

export type DatabaseHealth = { ok: true; backend: string } | { ok: false; backend: string; problem: string };

export interface HealthFacts {
  instanceId: string;
  /** The shards this instance runs; empty until discord.js has spawned them. */
  shards: readonly ShardHealth[];
  tracker: TrackerCounts;
  database: DatabaseHealth;
  /** Requests per second of Discord's global limit this instance may use now (its part of the cluster's). */
  discordShare: number;
  /** Requests per second towards the Midjourney API this instance may send now (its part of MJ_MAX_REQUESTS_PER_SECOND). */
  mjShare: number;
}

export interface HealthReport {
  healthy: boolean;
  /** The JSON body besides `status`. */
  fields: Record<string, unknown>;
}

export function healthReport(facts: HealthFacts): HealthReport {
  const shardsReady = facts.shards.length > 0 && facts.shards.every((shard) => shard.status === 'ready');
  const problems = [
    ...(facts.shards.length === 0 ? ['not connected to Discord yet'] : []),
    ...facts.shards.filter((s) => s.status !== 'ready').map((s) => `shard ${s.id} is ${s.status}`),
    ...(facts.database.ok ? [] : [`database: ${facts.database.problem}`]),
  ];
  return {
    healthy: shardsReady && facts.database.ok,
    fields: {
      instance: facts.instanceId,
      shards: facts.shards.map(({ id, status, ping }) => ({ id, status, ping })),
      tracker: facts.tracker,
      database: facts.database,
      discordShare: facts.discordShare,
      mjShare: facts.mjShare,
      ...(problems.length ? { problems } : {}),
    },
  };
}
