// One lane per Discord channel: a sliding budget (counted until each request is over), a pause after
// a 429, and one timer that wakes the lane when budget frees up. The lane does not know what it sends: `next(channelId)` names the job
// to start (already ordered by priority, with skippable work dropped), the lane decides when.
import type { Clock } from '../clock.js';
import { createSlidingBudget, type BudgetOptions, type SlidingBudget } from './budget.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface LaneJob {
  /** Dequeues and starts the job; called only when the budget allows it. Resolves once the request is over. */
  start(): Promise<unknown> | void;
}

export interface ChannelLanes {
  /** Starts as many jobs of this channel as the budget allows now; wakes itself up for the rest. */
  pump(channelId: string): void;
  /** No job starts in this channel for `ms` (Discord answered 429). */
  pause(channelId: string, ms: number): void;
  /** Clears every timer; pump() does nothing afterwards. */
  close(): void;
}

interface Lane {
  budget: SlidingBudget;
  pausedUntil: number;
  timer: TimerHandle | null;
}

export function createChannelLanes(deps: {
  clock: Clock;
  scheduler: Scheduler;
  budget: BudgetOptions;
  next(channelId: string): LaneJob | null;
}): ChannelLanes {
  const lanes = new Map<string, Lane>();
  let closed = false;
  let pumps = 0;
  /** Pumps between sweeps: a sweep walks every lane, so its cost spreads over this many pumps. */
  const SWEEP_EVERY = 1_024;

  /**
   * Drops lanes with nothing to remember (no timer, no pause, an idle budget): a bot that has posted
   * in 10,000 channels must not keep 10,000 lanes. laneOf() makes a fresh one when needed, and a fresh
   * lane behaves exactly like an idle one.
   */
  const sweep = (now: number) => {
    for (const [channelId, lane] of lanes) {
      if (lane.timer === null && lane.pausedUntil <= now && lane.budget.idle(now)) lanes.delete(channelId);
    }
  };

  const laneOf = (channelId: string): Lane => {
    let lane = lanes.get(channelId);
    if (!lane) lanes.set(channelId, (lane = { budget: createSlidingBudget(deps.budget), pausedUntil: 0, timer: null }));
    return lane;
  };

  const wakeIn = (channelId: string, lane: Lane, ms: number) => {
    if (lane.timer !== null) deps.scheduler.clearTimeout(lane.timer);
    lane.timer = deps.scheduler.setTimeout(() => {
      lane.timer = null;
      pump(channelId);
    }, ms);
  };

  function pump(channelId: string): void {
    if (++pumps % SWEEP_EVERY === 0) sweep(deps.clock.now());
    const lane = laneOf(channelId);
    while (!closed) {
      const now = deps.clock.now();
      if (lane.pausedUntil > now) return wakeIn(channelId, lane, lane.pausedUntil - now);
      const job = deps.next(channelId);
      if (!job) return;
      const wait = lane.budget.waitMs(now);
      if (wait > 0) return wakeIn(channelId, lane, wait);
      const finished = lane.budget.take(now);
      void Promise.resolve(job.start())
        .catch(() => undefined)
        .finally(() => {
          finished(deps.clock.now());
          pump(channelId);
        });
    }
  }

  return {
    pump,
    pause(channelId, ms) {
      const lane = laneOf(channelId);
      lane.pausedUntil = Math.max(lane.pausedUntil, deps.clock.now() + Math.max(0, ms));
    },
    close() {
      closed = true;
      for (const lane of lanes.values()) {
        if (lane.timer !== null) deps.scheduler.clearTimeout(lane.timer);
        lane.timer = null;
      }
    },
  };
}
