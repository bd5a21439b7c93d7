// Deletes finished rows and logged clicks past the retention: once at start, then every pruneEveryMs.
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import type { ResolvedTrackerOptions } from './poll-policy.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface Pruner {
  /** Prunes now and schedules the next run; resolves with the number of task rows deleted. */
  start(): Promise<number>;
  stop(): void;
}

export function createPruner(deps: {
  store: Pick<Store, 'tracked' | 'clicks'>;
  clock: Clock;
  scheduler: Scheduler;
  options: Pick<ResolvedTrackerOptions, 'finishedRetentionMs' | 'pruneEveryMs'>;
  /** Runs a step, logging what it rejects with (a failed prune must not stop the next one). */
  guard(step: string, run: () => Promise<unknown>): void;
}): Pruner {
  let timer: TimerHandle | null = null;
  let stopped = false;
  const prune = async (): Promise<number> => {
    const before = deps.clock.now() - deps.options.finishedRetentionMs;
    // The next run is scheduled first, so a prune that fails does not stop the ones after it.
    if (!stopped) timer = deps.scheduler.setTimeout(() => deps.guard('prune', prune), deps.options.pruneEveryMs);
    const pruned = await deps.store.tracked.prune(before);
    await deps.store.clicks.prune(before);
    return pruned;
  };
  return {
    start: prune,
    stop() {
      stopped = true;
      if (timer !== null) deps.scheduler.clearTimeout(timer);
      timer = null;
    },
  };
}
