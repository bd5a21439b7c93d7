// This instance's part of a limit the whole cluster shares while it shares a PostgreSQL database with
// other instances: Discord's global request limit (the publisher's global window follows) and the
// Midjourney API's (the MJ budget follows: the admin's key has one rate limit, however many instances
// use it). Every beat records its part and reads the others' (store/instances.ts); clusterShareOf in
// connection.ts says how much. A fixed part by shards (shareByShards) left a survivor of a SIGKILL at
// its half for good: the taken-over tasks' results drained at 22 requests/s while the other 23 went unused.
import type { Clock } from '../clock.js';
import type { Config } from '../config/load.js';
import type { EventLog } from '../log.js';
import { aliveWindowMsFor, type InstanceRegistry, type SharedBudget } from '../store/instances.js';
import type { Scheduler, TimerHandle } from '../tracking/scheduler.js';
import { clusterShareOf, shardWeightOf, shareByShards } from './connection.js';

/** Beats per alive window (see aliveWindowMsFor). */
const BEATS_PER_ALIVE_WINDOW = 5;

export interface ShareKeeper {
  /** The first beat: the part to use from the start. Resolves when it is applied, whatever the database said. */
  start(): Promise<void>;
  /** Stops beating and removes this instance's row, so the others take its part at once. */
  stop(): Promise<void>;
}

export interface ShareKeeperDeps {
  /** Which limit this keeper divides; also the prefix of its log events. */
  budget: SharedBudget;
  instanceId: string;
  /** Shards this instance runs (shardWeightOf). */
  shards: number;
  /** The whole cluster's limit (DISCORD_MAX_REQUESTS_PER_SECOND or MJ_MAX_REQUESTS_PER_SECOND). */
  max: number;
  /** The part to fall back to while the database cannot be asked (the part by shards alone). */
  fixed: number;
  registry: InstanceRegistry;
  /** Applies a new part (the publisher's global window, or the MJ budget's rate). */
  apply(share: number): void;
  scheduler: Scheduler;
  clock: Clock;
  log: EventLog;
  /** See aliveWindowMsFor (store/instances.ts). */
  aliveMs: number;
  /**
   * Instances the last beat heard from and this one does not: counted out (killed, stalled) or gone
   * (a clean stop). Their tasks are free to claim now (tracking/leases.ts claimFreed).
   */
  onGone?(instanceIds: string[]): void;
}

export function createShareKeeper(deps: ShareKeeperDeps): ShareKeeper {
  const { aliveMs, budget } = deps;
  const beatMs = Math.floor(aliveMs / BEATS_PER_ALIVE_WINDOW);
  // Nothing is sent before the first beat, so nothing is in use: the first record may start anywhere.
  let current = 0;
  let recorded = 0;
  let timer: TimerHandle | null = null;
  let stopped = false;
  let failing = false;
  let watchdog: TimerHandle | null = null;
  /** The other instances the last answered beat heard from. */
  let heard = new Set<string>();

  // The others count this instance out once its last record is older than the alive window, and
  // divide its part among them; it must not go on using it. A beat that waits that long (a pool
  // whose connections are all busy, a slow server) drops this instance to 1 request/s until one lands.
  const watch = (sentAt: number) => {
    if (watchdog !== null) deps.scheduler.clearTimeout(watchdog);
    watchdog = deps.scheduler.setTimeout(
      () => {
        watchdog = null;
        if (stopped || current <= 1) return;
        deps.log.warn(
          { event: `${budget}.share_counted_out`, share: current, silentMs: deps.clock.now() - sentAt },
          'no beat recorded within the alive window: using 1 request/s until one is',
        );
        use(1);
      },
      sentAt + aliveMs - beatMs - deps.clock.now(),
    );
  };

  const use = (share: number) => {
    if (share === current) return;
    deps.log.info(
      { event: `${budget}.share_changed`, from: current, to: share },
      `share of the ${budget} limit changed`,
    );
    current = share;
    deps.apply(share);
  };

  /** Records `share` (and reads the others'); null when the database did not answer. */
  const record = async (share: number) => {
    const sentAt = deps.clock.now();
    try {
      const live = await deps.registry.beat(
        { budget, instanceId: deps.instanceId, shards: deps.shards, share },
        aliveMs,
      );
      recorded = share;
      watch(sentAt);
      if (failing) deps.log.info({ event: `${budget}.share_recovered`, share }, 'instance registry answers again');
      failing = false;
      return live.filter((i) => i.instanceId !== deps.instanceId);
    } catch (err) {
      if (!failing)
        deps.log.warn(
          { event: `${budget}.share_beat_failed`, err, share: Math.min(current || deps.fixed, deps.fixed) },
          'cannot reach the instance registry: keeping at most the part by shards',
        );
      failing = true;
      return null;
    }
  };

  const beat = async () => {
    const others = await record(recorded);
    if (others === null) {
      // Others may have grown into what they saw free: never more than the part by shards.
      use(Math.min(current || deps.fixed, deps.fixed));
      return;
    }
    const live = new Set(others.map((i) => i.instanceId));
    const gone = [...heard].filter((id) => !live.has(id));
    heard = live;
    if (gone.length > 0 && deps.onGone) {
      deps.log.info(
        { event: 'cluster.instances_gone', instanceIds: gone },
        'instances stopped or fell silent: taking their tasks over',
      );
      deps.onGone(gone);
    }
    const target = clusterShareOf(deps.max, deps.shards, others);
    if (target < current) use(target); // shrink first, then say so
    let granted = target;
    if (target > recorded) {
      // More than is recorded is used only once it is recorded, and only as far as the others' parts
      // read in that same step leave free: an instance that recorded its own growth meanwhile (two
      // starting together each saw the other at 0) is seen there, as the registry serializes beats.
      const fresh = await record(target);
      if (fresh === null) return; // not recorded: the current part stays
      granted = Math.min(target, clusterShareOf(deps.max, deps.shards, fresh));
    } else if (target < recorded) {
      // Safe to use already (this beat's read was taken with the larger record in place); then say so.
      await record(target);
    }
    if (granted > current) use(granted);
  };

  /** The beat in flight, if any: stop() waits for it, so its record cannot land after the leave. */
  let beating: Promise<void> | null = null;
  const beatOnce = () =>
    (beating = beat()
      .catch((err: unknown) =>
        deps.log.error(
          { event: `${budget}.share_beat_failed`, err },
          `could not apply the share of the ${budget} limit`,
        ),
      )
      .finally(() => (beating = null)));

  const schedule = () => {
    if (stopped) return;
    timer = deps.scheduler.setTimeout(() => {
      timer = null;
      void beatOnce().then(schedule);
    }, beatMs);
  };

  return {
    async start() {
      await beatOnce();
      schedule();
    },
    async stop() {
      stopped = true;
      for (const t of [timer, watchdog]) if (t !== null) deps.scheduler.clearTimeout(t);
      timer = watchdog = null;
      await beating;
      await deps.registry.leave(deps.instanceId, budget).catch(() => undefined);
    },
  };
}

/** What a keeper needs besides its budget: where to record, and the clocks. */
export interface ShareKeeperTools {
  registry: InstanceRegistry;
  scheduler: Scheduler;
  clock: Clock;
  log: EventLog;
  /** See ShareKeeperDeps.onGone. */
  onGone?(instanceIds: string[]): void;
}

/** The keeper of `budget` for this configuration, applying each new part with `apply`. */
function shareKeeperFor(
  budget: SharedBudget,
  config: Config,
  apply: (share: number) => void,
  tools: ShareKeeperTools,
): ShareKeeper {
  const max = budget === 'discord' ? config.discord.maxRequestsPerSecond : config.mj.maxRequestsPerSecond;
  return createShareKeeper({
    budget,
    instanceId: config.instance.id,
    shards: shardWeightOf(config.discord),
    max,
    fixed: shareByShards(max, config.discord.shards),
    apply,
    ...tools,
    aliveMs: aliveWindowMsFor(config.instance.leaseTtlMs),
  });
}

/**
 * Both keepers as one: started together before any request, stopped together. Without a registry
 * (SQLite: one instance) there is nothing to divide and this is null.
 */
export function clusterSharesFor(
  config: Config,
  apply: Partial<Record<SharedBudget, (share: number) => void>>,
  tools: Omit<ShareKeeperTools, 'registry'> & { registry: InstanceRegistry | null },
): { start(): Promise<void>; stop(): Promise<void> } | null {
  const { registry, onGone, ...rest } = tools;
  if (!registry) return null;
  // Every instance beats for each budget: one keeper telling who is gone is enough.
  const keepers = (Object.keys(apply) as SharedBudget[]).map((budget, i) =>
    shareKeeperFor(budget, config, apply[budget]!, { ...rest, registry, ...(i === 0 && onGone ? { onGone } : {}) }),
  );
  return {
    start: async () => void (await Promise.all(keepers.map((k) => k.start()))),
    stop: async () => void (await Promise.all(keepers.map((k) => k.stop()))),
  };
}
