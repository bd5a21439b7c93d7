// What Discord itself says about a lane's rate-limit buckets (x-ratelimit-limit / -remaining /
// -reset-after on every answer), so the gate sends exactly as many requests as a bucket has left,
// and the next ones the moment it resets. Without it the gate can only estimate (budget.ts counts
// each request until a whole window after the bot saw its answer, which on a busy machine lets 3 or
// 4 results through per 5 s window instead of 5, and drifts later every window). Pure: time passed in.
//
// Discord gives each route of a channel its own bucket, while a server may count them together (the
// stand-in does): a request is allowed only when both the latest word on its own route and the latest
// word on any route of the lane leave room, which is right under either model. Requests in flight are
// taken off what a bucket has left (some were counted already: that only errs on the safe side).

/** One answer's rate-limit headers. */
export interface BucketReport {
  limit: number;
  remaining: number;
  resetAfterMs: number;
}

/** Which route a request class uses: creates (results, first progress), edits, deletes. */
export type RouteMethod = 'POST' | 'PATCH' | 'DELETE';

/**
 * Added to every reset: discord.js's own limiter adds 50 ms (its `offset`) before it lets a request
 * through again, and one that goes sooner is refused by it (a lost turn); also covers clock skew.
 */
export const RESET_MARGIN_MS = 100;
/** Nothing left and nothing to reset: the wait until a request in flight ends (its end pumps the lane sooner). */
const IN_FLIGHT_WAIT_MS = 250;

interface View {
  limit: number;
  remaining: number;
  resetAt: number;
  observedAt: number;
}

export interface ReportedBuckets {
  /** Records an answer's headers for `method` at `now`. */
  observe(method: RouteMethod, report: BucketReport, now: number): void;
  /** When nothing was reported yet: undefined (the caller estimates). Else 0 or how long to wait. */
  waitMs(method: RouteMethod, now: number, inFlight: number, reserve: number): number | undefined;
  /** A request started at `startedAt` ended without a report (a network error): count it as taken. */
  ended(startedAt: number, now: number): void;
}

export function createReportedBuckets(): ReportedBuckets {
  const byMethod = new Map<RouteMethod, View>();
  let latest: View | null = null;

  const waitOf = (view: View, now: number, inFlight: number, reserve: number): number => {
    const fresh = now >= view.resetAt;
    const left = (fresh ? view.limit : view.remaining) - inFlight;
    if (left >= 1 + reserve) return 0;
    return fresh ? IN_FLIGHT_WAIT_MS : Math.max(1, view.resetAt - now);
  };

  return {
    observe(method, report, now) {
      let view: View = {
        limit: Math.max(1, report.limit),
        remaining: Math.max(0, report.remaining),
        resetAt: now + Math.max(0, report.resetAfterMs) + RESET_MARGIN_MS,
        observedAt: now,
      };
      // Answers can come back out of order: one that left Discord earlier may say more is left. While
      // the last window has not reset, the lower count and the later reset stand.
      const last = byMethod.get(method);
      if (last && now < last.resetAt)
        view = {
          ...view,
          remaining: Math.min(view.remaining, last.remaining),
          resetAt: Math.max(view.resetAt, last.resetAt),
        };
      byMethod.set(method, view);
      latest =
        latest && now < latest.resetAt
          ? {
              ...view,
              remaining: Math.min(view.remaining, latest.remaining),
              resetAt: Math.max(view.resetAt, latest.resetAt),
            }
          : view;
    },
    waitMs(method, now, inFlight, reserve) {
      const own = byMethod.get(method);
      if (!own && !latest) return undefined;
      let wait = 0;
      for (const view of [own, latest]) if (view) wait = Math.max(wait, waitOf(view, now, inFlight, reserve));
      return wait;
    },
    ended(startedAt, now) {
      // A newer answer already told the count; otherwise the request may have been counted unseen.
      for (const view of new Set([...byMethod.values(), ...(latest ? [latest] : [])]))
        if (view.observedAt < startedAt && now < view.resetAt) view.remaining = Math.max(0, view.remaining - 1);
    },
  };
}

/** The route a request class uses. */
export const methodOfClass = (cls: string): RouteMethod =>
  cls === 'edit' ? 'PATCH' : cls === 'delete' ? 'DELETE' : 'POST';
