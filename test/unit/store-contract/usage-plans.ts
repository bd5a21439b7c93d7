// The usage log at scale on PostgreSQL (SQLite's twin: test/unit/store-usage.test.ts): at 100,000
// recorded submits, the reads behind a submit's quota check and /mjusage read the daily counters by
// their primary key, never the log, and touch no more counter rows than the window holds. Asserted on
// the plan PostgreSQL runs (EXPLAIN ANALYZE, rows only), never on time.
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { countsQuery, startedOnQuery, takenTodayQuery } from '../../../src/store/pg/usage.js';
import { openPostgresStore } from '../../../src/store/pg/open.js';
import type { PgSchema } from '../../../src/store/pg/schema.js';
import type { TestPostgres } from '../../support/postgres.js';

/** The busiest of 20 servers: a fifth of the submits. */
const G = '100000000000000000';
const MEMBER = '300000000000000007';
const TODAY = '2026-12-02';
const MONTH_FROM = '2026-11-03';
const T0 = Date.UTC(2026, 11, 2, 12);
const DAY = 86_400_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/** Index entries or heap rows a node read from usage_daily: what it kept and what it filtered out. */
const rowsRead = (n: PlanNode) =>
  ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0) + (n['Rows Removed by Index Recheck'] ?? 0)) *
  (n['Actual Loops'] ?? 1);

export function describeUsagePlans(server: () => TestPostgres): void {
  describe('usage log at 100,000 recorded submits', () => {
    it('reads quotas and /mjusage from the counters’ primary key, no more rows than the window holds', async () => {
      const url = await server().createDatabase();
      const store = openPostgresStore(url);
      await store.ready();
      await store.close();
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const db = new Kysely<PgSchema>({ dialect: new PostgresDialect({ pool }) });
      try {
        // 100,000 submits over 60 days by 300 members of 20 servers (G a fifth of them), 9 actions,
        // one in ten refused by a rule, drawn at random from a fixed seed (one connection, so setseed
        // holds for the insert): the counters come close to one per submit, the worst case for the
        // reads. They are built from the log in one statement, as the contract tests show record() keeps them.
        await db.executeQuery(CompiledQuery.raw('SELECT setseed(0.16)'));
        await db.executeQuery(
          CompiledQuery.raw(`
          INSERT INTO usage_log (guild_id, user_id, at, day, action, outcome, rule)
          SELECT CASE WHEN g < 0.2 THEN '${G}' ELSE (100000000000000001 + floor(g * 19)::bigint)::text END,
                 (300000000000000000 + floor(u * 300)::bigint)::text,
                 ${T0} - floor(d * 60)::bigint * ${DAY} - (n % 720) * 60000,
                 '',
                 (ARRAY['imagine','upsample','variation','reroll','zoom','pan','describe','blend','shorten'])[1 + floor(a * 9)::int],
                 CASE WHEN refused < 0.1 THEN 'refused' ELSE 'started' END,
                 CASE WHEN refused < 0.1 THEN 'member_quota' ELSE '' END
          FROM (SELECT n, random() AS g, random() AS u, random() AS d, random() AS a, random() AS refused
                FROM generate_series(0, 99999) AS n) AS r`),
        );
        await db.executeQuery(
          CompiledQuery.raw(
            `UPDATE usage_log SET day = to_char(to_timestamp(at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
          ),
        );
        await db.executeQuery(
          CompiledQuery.raw(`
          INSERT INTO usage_daily (guild_id, day, user_id, action, outcome, rule, n)
          SELECT guild_id, day, user_id, action, outcome, rule, COUNT(*) FROM usage_log
          GROUP BY guild_id, day, user_id, action, outcome, rule`),
        );
        await db.executeQuery(CompiledQuery.raw('ANALYZE'));
        const count = async (where: string) =>
          Number(
            (await db.executeQuery<{ n: string }>(CompiledQuery.raw(`SELECT COUNT(*) AS n FROM ${where}`))).rows[0]?.n,
          );
        expect(await count('usage_log')).toBe(100_000);
        const counters = await count('usage_daily');
        const inMonth = await count(`usage_daily WHERE guild_id = '${G}' AND day >= '${MONTH_FROM}'`);
        const inDay = await count(`usage_daily WHERE guild_id = '${G}' AND day = '${TODAY}'`);
        // Many counters (the worst case), of which one server's month is a small part.
        expect(counters).toBeGreaterThan(50_000);
        expect(inMonth).toBeLessThan(counters / 5);

        const planOf = async ({ sql, parameters }: CompiledQuery) => {
          const result = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
            CompiledQuery.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) ${sql}`, [...parameters]),
          );
          return nodesOf(result.rows[0]!['QUERY PLAN'][0].Plan);
        };
        const cases: Array<[what: string, query: CompiledQuery, bound: number]> = [
          ['a reservation (server and member today)', takenTodayQuery(G, TODAY, MEMBER).compile(db), inDay],
          ["the server's started tasks today", startedOnQuery(db, G, TODAY).compile(), inDay],
          ["a member's started tasks today", startedOnQuery(db, G, TODAY, MEMBER).compile(), inDay],
          ['/mjusage of the server, 30 days', countsQuery(db, G, MONTH_FROM, TODAY).compile(), inMonth],
          ['/mjusage of a member, 30 days', countsQuery(db, G, MONTH_FROM, TODAY, MEMBER).compile(), inMonth],
          ['/mjusage of the server, today', countsQuery(db, G, TODAY, TODAY).compile(), inDay],
        ];
        for (const [what, query, bound] of cases) {
          const nodes = await planOf(query);
          const daily = nodes.filter(
            (n) => n['Relation Name'] === 'usage_daily' || n['Index Name'] === 'usage_daily_pkey',
          );
          expect(
            nodes.filter((n) => n['Relation Name'] === 'usage_log'),
            `${what}: never the log`,
          ).toEqual([]);
          expect(daily.length, `${what}: reads the counters`).toBeGreaterThan(0);
          expect(
            daily.filter((n) => n['Node Type'] === 'Seq Scan'),
            `${what}: no scan of every counter`,
          ).toEqual([]);
          expect(
            new Set(daily.filter((n) => /Index/.test(n['Node Type'])).map((n) => n['Index Name'])),
            `${what}: by the primary key`,
          ).toEqual(new Set(['usage_daily_pkey']));
          const read = Math.max(...daily.map(rowsRead));
          expect(read, `${what}: rows read from the counters`).toBeLessThanOrEqual(bound);
        }
      } finally {
        await db.destroy();
      }
    }, 60_000);
  });
}
