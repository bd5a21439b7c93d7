// Days for quotas and usage: UTC calendar days of the injected clock, as 'YYYY-MM-DD' keys (which sort
// like the days they name). A quota resets at the next UTC midnight. Pure.

const DAY_MS = 86_400_000;

/** The UTC day of a bot-clock time, e.g. '2026-12-02'. */
export function utcDayOf(at: number): string {
  return new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The next UTC midnight after `at` (ms): when a daily quota starts again. */
export function nextUtcMidnight(at: number): number {
  return (Math.floor(at / DAY_MS) + 1) * DAY_MS;
}

/** The day `days - 1` days before `at`'s day: the first day of a window of `days` days ending today. */
export function firstDayOfWindow(at: number, days: number): string {
  return utcDayOf(at - (Math.max(1, days) - 1) * DAY_MS);
}
