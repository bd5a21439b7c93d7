// The contract of counting a click's tasks once: a paid submit's tasks are usage when its answer
// settles them, or, when the answer never came, when the look that finds them settles them
// (src/submit/recovery.ts); whichever comes second records nothing — also when two instances on one
// database settle the same click at once — and the look drops the click's held places.
import { describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../src/days.js';
import type { Store } from '../../../src/store/store.js';
import type { Reservation, UsageEvent } from '../../../src/store/usage.js';
import { contractWorld, type OpenPair, type OpenStore } from './world.js';

const G = '100000000000000001';
const A = '300000000000000001';
const T0 = Date.UTC(2026, 11, 2, 12);
const DAY = utcDayOf(T0);

const started = (n: number, action = 'imagine'): UsageEvent[] =>
  Array.from({ length: n }, () => ({ guildId: G, userId: A, at: T0, action, outcome: 'started' as const }));
const idOf = (r: Reservation) => {
  if (r.kind !== 'reserved') throw new Error(`expected a reservation, got ${r.limit} full`);
  return r.id;
};
const hold = (at: number, extra: { places?: number; clickId?: number } = {}) => ({
  guildId: G,
  userId: A,
  at,
  quotaExempt: false,
  ...extra,
});
const clickOf = (store: Store, at = T0) =>
  store.clicks.record({
    messageId: null,
    customId: 'imagine',
    userId: A,
    at,
    guildId: G,
    channelId: '2',
    action: 'imagine',
  });

export function describeUsageClicks(openStore: OpenStore, openPair: OpenPair): void {
  describe('usage counted once per click', () => {
    const w = contractWorld(openStore, T0, openPair);

    it('the look that finds a timed-out submit’s tasks counts them and drops its hold; the late answer adds nothing', async () => {
      const store = await w.open();
      const { usage } = store;
      await store.settings.update(G, { memberDailyQuota: 5, serverDailyBudget: null }, A);
      const click = await clickOf(store);
      const held = idOf(await usage.reserve(hold(T0, { places: 4, clickId: click })));
      expect(await usage.settle(null, started(4), click)).toBe(true);
      expect(await usage.counts(G, DAY, DAY, A)).toEqual([
        { day: DAY, userId: A, action: 'imagine', outcome: 'started', rule: '', count: 4 },
      ]);
      // The four places held for the click are gone: 4 started, one place left of five.
      idOf(await usage.reserve(hold(T0 + 1)));
      expect(await usage.reserve(hold(T0 + 2))).toMatchObject({ kind: 'full', left: 0 });
      // The answer comes after all (or another look): nothing more is recorded.
      expect(await usage.settle(held, started(4), click)).toBe(false);
      expect(await usage.settle(null, started(1), click)).toBe(false);
      expect(await usage.startedOn(G, DAY, A)).toBe(4);
    });

    it('the answer first: its settle counts, the look after it counts nothing; a click the log does not hold records nothing', async () => {
      const store = await w.open();
      const { usage } = store;
      const click = await clickOf(store);
      expect(await usage.settle(null, [{ ...started(1)[0]!, outcome: 'rejected', rule: 'banned_prompt' }], click)).toBe(
        true,
      );
      expect(await usage.settle(null, started(1), click)).toBe(false);
      expect(await usage.settle(null, started(2), click + 1_000)).toBe(false);
      expect(await usage.counts(G, DAY, DAY, A)).toEqual([
        { day: DAY, userId: A, action: 'imagine', outcome: 'rejected', rule: 'banned_prompt', count: 1 },
      ]);
      // Events of no click (a guard's refusal) are recorded as before, every time.
      await usage.record({ ...started(1)[0]!, outcome: 'refused', rule: 'member_quota' });
      await usage.record({ ...started(1)[0]!, outcome: 'refused', rule: 'member_quota' });
      expect((await usage.counts(G, DAY, DAY, A)).find((c) => c.outcome === 'refused')?.count).toBe(2);
    });

    it('ten settles of one click at once from two instances on one database: recorded once', async () => {
      const [a, b] = await w.openPair();
      const click = await clickOf(a);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).usage.settle(null, started(2, 'pic_reader'), click)),
      );
      expect(results.filter((r) => r)).toHaveLength(1);
      expect(await b.usage.startedOn(G, DAY, A)).toBe(2);
      expect(await a.usage.counts(G, DAY, DAY)).toEqual([
        { day: DAY, userId: A, action: 'pic_reader', outcome: 'started', rule: '', count: 2 },
      ]);
    });
  });
}
