// The usage log and the server settings on real SQLite: daily counters per member, action, outcome and
// rule; the quota reads at 100,000 recorded submits go through the counters' primary key (asserted on
// the query plan and on the rows read, never on time); settings changes are audited with who and when.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { utcDayOf } from '../../src/days.js';
import { migrate } from '../../src/store/migrations.js';
import { openStore, type Store } from '../../src/store/store.js';
import { createUsageLog, USAGE_QUERIES } from '../../src/store/usage.js';

const G = '100000000000000001';
const A = '300000000000000001';
const B = '300000000000000002';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 2, 12);

const opened: Store[] = [];
let now = T0;
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  now = T0;
});
function open(): Store {
  const store = openStore(':memory:', { clock: { now: () => now } });
  opened.push(store);
  return store;
}

describe('usage log', () => {
  it('counts started tasks per member and per server per UTC day, and keeps refusals with their rule', async () => {
    const { usage } = open();
    await usage.record({ guildId: G, userId: A, at: T0, action: 'imagine', outcome: 'started' });
    await usage.record({ guildId: G, userId: A, at: T0 + 1, action: 'upsample', outcome: 'started' });
    await usage.record({ guildId: G, userId: B, at: T0 + 2, action: 'imagine', outcome: 'started' });
    await usage.record({
      guildId: G,
      userId: A,
      at: T0 + 3,
      action: 'imagine',
      outcome: 'refused',
      rule: 'member_quota',
    });
    await usage.record({
      guildId: G,
      userId: A,
      at: T0 + 4,
      action: 'imagine',
      outcome: 'refused',
      rule: 'member_quota',
    });
    await usage.record({ guildId: G, userId: A, at: T0 + DAY, action: 'imagine', outcome: 'started' });
    await usage.record({ guildId: '999', userId: A, at: T0, action: 'imagine', outcome: 'started' });
    const today = utcDayOf(T0);
    expect(await usage.startedOn(G, today, A)).toBe(2);
    expect(await usage.startedOn(G, today)).toBe(3);
    expect(await usage.startedOn(G, utcDayOf(T0 + DAY), A)).toBe(1);
    expect(await usage.startedOn(G, '2026-01-01')).toBe(0);
    expect(await usage.counts(G, today, today, A)).toEqual([
      { day: today, userId: A, action: 'imagine', outcome: 'refused', rule: 'member_quota', count: 2 },
      { day: today, userId: A, action: 'imagine', outcome: 'started', rule: '', count: 1 },
      { day: today, userId: A, action: 'upsample', outcome: 'started', rule: '', count: 1 },
    ]);
    expect((await usage.counts(G, today, utcDayOf(T0 + DAY))).reduce((n, c) => n + c.count, 0)).toBe(6);
  });

  it('prunes old log rows and old counters', async () => {
    const { usage } = open();
    await usage.record({ guildId: G, userId: A, at: T0 - 40 * DAY, action: 'imagine', outcome: 'started' });
    await usage.record({ guildId: G, userId: A, at: T0, action: 'imagine', outcome: 'started' });
    // The first record of a new day already dropped the log row past 31 days; counters stay 90 days.
    expect(await usage.counts(G, '2000-01-01', '2100-01-01')).toHaveLength(2);
    expect(await usage.prune(T0 - 31 * DAY, utcDayOf(T0 - 31 * DAY))).toBe(0);
    expect(await usage.counts(G, '2000-01-01', '2100-01-01')).toHaveLength(1);
  });

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

describe('server settings', () => {
  it('starts from the defaults, stores changes and audits each with who and when', async () => {
    const { settings } = open();
    expect(await settings.effective(G)).toMatchObject({
      allowedChannelIds: [],
      memberDailyQuota: null,
      channelLocale: null,
    });
    expect(await settings.update(G, { allowedChannelIds: ['200'], memberDailyQuota: 5 }, A)).toEqual([
      'allowedChannelIds',
      'memberDailyQuota',
    ]);
    now += 1000;
    expect(await settings.update(G, { memberDailyQuota: 5, defaultSpeed: 'relax' }, B)).toEqual(['defaultSpeed']);
    expect(await settings.update(G, { defaultSpeed: 'relax' }, B)).toEqual([]);
    expect(await settings.get(G)).toMatchObject({
      allowedChannelIds: ['200'],
      memberDailyQuota: 5,
      defaultSpeed: 'relax',
      updatedBy: B,
      updatedAt: now,
    });
    expect(await settings.auditTrail(G, 10)).toEqual([
      { guildId: G, userId: B, at: now, setting: 'defaultSpeed', oldValue: null, newValue: 'relax' },
      { guildId: G, userId: A, at: T0, setting: 'memberDailyQuota', oldValue: null, newValue: 5 },
      { guildId: G, userId: A, at: T0, setting: 'allowedChannelIds', oldValue: [], newValue: ['200'] },
    ]);
  });

  it('resets every setting, auditing what changed; the updates channel is audited too', async () => {
    const { settings } = open();
    await settings.setUpdatesChannel(G, '201', A);
    await settings.update(G, { startRoleIds: ['10'], channelLocale: 'zh-CN' }, A);
    expect((await settings.reset(G, B)).sort()).toEqual(['channelLocale', 'startRoleIds', 'updatesChannelId']);
    expect(await settings.effective(G)).toMatchObject({
      updatesChannelId: null,
      startRoleIds: [],
      channelLocale: null,
    });
    expect((await settings.auditTrail(G, 2)).map((e) => e.userId)).toEqual([B, B]);
  });
});
