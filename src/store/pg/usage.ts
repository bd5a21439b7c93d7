// The usage log on PostgreSQL (the contract and its meaning: ../usage.ts): a log row and a daily
// counter per event, in one transaction; quotas and /mjusage read the counters only. A reservation
// takes an advisory lock on the server first, so the checks and holds of one server run one at a time
// across every instance; a settle needs no lock: it moves a hold into the counters in one commit, and
// the check reads both in one statement (one snapshot), so it sees the submit held or started, once.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { utcDayOf } from '../../days.js';
import type { UsageCount, UsageOutcome } from '../../usage-summary.js';
import {
  fullLimit,
  RESERVATION_TTL_MS,
  type TakenToday,
  USAGE_COUNTER_RETENTION_DAYS,
  USAGE_LOG_RETENTION_DAYS,
  type UsageEvent,
  type UsageLog,
} from '../usage.js';
import type { PgSchema, UsageDailyTable } from './schema.js';

const OUTCOMES: readonly UsageOutcome[] = ['started', 'refused', 'rejected'];
const DAY_MS = 86_400_000;
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

/** One event's log row and counter, and (the first of each new day) the drop of what is past retention. */
async function writeEvent(trx: Transaction<PgSchema>, event: UsageEvent, pruneNow: boolean): Promise<void> {
  const { guildId, userId, at, action, outcome } = event;
  const rule = event.rule ?? '';
  const day = utcDayOf(at);
  await trx
    .insertInto('usage_log')
    .values({ guild_id: guildId, user_id: userId, at, day, action, outcome, rule })
    .execute();
  await trx
    .insertInto('usage_daily')
    .values({ guild_id: guildId, day, user_id: userId, action, outcome, rule, n: 1 })
    .onConflict((oc) =>
      oc
        .columns(['guild_id', 'day', 'user_id', 'action', 'outcome', 'rule'])
        .doUpdateSet({ n: sql`usage_daily.n + 1` }),
    )
    .execute();
  if (pruneNow) {
    await trx
      .deleteFrom('usage_log')
      .where('at', '<', at - USAGE_LOG_RETENTION_DAYS * DAY_MS)
      .execute();
    const oldestDay = utcDayOf(at - USAGE_COUNTER_RETENTION_DAYS * DAY_MS);
    await trx.deleteFrom('usage_daily').where('day', '<', oldestDay).execute();
  }
}

export function createPgUsageLog(db: Kysely<PgSchema>): UsageLog {
  // The first record of each new day (in this instance) drops what is past retention.
  let prunedOn = '';
  const writeEvents = async (trx: Transaction<PgSchema>, events: readonly UsageEvent[]) => {
    const days: string[] = [];
    for (const event of events) {
      const day = utcDayOf(event.at);
      const pruneNow = day > prunedOn && !days.includes(day);
      if (pruneNow) days.push(day);
      await writeEvent(trx, event, pruneNow);
    }
    return days;
  };
  const noteDays = (days: readonly string[]) => {
    for (const day of days) if (day > prunedOn) prunedOn = day;
  };
  return {
    async record(event) {
      noteDays(await db.transaction().execute((trx) => writeEvents(trx, [event])));
    },
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
        const taken = await sql<TakenToday>`SELECT
          (SELECT COALESCE(SUM(n), 0) FROM usage_daily WHERE guild_id = ${guildId} AND day = ${day} AND outcome = 'started')
            + (SELECT COUNT(*) FROM usage_reservations WHERE guild_id = ${guildId} AND day = ${day}) AS server,
          (SELECT COALESCE(SUM(n), 0) FROM usage_daily
            WHERE guild_id = ${guildId} AND day = ${day} AND user_id = ${userId} AND outcome = 'started')
            + (SELECT COUNT(*) FROM usage_reservations WHERE guild_id = ${guildId} AND day = ${day} AND user_id = ${userId})
            AS member,
          (SELECT member_daily_quota FROM guild_settings WHERE guild_id = ${guildId}) AS member_quota,
          (SELECT server_daily_budget FROM guild_settings WHERE guild_id = ${guildId}) AS server_budget`.execute(trx);
        const full = fullLimit(taken.rows[0]!, hold.quotaExempt);
        if (full !== null) return full;
        const held = await trx
          .insertInto('usage_reservations')
          .values({ guild_id: guildId, user_id: userId, day, at, expires_at: at + RESERVATION_TTL_MS })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { kind: 'reserved' as const, id: Number(held.id) };
      }),
    async settle(reservationId, events) {
      const days = await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('usage_reservations').where('id', '=', reservationId).execute();
        return writeEvents(trx, events);
      });
      noteDays(days);
    },
    async startedOn(guildId, day, userId) {
      let query = db
        .selectFrom('usage_daily')
        .select(sql<number>`COALESCE(SUM(n), 0)::int`.as('n'))
        .where('guild_id', '=', guildId)
        .where('day', '=', day)
        .where('outcome', '=', 'started');
      if (userId !== undefined) query = query.where('user_id', '=', userId);
      const row = await query.executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async counts(guildId, fromDay, toDay, userId) {
      let query = db
        .selectFrom('usage_daily')
        .select(['day', 'user_id', 'action', 'outcome', 'rule', 'n'])
        .where('guild_id', '=', guildId)
        .where('day', '>=', fromDay)
        .where('day', '<=', toDay);
      if (userId !== undefined) query = query.where('user_id', '=', userId);
      // The same order as SQLite's primary-key walk: day, member, action, outcome, rule.
      const rows = await query
        .orderBy('day')
        .orderBy('user_id')
        .orderBy('action')
        .orderBy('outcome')
        .orderBy('rule')
        .execute();
      return rows.map(toCount);
    },
    async prune(beforeMs, beforeDay) {
      await db.deleteFrom('usage_reservations').where('expires_at', '<', beforeMs).execute();
      await db.deleteFrom('usage_daily').where('day', '<', beforeDay).execute();
      const result = await db.deleteFrom('usage_log').where('at', '<', beforeMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
