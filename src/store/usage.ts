// The usage log: every paid submit a server accepted or refused, per member, with the rule that
// refused it. Each event is one log row (kept USAGE_LOG_RETENTION_DAYS) and one increment of a daily
// counter (usage_daily, keyed guild → day → member → action → outcome → rule). Quotas and /mjusage
// read only the counters, by a prefix of their primary key, so a check costs the same at 100 rows or
// 100,000: at most one row per (day, member, action, outcome, rule) in the window.
import type { Database } from 'better-sqlite3';
import { utcDayOf } from '../days.js';
import type { UsageCount, UsageOutcome } from '../usage-summary.js';
import type { Synchronous } from './synchronous.js';

export interface UsageEvent {
  guildId: string;
  userId: string;
  /** Bot clock, ms; its UTC day is the counter's day. */
  at: number;
  /** What was asked: 'imagine', or a button family ('upsample', 'variation', …). */
  action: string;
  outcome: UsageOutcome;
  /** Why it was refused or rejected ('member_quota', 'channel_not_allowed', 'banned_prompt', …); '' when started. */
  rule?: string;
}

export interface UsageLog {
  record(event: UsageEvent): Promise<void>;
  /** Tasks started on `day` in this server, by this member when `userId` is given. */
  startedOn(guildId: string, day: string, userId?: string): Promise<number>;
  /** Every counter of this server from `fromDay` to `toDay` (inclusive), of one member when given. */
  counts(guildId: string, fromDay: string, toDay: string, userId?: string): Promise<UsageCount[]>;
  /** Deletes log rows older than `beforeMs` and counters of days before `beforeDay`; returns log rows deleted. */
  prune(beforeMs: number, beforeDay: string): Promise<number>;
}

interface CountRow {
  day: string;
  user_id: string;
  action: string;
  outcome: string;
  rule: string;
  n: number;
}

const OUTCOMES: readonly UsageOutcome[] = ['started', 'refused', 'rejected'];

/** The SQL of the read paths, exported so a test can ask SQLite for their query plans. */
/** Log rows are kept this long (the 30-day report reads counters, not rows). */
export const USAGE_LOG_RETENTION_DAYS = 31;
/** Daily counters are kept this long. */
export const USAGE_COUNTER_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export const USAGE_QUERIES = {
  startedByServer: `SELECT COALESCE(SUM(n), 0) AS n FROM usage_daily WHERE guild_id = ? AND day = ? AND outcome = 'started'`,
  startedByMember: `SELECT COALESCE(SUM(n), 0) AS n FROM usage_daily
    WHERE guild_id = ? AND day = ? AND user_id = ? AND outcome = 'started'`,
  countsOfServer: `SELECT day, user_id, action, outcome, rule, n FROM usage_daily
    WHERE guild_id = ? AND day >= ? AND day <= ? ORDER BY day, user_id`,
  // No index starts with (guild_id, user_id): a member's window is read as one range scan per day.
  countsOfMember: `SELECT day, user_id, action, outcome, rule, n FROM usage_daily
    WHERE guild_id = ? AND day >= ? AND day <= ? AND user_id = ? ORDER BY day`,
} as const;

export function createUsageLog(db: Database): Synchronous<UsageLog> {
  const insert = db.prepare(`INSERT INTO usage_log (guild_id, user_id, at, day, action, outcome, rule)
    VALUES (@guildId, @userId, @at, @day, @action, @outcome, @rule)`);
  const bump = db.prepare(`INSERT INTO usage_daily (guild_id, day, user_id, action, outcome, rule, n)
    VALUES (@guildId, @day, @userId, @action, @outcome, @rule, 1)
    ON CONFLICT (guild_id, day, user_id, action, outcome, rule) DO UPDATE SET n = n + 1`);
  const byServer = db.prepare<[string, string], { n: number }>(USAGE_QUERIES.startedByServer);
  const byMember = db.prepare<[string, string, string], { n: number }>(USAGE_QUERIES.startedByMember);
  const countsOfServer = db.prepare<[string, string, string], CountRow>(USAGE_QUERIES.countsOfServer);
  const countsOfMember = db.prepare<[string, string, string, string], CountRow>(USAGE_QUERIES.countsOfMember);
  const pruneLog = db.prepare('DELETE FROM usage_log WHERE at < ?');
  const pruneDaily = db.prepare('DELETE FROM usage_daily WHERE day < ?');

  // The first record of each new day drops what is past retention, so the log stays bounded without a timer.
  let prunedOn = '';
  const record = db.transaction((event: UsageEvent) => {
    const row = { ...event, rule: event.rule ?? '', day: utcDayOf(event.at) };
    insert.run(row);
    bump.run(row);
    if (row.day > prunedOn) {
      prunedOn = row.day;
      pruneLog.run(event.at - USAGE_LOG_RETENTION_DAYS * DAY_MS);
      pruneDaily.run(utcDayOf(event.at - USAGE_COUNTER_RETENTION_DAYS * DAY_MS));
    }
  });
  const toCount = (r: CountRow): UsageCount => ({
    day: r.day,
    userId: r.user_id,
    action: r.action,
    outcome: OUTCOMES.find((o) => o === r.outcome) ?? 'refused',
    rule: r.rule,
    count: r.n,
  });

  return {
    record: (event) => record(event),
    startedOn: (guildId, day, userId) =>
      (userId === undefined ? byServer.get(guildId, day) : byMember.get(guildId, day, userId))?.n ?? 0,
    counts: (guildId, fromDay, toDay, userId) =>
      (userId === undefined
        ? countsOfServer.all(guildId, fromDay, toDay)
        : countsOfMember.all(guildId, fromDay, toDay, userId)
      ).map(toCount),
    prune(beforeMs, beforeDay) {
      pruneDaily.run(beforeDay);
      return pruneLog.run(beforeMs).changes;
    },
  };
}
