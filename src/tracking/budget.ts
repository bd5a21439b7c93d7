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
  /** From now on at most `limit` per window; what is counted already stays counted. */
  setLimit(limit: number): void;
}

export function createSlidingBudget(options: BudgetOptions): SlidingBudget {
  return new WindowBudget(options);
}

// A class rather than closures over a scope: the gate keeps one per lane, and with a lane per
// interaction that is thousands at once (five closures and their context each, ~250 bytes more).
class WindowBudget implements SlidingBudget {
  private limit: number;
  private readonly windowMs: number;
  private readonly stallMs: number;
  /** Start times of operations in flight, by token. */
  private readonly inFlight = new Map<number, number>();
  /** Finish times, ascending. */
  private readonly finished: number[] = [];
  private nextToken = 0;

  constructor(options: BudgetOptions) {
    this.limit = Math.max(1, Math.floor(options.limit));
    this.windowMs = Math.max(1, options.windowMs);
    this.stallMs = Math.max(this.windowMs, STALL_MIN_MS);
  }

  waitMs(now: number, reserve = 0): number {
    this.forget(now);
    if (this.inFlight.size + this.finished.length < Math.max(1, this.limit - reserve)) return 0;
    let frees = Infinity;
    if (this.finished.length > 0) frees = (this.finished[0] as number) + this.windowMs;
    for (const startedAt of this.inFlight.values()) frees = Math.min(frees, startedAt + this.stallMs);
    return Math.max(1, frees - now);
  }

  take(now: number): (finishedAt: number) => void {
    this.forget(now);
    const token = this.nextToken++;
    this.inFlight.set(token, now);
    return (finishedAt) => {
      // Dropped already when it stalled past the window: it no longer counts.
      if (!this.inFlight.delete(token)) return;
      const { finished } = this;
      let i = finished.length;
      while (i > 0 && (finished[i - 1] as number) > finishedAt) i--;
      finished.splice(i, 0, finishedAt);
    };
  }

  count(now: number): number {
    this.forget(now);
    return this.inFlight.size + this.finished.length;
  }

  idle(now: number): boolean {
    this.forget(now);
    return this.inFlight.size === 0 && this.finished.length === 0;
  }

  setLimit(limit: number): void {
    this.limit = Math.max(1, Math.floor(limit));
  }

  private forget(now: number): void {
    const { finished, inFlight } = this;
    while (finished.length > 0 && (finished[0] as number) <= now - this.windowMs) finished.shift();
    for (const [token, startedAt] of inFlight) if (startedAt <= now - this.stallMs) inFlight.delete(token);
  }
}
