// What the stand-in was asked: the request log (optional: benchmarks turn it off), a count per route
// (always kept, so countRequests by route works without the log) and the task ids asked about.
import { ROUTE_NAMES } from './routes.js';
import type { AskStats, AskVia, RequestLogEntry } from './types.js';

const ROUTE_NAME_SET = new Set<string>(ROUTE_NAMES);
/**
 * An id asked about again this soon was asked twice at once. The bot's fastest cadence (a task near
 * its end) is 500 ms, and a poll may go up to a batch window (250 ms) before it is due, so its own
 * polls of one task come at least 250 ms apart; two pollers out of phase, or a re-read on top of a
 * poll, come closer. (Measured at 2,000 tasks, one instance: no gap under 200 ms in about 88,000 asks.)
 */
export const ASKED_AGAIN_SOON_MS = 200;

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  private readonly counts = new Map<string, number>();
  /** Task ids asked about (one per fetch, one per distinct id of a list-by-condition): what polling costs per task. */
  idsAsked = 0;
  private askedAgainSoon = 0;
  private askedAgainSoonAcross = 0;
  /** Asked again soon, by how the two asks came ("list→fetch": a list-by-condition, then a fetch). */
  private readonly againSoonBy = new Map<string, number>();
  /** Per id: when it was first and last asked about (and how, last), for the time each task was followed. */
  private readonly asks = new Map<string, { first: number; last: number; via: AskVia; caller: string }>();

  constructor(
    private readonly prefix: string,
    private readonly keepEntries: boolean,
  ) {}

  /** Counts a request under its route (or 'unmatched'); `entry` is built only when the log is kept. */
  record(key: string, entry: () => RequestLogEntry): void {
    if (this.keepEntries) this.entries.push(entry());
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** All requests, those of a route, or those of a path (with or without the prefix; needs the log). */
  count(route?: string): number {
    if (route === undefined) return [...this.counts.values()].reduce((a, b) => a + b, 0);
    if (ROUTE_NAME_SET.has(route)) return this.counts.get(route) ?? 0;
    return this.entries.filter((r) => {
      const path = r.path.split('?')[0] ?? '';
      return path === route || path === this.prefix + route;
    }).length;
  }

  /** One task id asked about (a fetch, or one distinct id of a list-by-condition) at `now` (ms), by `caller`. */
  askedAbout(id: string, now: number, via: AskVia, caller = ''): void {
    this.idsAsked += 1;
    const seen = this.asks.get(id);
    if (!seen) {
      this.asks.set(id, { first: now, last: now, via, caller });
      return;
    }
    if (now - seen.last < ASKED_AGAIN_SOON_MS) {
      this.askedAgainSoon += 1;
      if (seen.caller !== caller) this.askedAgainSoonAcross += 1;
      const pair = `${seen.via}→${via}`;
      this.againSoonBy.set(pair, (this.againSoonBy.get(pair) ?? 0) + 1);
    }
    seen.last = now;
    seen.via = via;
    seen.caller = caller;
  }

  askStats(): AskStats {
    let followedMs = 0;
    for (const { first, last } of this.asks.values()) followedMs += last - first;
    return {
      idsAsked: this.idsAsked,
      askedAgainSoon: this.askedAgainSoon,
      askedAgainSoonBy: Object.fromEntries(this.againSoonBy),
      askedAgainSoonAcross: this.askedAgainSoonAcross,
      distinctIds: this.asks.size,
      followedMs,
    };
  }

  clear(): void {
    this.entries.length = 0;
    this.counts.clear();
    this.idsAsked = 0;
    this.askedAgainSoon = 0;
    this.askedAgainSoonAcross = 0;
    this.againSoonBy.clear();
    this.asks.clear();
  }
}
