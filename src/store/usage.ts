// The usage log: every paid submit a server accepted or refused, per member, with the rule that
// refused it. Each event is one log row (kept USAGE_LOG_RETENTION_DAYS) and one increment of a daily
// counter (usage_daily, keyed guild → day → member → action → outcome → rule). Quotas and /mjusage
// read only the counters, by a prefix of their primary key, so a check costs the same at 100 rows or
// 100,000: at most one row per (day, member, action, outcome, rule) in the window.
// A paid submit holds its place in the day's quota and budget from before its request until the API
// answers (reserve, then settle): the check and the hold are one step, so two submits at once, on one
// instance or on two sharing a database, cannot both take the last place. A hold takes as many places
// as its submit starts tasks (🎉 Imagine all: four), so one click cannot pass the limits by three; its
// settle records the tasks actually started and gives back the rest. A hold counts against the
// limits but is no usage (/mjusage reads the counters only); one left behind by a crash expires.
// A submit's tasks are counted once per click (the click log marks it, in the same step): by its
// answer, or, when the answer never came, as they are found: by a push, one task at a time
// (webhook/feed.ts), or by the look that finds them in the server's list (submit/recovery.ts). A
// task found counts once (the click keeps the ids it counted), at most as many as the click held
// places, and takes one of its held places with it; the look then closes the click and drops the
// rest. Whatever comes after the answer or the look, on any instance, records nothing, and an
// answer after some pushes records only the tasks they did not count.
// This file is the contract, the rules both backends share and the SQL of the reads; the
// implementations: usage-sqlite.ts and pg/usage.ts (with pg/usage-writes.ts).
import type { UsageCount, UsageOutcome } from '../usage-summary.js';

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

/** Who is about to spend, and when (bot clock, ms; its UTC day is the day whose limits it takes a place in). */
export interface UsageHold {
  guildId: string;
  userId: string;
  at: number;
  /** A manager of the server: no member quota applies (the server's budget still does). */
  quotaExempt: boolean;
  /** Places held: the tasks the submit will start (default 1). */
  places?: number;
  /** The click (the click log's id) the hold is for, so the look that finds its tasks can drop it. */
  clickId?: number | null;
}

/** Tasks that may be started in a UTC day; null: no limit (a manager has no member quota). */
export interface DailyLimits {
  member: number | null;
  server: number | null;
}

/**
 * Places held in the day's limits, or the limit that has no room for them (the server's first: it
 * binds everyone), how many tasks it allows and how many places it has left (fewer than were asked).
 */
export type Reservation =
  | { kind: 'reserved'; id: number }
  | { kind: 'full'; limit: 'server' | 'member'; allowed: number; left: number };

/**
 * How long a hold counts when its submit never settles (the bot stopped in between). Longer than any
 * submit can take (MJ_TIMEOUT_MS is at most 2 minutes a request, a form sends at most three, plus the
 * attachments' download), so a hold never expires under a live submit.
 */
export const RESERVATION_TTL_MS = 10 * 60_000;

export interface UsageLog {
  record(event: UsageEvent): Promise<void>;
  /**
   * In one step: the server's limits as stored now (its /mjsettings quota and budget, never a cached
   * copy: another instance may have just changed them), the tasks started and held today by the
   * member and by the server checked against them, and a hold taken when both have room. A server
   * with no limits (any more) gets its hold too: it settles like any other.
   */
  reserve(hold: UsageHold): Promise<Reservation>;
  /**
   * The submit is over: `events` (the tasks it started, or the API's refusal) recorded and the hold
   * `reservationId` dropped, in one step. No events: the hold is released, nothing was spent. With
   * `clickId`, the click's holds are dropped too and its events are recorded only if no settle of
   * that click recorded them before (here or on another instance; a click the log no longer holds
   * records nothing), less the started tasks countFound counted before (pushes that came first).
   * Resolves true when the events were recorded.
   */
  settle(reservationId: number | null, events: readonly UsageEvent[], clickId?: number): Promise<boolean>;
  /**
   * Tasks of the click `clickId` found without its answer, in one step: each one not counted before
   * is one started task of the click's member, server and day (none in a DM), up to the places the
   * click held, and takes one of its held places. Nothing for a click settled as a whole (its answer,
   * or a look), nor one the log no longer holds. `close` (the look: nothing more will be found) settles
   * the click as a whole and drops its remaining places. Resolves with the tasks counted now.
   */
  countFound(clickId: number, taskIds: readonly string[], close?: boolean): Promise<number>;
  /** Tasks started on `day` in this server, by this member when `userId` is given. */
  startedOn(guildId: string, day: string, userId?: string): Promise<number>;
  /** Every counter of this server from `fromDay` to `toDay` (inclusive), of one member when given. */
  counts(guildId: string, fromDay: string, toDay: string, userId?: string): Promise<UsageCount[]>;
  /** Deletes log rows and holds older than `beforeMs` and counters of days before `beforeDay`; returns log rows deleted. */
  prune(beforeMs: number, beforeDay: string): Promise<number>;
}

/** The SQL of the read paths, exported so a test can ask SQLite for their query plans. */
/** Log rows are kept this long (the 30-day report reads counters, not rows). */
export const USAGE_LOG_RETENTION_DAYS = 31;
/** Daily counters are kept this long. */
export const USAGE_COUNTER_RETENTION_DAYS = 90;
export const DAY_MS = 86_400_000;

export const USAGE_QUERIES = {
  startedByServer: `SELECT COALESCE(SUM(n), 0) AS n FROM usage_daily WHERE guild_id = ? AND day = ? AND outcome = 'started'`,
  startedByMember: `SELECT COALESCE(SUM(n), 0) AS n FROM usage_daily
    WHERE guild_id = ? AND day = ? AND user_id = ? AND outcome = 'started'`,
  countsOfServer: `SELECT day, user_id, action, outcome, rule, n FROM usage_daily
    WHERE guild_id = ? AND day >= ? AND day <= ? ORDER BY day, user_id`,
  // No index starts with (guild_id, user_id): a member's window is read as one range scan per day.
  countsOfMember: `SELECT day, user_id, action, outcome, rule, n FROM usage_daily
    WHERE guild_id = ? AND day >= ? AND day <= ? AND user_id = ? ORDER BY day`,
  // The limits stored now, and what was started and held today, in one statement (pg/usage.ts asks the same).
  takenToday: `SELECT
    (SELECT COALESCE(SUM(n), 0) FROM usage_daily WHERE guild_id = @guildId AND day = @day AND outcome = 'started')
      + (SELECT COALESCE(SUM(places), 0) FROM usage_reservations WHERE guild_id = @guildId AND day = @day) AS server,
    (SELECT COALESCE(SUM(n), 0) FROM usage_daily
      WHERE guild_id = @guildId AND day = @day AND user_id = @userId AND outcome = 'started')
      + (SELECT COALESCE(SUM(places), 0) FROM usage_reservations
        WHERE guild_id = @guildId AND day = @day AND user_id = @userId) AS member,
    (SELECT member_daily_quota FROM guild_settings WHERE guild_id = @guildId) AS member_quota,
    (SELECT server_daily_budget FROM guild_settings WHERE guild_id = @guildId) AS server_budget`,
} as const;

/** What takenToday reads: the stored limits (null: none) and the tasks started and held today. */
export interface TakenToday {
  member_quota: number | null;
  server_budget: number | null;
  member: number;
  server: number;
}

/** The limit `taken` leaves no room in for this hold's places (a manager has no member quota), or null. */
export function fullLimit(
  taken: TakenToday,
  hold: Pick<UsageHold, 'quotaExempt' | 'places'>,
): Extract<Reservation, { kind: 'full' }> | null {
  const places = placesOf(hold);
  const limits: DailyLimits = {
    member: hold.quotaExempt || taken.member_quota === null ? null : Number(taken.member_quota),
    server: taken.server_budget === null ? null : Number(taken.server_budget),
  };
  const left = (limit: number, used: number) => Math.max(0, limit - used);
  if (limits.server !== null && Number(taken.server) + places > limits.server)
    return { kind: 'full', limit: 'server', allowed: limits.server, left: left(limits.server, Number(taken.server)) };
  if (limits.member !== null && Number(taken.member) + places > limits.member)
    return { kind: 'full', limit: 'member', allowed: limits.member, left: left(limits.member, Number(taken.member)) };
  return null;
}

/** The places a hold takes: at least one (a submit that may start nothing still holds its own). */
export const placesOf = (hold: Pick<UsageHold, 'places'>): number => Math.max(1, Math.trunc(hold.places ?? 1));

/** Of `taskIds`, those not among the click's `counted`, once each, as many as its `places` leave room for. */
export function newlyFound(counted: readonly string[], taskIds: readonly string[], places: number): string[] {
  const room = Math.max(0, places - counted.length);
  return [...new Set(taskIds)].filter((id) => !counted.includes(id)).slice(0, room);
}

/** The click's tasks counted one by one, as its row keeps them (SQLite: a JSON array; garbage reads as none). */
export function foundIdsOf(text: string): string[] {
  try {
    const ids: unknown = JSON.parse(text);
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** An answer's events less the `found` started tasks pushes counted before it (its refusal is never one). */
export function withoutFound(events: readonly UsageEvent[], found: number): UsageEvent[] {
  let skip = found;
  return events.filter((e) => e.outcome !== 'started' || skip-- <= 0);
}

/** What a click's row says of it, for counting a task found without its answer. */
export interface FoundClick {
  guild_id: string | null;
  user_id: string;
  at: number;
  usage_action: string | null;
}

/** One task found of `click`: a started task on the click's day; none in a DM. */
export function foundEvent(click: FoundClick): UsageEvent | null {
  if (click.guild_id === null) return null;
  // A click recorded before the click log kept its action says 'unknown', like an unreadable one.
  const action = click.usage_action ?? 'unknown';
  return { guildId: click.guild_id, userId: click.user_id, at: Number(click.at), action, outcome: 'started', rule: '' };
}
