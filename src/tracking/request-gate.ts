// Which Discord request may start now, across every channel: pure bookkeeping, time passed in, no
// timers (channel-lanes.ts drives it). Two limits hold at once: one window over all requests of the
// gate (Discord's global 50/s; the gate keeps 45 by default) and one per lane (a channel's routes,
// Discord's 5 per 5 s bucket). Requests are taken by class, best first: a task's result, then the
// first progress message of a task, then deletes of progress messages, then further progress edits.
// Within a class lanes take turns (a served lane goes to the back), so one busy channel cannot keep
// others waiting. A few places of every window are kept for results only (`reserve`): progress can
// never fill a window a result then has to wait out. Edits are coalesced by the caller (one queued
// state per message, the latest), so the busier the gate, the longer an edit waits and the more
// states it folds into one request; how many edits go out never exceeds what the windows allow.
// Interaction webhooks (progress through the interaction's own token) do not count against Discord's
// global limit: they run through a second gate of their own (see channel-lanes.ts). Once Discord has
// answered a lane, its own headers (reported-bucket.ts) replace the lane's estimate.
import { createSlidingBudget, type BudgetOptions, type SlidingBudget } from './budget.js';
import {
  createReportedBuckets,
  methodOfClass,
  type BucketReport,
  type ReportedBuckets,
  type RouteMethod,
} from './reported-bucket.js';

/** Best first. */
export const REQUEST_CLASSES = ['result', 'first_progress', 'delete', 'edit'] as const;
export type RequestClass = (typeof REQUEST_CLASSES)[number];

export interface RequestGateOptions {
  /** Every request of this gate, in any window. */
  global: BudgetOptions;
  /** Every request of one lane (a channel), in any window. */
  lane: BudgetOptions;
  /** Places of the global window only results may take (default: a tenth of it, at least 1 when the limit allows). */
  globalReserve?: number;
  /** Places of a lane's window only results may take (default 1 when the lane limit is above 1). */
  laneReserve?: number;
}

export type GateDecision =
  /** Start the best waiting request of this lane now (then call take()). */
  | { kind: 'start'; lane: string; cls: RequestClass }
  /** Something waits, but nothing may start for `ms`. */
  | { kind: 'wait'; ms: number }
  | { kind: 'idle' };

export interface RequestGateCounts {
  /** Requests counted in the global window now. */
  inWindow: number;
  /** The global window's limit now. */
  limit: number;
  /** Lanes waiting, by the class of their best request. */
  waiting: Record<RequestClass, number>;
  /** Requests started since the gate was made, by class. */
  started: Record<RequestClass, number>;
}

export interface RequestGate {
  /** The class of the best request waiting in `lane` (null: nothing waits there). Tell it after every change. */
  setWaiting(lane: string, cls: RequestClass | null): void;
  /** Nothing starts in `lane` before `until` (Discord answered 429). */
  pause(lane: string, until: number): void;
  /** Discord's rate-limit headers on an answer of `method` in `lane`: from now on they decide the lane. */
  observe(lane: string, method: RouteMethod, report: BucketReport, now: number): void;
  next(now: number): GateDecision;
  /** Records the start of a `cls` request in `lane`; call the returned function once it is over. */
  take(lane: string, cls: RequestClass, now: number): (finishedAt: number) => void;
  /** Forgets lanes with nothing to remember (idle budget, no pause, nothing waiting). */
  sweep(now: number): void;
  counts(now: number): RequestGateCounts;
  /**
   * From now on the global window holds `limit` (this instance's share of Discord's global limit
   * changed: discord/share-keeper.ts). The results' reserve follows it unless it was set.
   */
  setGlobalLimit(limit: number): void;
}

interface Lane {
  budget: SlidingBudget;
  /** What Discord said of the lane's buckets; null until its first answer with headers. */
  reported: ReportedBuckets | null;
  inFlight: number;
  pausedUntil: number;
  waiting: RequestClass | null;
  /**
   * Nothing may start here before this (0: not known). A lane's wait only shrinks as time passes
   * until something changes it (a finish, a pause, Discord's headers, its class), which clears this:
   * next() then skips a lane it already asked instead of asking its budgets again on every decision,
   * which with thousands of interaction lanes waiting on their own windows was most of its work.
   */
  eligibleAt: number;
}

const perClass = <T>(make: () => T): Record<RequestClass, T> =>
  Object.fromEntries(REQUEST_CLASSES.map((c) => [c, make()])) as Record<RequestClass, T>;

export function createRequestGate(options: RequestGateOptions): RequestGate {
  const global = createSlidingBudget(options.global);
  const reserveFor = (limit: number) => options.globalReserve ?? (limit > 1 ? Math.ceil(limit / 10) : 0);
  let globalLimit = Math.max(1, Math.floor(options.global.limit));
  let globalReserve = reserveFor(globalLimit);
  const laneReserve = options.laneReserve ?? (options.lane.limit > 1 ? 1 : 0);
  const lanes = new Map<string, Lane>();
  /** Lanes waiting, per class, in the order they will be offered (a Set keeps insertion order). */
  const waiting = perClass(() => new Set<string>());
  const started = perClass(() => 0);

  const laneOf = (key: string): Lane => {
    let lane = lanes.get(key);
    if (!lane)
      lanes.set(
        key,
        (lane = {
          budget: createSlidingBudget(options.lane),
          reported: null,
          inFlight: 0,
          pausedUntil: 0,
          waiting: null,
          eligibleAt: 0,
        }),
      );
    return lane;
  };
  const laneWait = (lane: Lane, cls: RequestClass, now: number, reserve: number): number =>
    lane.reported?.waitMs(methodOfClass(cls), now, lane.inFlight, reserve) ?? lane.budget.waitMs(now, reserve);

  return {
    setWaiting(key, cls) {
      const lane = laneOf(key);
      if (lane.waiting === cls) return;
      if (lane.waiting !== null) waiting[lane.waiting].delete(key);
      lane.waiting = cls;
      lane.eligibleAt = 0;
      if (cls !== null) waiting[cls].add(key);
    },
    pause(key, until) {
      const lane = laneOf(key);
      lane.pausedUntil = Math.max(lane.pausedUntil, until);
      lane.eligibleAt = 0;
    },
    observe(key, method, report, now) {
      const lane = laneOf(key);
      (lane.reported ??= createReportedBuckets()).observe(method, report, now);
      lane.eligibleAt = 0;
    },
    next(now) {
      let soonest = Infinity;
      for (const cls of REQUEST_CLASSES) {
        if (waiting[cls].size === 0) continue;
        const reserved = cls === 'result' ? 0 : 1;
        const globalWait = global.waitMs(now, reserved * globalReserve);
        // The global window is shared: when it is full for this class, no lane of the class may start.
        if (globalWait > 0) {
          soonest = Math.min(soonest, globalWait);
          continue;
        }
        for (const key of waiting[cls]) {
          const lane = laneOf(key);
          if (lane.eligibleAt > now) {
            soonest = Math.min(soonest, lane.eligibleAt - now);
            continue;
          }
          const wait = Math.max(lane.pausedUntil - now, laneWait(lane, cls, now, reserved * laneReserve));
          if (wait <= 0) return { kind: 'start', lane: key, cls };
          lane.eligibleAt = now + wait;
          soonest = Math.min(soonest, wait);
        }
      }
      return soonest === Infinity ? { kind: 'idle' } : { kind: 'wait', ms: Math.max(1, Math.ceil(soonest)) };
    },
    take(key, cls, now) {
      const lane = laneOf(key);
      // Served: the lane goes to the back of its class until the caller says what waits next.
      if (lane.waiting !== null) waiting[lane.waiting].delete(key);
      lane.waiting = null;
      lane.eligibleAt = 0;
      started[cls]++;
      lane.inFlight++;
      const laneDone = lane.budget.take(now);
      const globalDone = global.take(now);
      return (finishedAt) => {
        lane.inFlight--;
        lane.eligibleAt = 0;
        lane.reported?.ended(now, finishedAt);
        laneDone(finishedAt);
        globalDone(finishedAt);
      };
    },
    sweep(now) {
      for (const [key, lane] of lanes)
        if (lane.waiting === null && lane.inFlight === 0 && lane.pausedUntil <= now && lane.budget.idle(now))
          lanes.delete(key);
    },
    setGlobalLimit(limit) {
      globalLimit = Math.max(1, Math.floor(limit));
      global.setLimit(globalLimit);
      globalReserve = reserveFor(globalLimit);
    },
    counts(now) {
      return {
        inWindow: global.count(now),
        limit: globalLimit,
        waiting: Object.fromEntries(REQUEST_CLASSES.map((c) => [c, waiting[c].size])) as Record<RequestClass, number>,
        started: { ...started },
      };
    },
  };
}
