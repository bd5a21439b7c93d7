// The usage log at scale on real SQLite: the quota reads at 100,000 recorded submits go through the
// counters' primary key (asserted on the query plan and on the rows read, never on time). What the log
// counts is the store contract's (store-contract/usage.ts).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrations.js';
import { USAGE_QUERIES } from '../../src/store/usage.js';
import { createUsageLog } from '../../src/store/usage-sqlite.js';

const G = '100000000000000001';
const A = '300000000000000001';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 2, 12);

describe('usage log on SQLite', () => {
  it('answers quotas and /mjusage from the counters’ key at 100,000 recorded submits', async () => {
    const db = new Database(':memory:');
    migrate(db);
    const usage = createUsageLog(db);
    // 100,000 submits over 40 days by 200 members in two servers, one in ten refused; the counters are
    // built from the log in one statement (record() does both per event, tested above).
    db.exec(`
      WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 99999)
      INSERT INTO usage_log (guild_id, user_id, at, day, action, outcome, rule)
      SELECT CASE WHEN n % 4 = 0 THEN '999' ELSE '${G}' END,
             CAST(300000000000000000 + n % 200 AS TEXT),
             ${T0} - (n % 40) * ${DAY} - (n % 600) * 60000,
             '', CASE n % 4 WHEN 0 THEN 'imagine' WHEN 1 THEN 'upsample' WHEN 2 THEN 'variation' ELSE 'reroll' END,
             CASE WHEN n % 10 = 0 THEN 'refused' ELSE 'started' END,
             CASE WHEN n % 10 = 0 THEN 'member_quota' ELSE '' END
      FROM i;
      UPDATE usage_log SET day = strftime('%Y-%m-%d', at / 1000, 'unixepoch');
      INSERT INTO usage_daily (guild_id, day, user_id, action, outcome, rule, n)
      SELECT guild_id, day, user_id, action, outcome, rule, COUNT(*) FROM usage_log
      GROUP BY guild_id, day, user_id, action, outcome, rule;
    `);
    const members = Array.from({ length: 200 }, (_, i) => String(300000000000000000n + BigInt(i)));
    expect((db.prepare('SELECT COUNT(*) AS n FROM usage_log').get() as { n: number }).n).toBe(100_000);

    const planOf = (sql: string, ...args: string[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ');
    for (const [sql, args] of [
      [USAGE_QUERIES.countsOfServer, [G, '2026-11-03', '2026-12-02']],
      [USAGE_QUERIES.countsOfMember, [G, '2026-11-03', '2026-12-02', A]],
    ] as const) {
      const plan = planOf(sql, ...args);
      expect(plan).toMatch(/SEARCH usage_daily USING PRIMARY KEY \(guild_id=\? AND day>\? AND day<\?\)/);
      expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
    }
    expect(planOf(USAGE_QUERIES.startedByMember, G, '2026-12-02', A)).toMatch(
      /SEARCH usage_daily USING PRIMARY KEY \(guild_id=\? AND day=\? AND user_id=\?\)/,
    );
    expect(planOf(USAGE_QUERIES.startedByServer, G, '2026-12-02')).toMatch(
      /SEARCH usage_daily USING PRIMARY KEY \(guild_id=\? AND day=\?\)/,
    );
    // A reservation's check: the same counters, and the holds by their day index.
    const reservePlan = (
      db.prepare(`EXPLAIN QUERY PLAN ${USAGE_QUERIES.takenToday}`).all({
        guildId: G,
        day: '2026-12-02',
        userId: A,
      }) as { detail: string }[]
    ).map((r) => r.detail);
    expect(reservePlan.join(' | ')).not.toMatch(/SCAN (?!CONSTANT ROW)/);
    expect(reservePlan.filter((d) => d.startsWith('SEARCH usage_daily USING PRIMARY KEY'))).toHaveLength(2);
    expect(
      reservePlan.filter((d) => d.includes('usage_reservations USING COVERING INDEX usage_reservations_day')),
    ).toHaveLength(2);

    // A 30-day summary reads the counters, not the submits: one row per (day, member, action, outcome, rule).
    const month = usage.counts(G, '2026-11-03', '2026-12-02');
    const totalInLog = (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM usage_log WHERE guild_id = ? AND day >= '2026-11-03' AND day <= '2026-12-02'`,
        )
        .get(G) as { n: number }
    ).n;
    expect(month.reduce((n, c) => n + c.count, 0)).toBe(totalInLog);
    expect(month.length).toBeLessThan(totalInLog / 5);
    const started = (
      db
        .prepare(
          `SELECT COUNT(*) AS n FROM usage_log WHERE guild_id = ? AND day = ? AND user_id = ? AND outcome = 'started'`,
        )
        .get(G, '2026-12-02', members[1]) as { n: number }
    ).n;
    expect(usage.startedOn(G, '2026-12-02', members[1])).toBe(started);
    db.close();
  });
});
