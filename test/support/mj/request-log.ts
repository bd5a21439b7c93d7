// What the stand-in was asked: the request log (optional: benchmarks turn it off), a count per route
// (always kept, so countRequests by route works without the log) and the task ids asked about.
import { ROUTE_NAMES } from './routes.js';
import type { RequestLogEntry } from './types.js';

const ROUTE_NAME_SET = new Set<string>(ROUTE_NAMES);

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  private readonly counts = new Map<string, number>();
  /** Task ids asked about (one per fetch, one per distinct id of a list-by-condition): what polling costs per task. */
  idsAsked = 0;

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

  clear(): void {
    this.entries.length = 0;
    this.counts.clear();
    this.idsAsked = 0;
  }
}
