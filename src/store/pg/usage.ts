// The usage log on PostgreSQL (the contract and its meaning: ../usage.ts): a log row and a daily
// counter per event, in one transaction; quotas and /mjusage read the counters only.
import { sql, type Kysely, type Selectable } from 'kysely';
import { utcDayOf } from '../../days.js';
import type { UsageCount, UsageOutcome } from '../../usage-summary.js';
import { USAGE_COUNTER_RETENTION_DAYS, USAGE_LOG_RETENTION_DAYS, type UsageLog } from '../usage.js';
import type { PgSchema, UsageDailyTable } from './schema.js';

const OUTCOMES: readonly UsageOutcome[] = ['started', 'refused', 'rejected'];
const DAY_MS = 86_400_000;

const toCount = (r: Omit<Selectable<UsageDailyTable>, 'guild_id'>): UsageCount => ({
  day: r.day,
  userId: r.user_id,
  action: r.action,
  outcome: OUTCOMES.find((o) => o === r.outcome) ?? 'refused',
  rule: r.rule,
  count: Number(r.n),
});

export function createPgUsageLog(db: Kysely<PgSchema>): UsageLog {
  // The first record of each new day (in this instance) drops what is past retention.
  let prunedOn = '';
  return {
    async record(event) {
      const row = { ...event, rule: event.rule ?? '', day: utcDayOf(event.at) };
      const pruneNow = row.day > prunedOn;
      await db.transaction().execute(async (trx) => {
        const { guildId, userId, at, day, action, outcome, rule } = row;
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
      });
      if (pruneNow && row.day > prunedOn) prunedOn = row.day;
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
      await db.deleteFrom('usage_daily').where('day', '<', beforeDay).execute();
      const result = await db.deleteFrom('usage_log').where('at', '<', beforeMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
