// Deletes finished rows and logged clicks past the retention: once at start, then every pruneEveryMs.
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import type { ResolvedTrackerOptions } from './poll-policy.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface Pruner {
  /** Prunes now and schedules the next run; returns the number of task rows deleted. */
  start(): number;
  stop(): void;
}

export function createPruner(deps: {
  store: Pick<Store, 'tracked' | 'clicks'>;
  clock: Clock;
  scheduler: Scheduler;
  options: Pick<ResolvedTrackerOptions, 'finishedRetentionMs' | 'pruneEveryMs'>;
  /** Runs a step, logging what it throws (a failed prune must not stop the next one). */
  guard(step: string, fn: () => void): void;
}): Pruner {
  let timer: TimerHandle | null = null;
  const prune = (): number => {
    const before = deps.clock.now() - deps.options.finishedRetentionMs;
    const pruned = deps.store.tracked.prune(before);
    deps.store.clicks.prune(before);
    timer = deps.scheduler.setTimeout(() => deps.guard('prune', () => void prune()), deps.options.pruneEveryMs);
    return pruned;
  };
  return {
    start: prune,
    stop() {
      if (timer !== null) deps.scheduler.clearTimeout(timer);
      timer = null;
    },
  };
}
