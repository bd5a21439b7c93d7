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

// A class rather than closures over a scope, and arrays rather than a Map of tokens: the gate keeps
// one per lane, and with a lane per interaction that is thousands at once (a Map of in-flight tokens
// was about a third of each budget's 350 bytes; five closures and their context would be more).
class WindowBudget implements SlidingBudget {
  private limit: number;
  private readonly windowMs: number;
  private readonly stallMs: number;
  /**
   * Start times of operations in flight, ascending. Two with the same start count the same, so a
   * finish takes any one of its start time; none left means it stalled and was dropped already.
   */
  private readonly inFlight: number[] = [];
  /** Finish times, ascending. */
  private readonly finished: number[] = [];

  constructor(options: BudgetOptions) {
    this.limit = Math.max(1, Math.floor(options.limit));
    this.windowMs = Math.max(1, options.windowMs);
    this.stallMs = Math.max(this.windowMs, STALL_MIN_MS);
  }

  waitMs(now: number, reserve = 0): number {
    this.forget(now);
    if (this.inFlight.length + this.finished.length < Math.max(1, this.limit - reserve)) return 0;
    let frees = Infinity;
    if (this.finished.length > 0) frees = (this.finished[0] as number) + this.windowMs;
    if (this.inFlight.length > 0) frees = Math.min(frees, (this.inFlight[0] as number) + this.stallMs);
    return Math.max(1, frees - now);
  }

  take(now: number): (finishedAt: number) => void {
    this.forget(now);
    insertSorted(this.inFlight, now);
    return (finishedAt) => {
      const i = this.inFlight.indexOf(now);
      // Dropped already when it stalled past the window: it no longer counts.
      if (i < 0) return;
      this.inFlight.splice(i, 1);
      insertSorted(this.finished, finishedAt);
    };
  }

  count(now: number): number {
    this.forget(now);
    return this.inFlight.length + this.finished.length;
  }

  idle(now: number): boolean {
    this.forget(now);
    return this.inFlight.length === 0 && this.finished.length === 0;
  }

  setLimit(limit: number): void {
    this.limit = Math.max(1, Math.floor(limit));
  }

  private forget(now: number): void {
    const { finished, inFlight } = this;
    while (finished.length > 0 && (finished[0] as number) <= now - this.windowMs) finished.shift();
    while (inFlight.length > 0 && (inFlight[0] as number) <= now - this.stallMs) inFlight.shift();
  }
}

/** Inserts `at` after every element ≤ it (times mostly come in order: a walk from the end is short). */
function insertSorted(times: number[], at: number): void {
  let i = times.length;
  while (i > 0 && (times[i - 1] as number) > at) i--;
  times.splice(i, 0, at);
}
