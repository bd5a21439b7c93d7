// The usage log on PostgreSQL (the contract and its meaning: ../usage.ts): a log row and a daily
// counter per event, in one statement; quotas and /mjusage read the counters only. A reservation
// takes an advisory lock on the server first, so the checks and holds of one server run one at a time
// across every instance; a settle needs no lock: it moves a hold into the counters in one commit, and
// the check reads both in one statement (one snapshot), so it sees the submit held or started, once.
// The writes (a click's settle counted once, the tasks found without an answer): ./usage-writes.ts.
import { sql, type Kysely, type Selectable } from 'kysely';
import { utcDayOf } from '../../days.js';
import type { UsageCount, UsageOutcome } from '../../usage-summary.js';
import { fullLimit, placesOf, RESERVATION_TTL_MS, type TakenToday, type UsageEvent, type UsageLog } from '../usage.js';
import type { PgSchema, UsageDailyTable } from './schema.js';
import { countFoundTasks, writeClickEvents, writeEvents } from './usage-writes.js';

const OUTCOMES: readonly UsageOutcome[] = ['started', 'refused', 'rejected'];
/** Advisory lock keys: a 32-bit class ('mjtu') and the server's hash. */
const LOCK_CLASS = 0x6d6a7475;

const toCount = (r: Omit<Selectable<UsageDailyTable>, 'guild_id'>): UsageCount => ({
  day: r.day,
  userId: r.user_id,
  action: r.action,
  outcome: OUTCOMES.find((o) => o === r.outcome) ?? 'refused',
  rule: r.rule,
  count: Number(r.n),
});

// The reads behind quotas and /mjusage, built apart from the log so a test can ask PostgreSQL for their
// plans (test/unit/store-contract/usage-plans.ts): each reads usage_daily by a prefix of its primary key.
/** What a reservation counts: today's started tasks and holds of the server and the member, and the limits as committed now. */
export function takenTodayQuery(guildId: string, day: string, userId: string) {
  return sql<TakenToday>`SELECT
    (SELECT COALESCE(SUM(n), 0) FROM usage_daily WHERE guild_id = ${guildId} AND day = ${day} AND outcome = 'started')
      + (SELECT COALESCE(SUM(places), 0) FROM usage_reservations WHERE guild_id = ${guildId} AND day = ${day})
      AS server,
    (SELECT COALESCE(SUM(n), 0) FROM usage_daily
      WHERE guild_id = ${guildId} AND day = ${day} AND user_id = ${userId} AND outcome = 'started')
      + (SELECT COALESCE(SUM(places), 0) FROM usage_reservations
        WHERE guild_id = ${guildId} AND day = ${day} AND user_id = ${userId}) AS member,
    (SELECT member_daily_quota FROM guild_settings WHERE guild_id = ${guildId}) AS member_quota,
    (SELECT server_daily_budget FROM guild_settings WHERE guild_id = ${guildId}) AS server_budget`;
}

/** Tasks started on `day` in the server, or by one member. */
export function startedOnQuery(db: Kysely<PgSchema>, guildId: string, day: string, userId?: string) {
  let query = db
    .selectFrom('usage_daily')
    .select(sql<number>`COALESCE(SUM(n), 0)::int`.as('n'))
    .where('guild_id', '=', guildId)
    .where('day', '=', day)
    .where('outcome', '=', 'started');
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  return query;
}

/** The counters of a window of days, of the server or one member, in SQLite's primary-key order. */
export function countsQuery(db: Kysely<PgSchema>, guildId: string, fromDay: string, toDay: string, userId?: string) {
  let query = db
    .selectFrom('usage_daily')
    .select(['day', 'user_id', 'action', 'outcome', 'rule', 'n'])
    .where('guild_id', '=', guildId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  return query.orderBy('day').orderBy('user_id').orderBy('action').orderBy('outcome').orderBy('rule');
}

export function createPgUsageLog(db: Kysely<PgSchema>): UsageLog {
  // The first record of each new day (in this instance) drops what is past retention.
  let prunedOn = '';
  /** When the events reach a day this instance has not pruned on: the latest such event's time. */
  const pruneAtOf = (events: readonly UsageEvent[]): number | null => {
    const fresh = events.filter((e) => utcDayOf(e.at) > prunedOn).map((e) => e.at);
    return fresh.length > 0 ? Math.max(...fresh) : null;
  };
  const write = async (events: readonly UsageEvent[], releaseId: number | null, clickId?: number) => {
    const pruneAt = pruneAtOf(events);
    const recorded =
      clickId === undefined
        ? await writeEvents(db, events, releaseId, pruneAt).then(() => true)
        : await writeClickEvents(db, events, releaseId, clickId, pruneAt);
    if (recorded && pruneAt !== null && utcDayOf(pruneAt) > prunedOn) prunedOn = utcDayOf(pruneAt);
    return recorded;
  };
  return {
    record: (event) => write([event], null).then(() => undefined),
    reserve: (hold) =>
      db.transaction().execute(async (trx) => {
        const { guildId, userId, at } = hold;
        const day = utcDayOf(at);
        await sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${guildId}))`.execute(trx);
        await trx
          .deleteFrom('usage_reservations')
          .where('guild_id', '=', guildId)
          .where('expires_at', '<=', at)
          .execute();
        // The limits as committed now, in the same snapshot as the counts (never a cached copy).
        const taken = await takenTodayQuery(guildId, day, userId).execute(trx);
        const full = fullLimit(taken.rows[0]!, hold);
        if (full !== null) return full;
        const held = await trx
          .insertInto('usage_reservations')
          .values({
            guild_id: guildId,
            user_id: userId,
            day,
            at,
            expires_at: at + RESERVATION_TTL_MS,
            places: placesOf(hold),
            click_id: hold.clickId ?? null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { kind: 'reserved' as const, id: Number(held.id) };
      }),
    settle: (reservationId, events, clickId) => write(events, reservationId, clickId),
    countFound: (clickId, taskIds, close = false) => countFoundTasks(db, clickId, taskIds, close),
    async startedOn(guildId, day, userId) {
      const row = await startedOnQuery(db, guildId, day, userId).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async counts(guildId, fromDay, toDay, userId) {
      return (await countsQuery(db, guildId, fromDay, toDay, userId).execute()).map(toCount);
    },
    async prune(beforeMs, beforeDay) {
      await db.deleteFrom('usage_reservations').where('expires_at', '<', beforeMs).execute();
      await db.deleteFrom('usage_daily').where('day', '<', beforeDay).execute();
      const result = await db.deleteFrom('usage_log').where('at', '<', beforeMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
