// Per-channel request budget: at most `limit` operations in ANY window of `windowMs`, where an
// operation counts from its start until `windowMs` after it FINISHED. Discord counts a request when
// it arrives, some time after we start it (latency, and discord.js's own queue, which holds requests
// while its headers say the bucket is empty): counting by start alone lets a delayed request land in
// the next window beside fresh ones, and that bunching is what draws a 429. A request that reaches
// Discord inside a window was in flight or finished inside it, so keeping in-flight + recently
// finished under the limit bounds every window, whatever the delays. A request still unanswered
// until discord.js would have given up on it (its 15 s request timeout) stops counting, so one hung
// request cannot freeze the channel for longer. It used to stop counting after one window (2 s at
// least): at 10,000 tasks on an overloaded machine requests took longer than that to come back, the
// gate let more through, and the stand-in saw 88 in one second and answered 38 global 429s. A
// request on its way may still arrive, so it counts as long as it may.
export interface BudgetOptions {
  limit: number;
  windowMs: number;
}

/** Discord's per-channel bucket is 5 per 5 s; counting each request until a window after it ends keeps 5 safe. */
export const DEFAULT_CHANNEL_BUDGET: BudgetOptions = { limit: 5, windowMs: 5_000 };

/** discord.js's REST timeout (RESTOptions.timeout, 15 s by default): after it the request is over. */
const STALL_MIN_MS = 15_000;

export interface SlidingBudget {
  /**
   * 0 when an operation may start now, else how long to wait (ms); a finish may free room sooner.
   * `reserve`: that many places of the window are kept for others (the wait is then a lower bound).
   */
  waitMs(now: number, reserve?: number): number;
  /** Operations counted now (in flight, or finished within the window). */
  count(now: number): number;
  /** Records an operation started at `now`; call the returned function once it has finished. */
  take(now: number): (finishedAt: number) => void;
  /** Nothing in flight and nothing finished within the window: a fresh budget would behave the same. */
  idle(now: number): boolean;
}

export function createSlidingBudget(options: BudgetOptions): SlidingBudget {
  const limit = Math.max(1, Math.floor(options.limit));
  const windowMs = Math.max(1, options.windowMs);
  const stallMs = Math.max(windowMs, STALL_MIN_MS);
  /** Start times of operations in flight, by token. */
  const inFlight = new Map<number, number>();
  /** Finish times, ascending. */
  const finished: number[] = [];
  let nextToken = 0;
  const forget = (now: number) => {
    while (finished.length > 0 && (finished[0] as number) <= now - windowMs) finished.shift();
    for (const [token, startedAt] of inFlight) if (startedAt <= now - stallMs) inFlight.delete(token);
  };
  return {
    waitMs(now, reserve = 0) {
      forget(now);
      if (inFlight.size + finished.length < Math.max(1, limit - reserve)) return 0;
      let frees = Infinity;
      if (finished.length > 0) frees = (finished[0] as number) + windowMs;
      for (const startedAt of inFlight.values()) frees = Math.min(frees, startedAt + stallMs);
      return Math.max(1, frees - now);
    },
    take(now) {
      forget(now);
      const token = nextToken++;
      inFlight.set(token, now);
      return (finishedAt) => {
        // Dropped already when it stalled past the window: it no longer counts.
        if (!inFlight.delete(token)) return;
        let i = finished.length;
        while (i > 0 && (finished[i - 1] as number) > finishedAt) i--;
        finished.splice(i, 0, finishedAt);
      };
    },
    count(now) {
      forget(now);
      return inFlight.size + finished.length;
    },
    idle(now) {
      forget(now);
      return inFlight.size === 0 && finished.length === 0;
    },
  };
}
