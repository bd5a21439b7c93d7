// Per-channel request budget: at most `limit` operations in ANY window of `windowMs`. A sliding log,
// not a classic token bucket: a bucket of capacity N refilling N per window admits up to 2N within
// one window, which is exactly what draws a 429 from Discord's per-channel message bucket.
export interface BudgetOptions {
  limit: number;
  windowMs: number;
}

export const DEFAULT_CHANNEL_BUDGET: BudgetOptions = { limit: 4, windowMs: 5_000 };

export interface SlidingBudget {
  /** 0 when an operation may start now, else how long to wait (ms). */
  waitMs(now: number): number;
  /** Records an operation started at `now`. Call only when waitMs(now) is 0. */
  take(now: number): void;
}

export function createSlidingBudget(options: BudgetOptions): SlidingBudget {
  const limit = Math.max(1, Math.floor(options.limit));
  const windowMs = Math.max(1, options.windowMs);
  const starts: number[] = [];
  const forget = (now: number) => {
    while (starts.length > 0 && (starts[0] as number) <= now - windowMs) starts.shift();
  };
  return {
    waitMs(now) {
      forget(now);
      if (starts.length < limit) return 0;
      return (starts[0] as number) + windowMs - now;
    },
    take(now) {
      forget(now);
      starts.push(now);
    },
  };
}
