// The contract of the usage log: daily counters per member, action, outcome and rule, read back per
// server and per member, and kept within their retention.
import { describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../src/days.js';
import { contractWorld, type OpenStore } from './world.js';

const G = '100000000000000001';
const A = '300000000000000001';
const B = '300000000000000002';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 2, 12);

export function describeUsageLog(openStore: OpenStore): void {
  describe('usage log', () => {
    const w = contractWorld(openStore, T0);

    it('counts started tasks per member and per server per UTC day, and keeps refusals with their rule', async () => {
      const { usage } = await w.open();
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
      const all = await usage.counts(G, today, utcDayOf(T0 + DAY));
      expect(all.map((c) => [c.day, c.userId])).toEqual([
        [today, A],
        [today, A],
        [today, A],
        [today, B],
        [utcDayOf(T0 + DAY), A],
      ]);
      expect(all.reduce((n, c) => n + c.count, 0)).toBe(6);
    });

    it('prunes old log rows and old counters', async () => {
      const { usage } = await w.open();
      await usage.record({ guildId: G, userId: A, at: T0 - 40 * DAY, action: 'imagine', outcome: 'started' });
      await usage.record({ guildId: G, userId: A, at: T0, action: 'imagine', outcome: 'started' });
      // The first record of a new day already dropped the log row past 31 days; counters stay 90 days.
      expect(await usage.counts(G, '2000-01-01', '2100-01-01')).toHaveLength(2);
      expect(await usage.prune(T0 - 31 * DAY, utcDayOf(T0 - 31 * DAY))).toBe(0);
      expect(await usage.counts(G, '2000-01-01', '2100-01-01')).toHaveLength(1);
    });

    it('drops counters past 90 days at the first record of a new day, and keeps those within', async () => {
      const { usage } = await w.open();
      await usage.record({ guildId: G, userId: A, at: T0 - 100 * DAY, action: 'imagine', outcome: 'started' });
      await usage.record({ guildId: G, userId: A, at: T0 - 80 * DAY, action: 'imagine', outcome: 'started' });
      await usage.record({ guildId: G, userId: A, at: T0, action: 'imagine', outcome: 'started' });
      const days = (await usage.counts(G, '2000-01-01', '2100-01-01')).map((c) => c.day);
      expect(days).toEqual([utcDayOf(T0 - 80 * DAY), utcDayOf(T0)]);
    });
  });
}
