// The usage log on SQLite (the contract, its rules and the SQL of its reads: usage.ts). One
// synchronous transaction per step, so the check and the hold, or a count and its click's mark, are one.
import type { Database } from 'better-sqlite3';
import { utcDayOf } from '../days.js';
import type { UsageCount, UsageOutcome } from '../usage-summary.js';
import type { Synchronous } from './synchronous.js';
import {
  DAY_MS,
  foundEvent,
  foundIdsOf,
  fullLimit,
  newlyFound,
  placesOf,
  RESERVATION_TTL_MS,
  USAGE_COUNTER_RETENTION_DAYS,
  USAGE_LOG_RETENTION_DAYS,
  USAGE_QUERIES,
  withoutFound,
  type FoundClick,
  type Reservation,
  type TakenToday,
  type UsageEvent,
  type UsageHold,
  type UsageLog,
} from './usage.js';

interface CountRow {
  day: string;
  user_id: string;
  action: string;
  outcome: string;
  rule: string;
  n: number;
}

const OUTCOMES: readonly UsageOutcome[] = ['started', 'refused', 'rejected'];

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
  const taken = db.prepare<[{ guildId: string; day: string; userId: string }], TakenToday>(USAGE_QUERIES.takenToday);
  const hold = db.prepare(`INSERT INTO usage_reservations (guild_id, user_id, day, at, expires_at, places, click_id)
    VALUES (@guildId, @userId, @day, @at, @expiresAt, @places, @clickId)`);
  const expire = db.prepare('DELETE FROM usage_reservations WHERE guild_id = ? AND expires_at <= ?');
  const release = db.prepare('DELETE FROM usage_reservations WHERE id = ?');
  const releaseClick = db.prepare('DELETE FROM usage_reservations WHERE click_id = ?');
  // The clicks table is the click log's (clicks.ts); its marks are written here, in the usage's own step.
  const markCounted = db.prepare<[number], { usage_found: string }>(
    'UPDATE clicks SET usage_counted = 1 WHERE id = ? AND usage_counted = 0 RETURNING usage_found',
  );
  const foundClick = db.prepare<[number], FoundClick & { usage_places: number; usage_found: string }>(
    'SELECT guild_id, user_id, at, usage_action, usage_places, usage_found FROM clicks WHERE id = ? AND usage_counted = 0',
  );
  const markFound = db.prepare(`UPDATE clicks SET usage_found = @found,
    usage_counted = MAX(usage_counted, @close) WHERE id = @id`);
  // A hold with no place left goes; another gives up as many places as tasks were found.
  const dropTaken = db.prepare('DELETE FROM usage_reservations WHERE click_id = @clickId AND places <= @n');
  const takePlaces = db.prepare('UPDATE usage_reservations SET places = places - @n WHERE click_id = @clickId');
  const pruneHolds = db.prepare('DELETE FROM usage_reservations WHERE expires_at < ?');

  // The first record of each new day drops what is past retention, so the log stays bounded without a timer.
  let prunedOn = '';
  const writeEvent = (event: UsageEvent) => {
    const row = { ...event, rule: event.rule ?? '', day: utcDayOf(event.at) };
    insert.run(row);
    bump.run(row);
    if (row.day > prunedOn) {
      prunedOn = row.day;
      pruneLog.run(event.at - USAGE_LOG_RETENTION_DAYS * DAY_MS);
      pruneDaily.run(utcDayOf(event.at - USAGE_COUNTER_RETENTION_DAYS * DAY_MS));
    }
  };
  const record = db.transaction(writeEvent);
  const reserve = db.transaction((request: UsageHold): Reservation => {
    const { guildId, userId, at } = request;
    const day = utcDayOf(at);
    expire.run(guildId, at);
    const full = fullLimit(taken.get({ guildId, day, userId })!, request);
    if (full !== null) return full;
    const expiresAt = at + RESERVATION_TTL_MS;
    const row = { guildId, userId, at, day, expiresAt, places: placesOf(request), clickId: request.clickId ?? null };
    const id = Number(hold.run(row).lastInsertRowid);
    return { kind: 'reserved', id };
  });
  const settle = db.transaction((id: number | null, events: readonly UsageEvent[], clickId?: number): boolean => {
    if (id !== null) release.run(id);
    let recorded = events;
    if (clickId !== undefined) {
      releaseClick.run(clickId);
      const marked = markCounted.get(clickId);
      if (!marked) return false;
      recorded = withoutFound(events, foundIdsOf(marked.usage_found).length);
    }
    for (const event of recorded) writeEvent(event);
    return true;
  });
  const countFound = db.transaction((clickId: number, taskIds: readonly string[], close: boolean): number => {
    const click = foundClick.get(clickId);
    if (!click) return 0;
    const counted = foundIdsOf(click.usage_found);
    const fresh = newlyFound(counted, taskIds, Number(click.usage_places));
    if (fresh.length === 0 && !close) return 0;
    markFound.run({ id: clickId, found: JSON.stringify([...counted, ...fresh]), close: close ? 1 : 0 });
    const event = foundEvent(click);
    if (event) fresh.forEach(() => writeEvent(event));
    if (close) releaseClick.run(clickId);
    else {
      dropTaken.run({ clickId, n: fresh.length });
      takePlaces.run({ clickId, n: fresh.length });
    }
    return event ? fresh.length : 0;
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
    // IMMEDIATE: the write lock first, so no other connection to the file counts between check and hold.
    reserve: (request) => reserve.immediate(request),
    settle: (id, events, clickId) => settle(id, events, clickId),
    countFound: (clickId, taskIds, close = false) => countFound.immediate(clickId, taskIds, close),
    startedOn: (guildId, day, userId) =>
      (userId === undefined ? byServer.get(guildId, day) : byMember.get(guildId, day, userId))?.n ?? 0,
    counts: (guildId, fromDay, toDay, userId) =>
      (userId === undefined
        ? countsOfServer.all(guildId, fromDay, toDay)
        : countsOfMember.all(guildId, fromDay, toDay, userId)
      ).map(toCount),
    prune(beforeMs, beforeDay) {
      pruneHolds.run(beforeMs);
      pruneDaily.run(beforeDay);
      return pruneLog.run(beforeMs).changes;
    },
  };
}
