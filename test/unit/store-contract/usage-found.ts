// The contract of counting the tasks of a click found without its answer (src/webhook/feed.ts: a push
// per task; src/submit/recovery.ts: the look in the server's list): each task counts once, however
// many pushes, looks or instances find it, never more of them than the places the click held, each
// taking one of its held places; the answer coming after counts only what was not found; what is
// never found is released when the hold expires.
import { describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../src/days.js';
import type { Store } from '../../../src/store/store.js';
import { RESERVATION_TTL_MS, type Reservation, type UsageEvent } from '../../../src/store/usage.js';
import { contractWorld, type OpenPair, type OpenStore } from './world.js';

const G = '100000000000000001';
const A = '300000000000000001';
const T0 = Date.UTC(2026, 11, 3, 12);
const DAY = utcDayOf(T0);

const started = (n: number): UsageEvent[] =>
  Array.from({ length: n }, () => ({ guildId: G, userId: A, at: T0, action: 'imagine', outcome: 'started' as const }));
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
/** A click as claimSubmit records it: `places` tasks it may start; `guildId` null in a DM. */
const clickOf = (store: Store, places: number, guildId: string | null = G) =>
  store.clicks.record({
    messageId: '900000000000000001',
    customId: 'MJ::Job::PicReader::all',
    userId: A,
    at: T0,
    guildId,
    channelId: '2',
    action: 'pic_reader',
    places,
  });
const startedToday = (store: Store) => store.usage.startedOn(G, DAY, A);

export function describeUsageFound(openStore: OpenStore, openPair: OpenPair): void {
  describe('usage of tasks found without their answer', () => {
    const w = contractWorld(openStore, T0, openPair);

    it('an Imagine all found by four pushes counts four, each taking a held place; a repeated push, or a fifth task, counts nothing', async () => {
      const store = await w.open();
      const { usage } = store;
      await store.settings.update(G, { memberDailyQuota: 5, serverDailyBudget: null }, A);
      const click = await clickOf(store, 4);
      idOf(await usage.reserve(hold(T0, { places: 4, clickId: click })));
      expect(await usage.countFound(click, ['t1'])).toBe(1);
      expect(await usage.countFound(click, ['t1'])).toBe(0);
      expect(await startedToday(store)).toBe(1);
      // One started and three still held: one place of five left.
      w.now = T0 + 1;
      const spare = idOf(await usage.reserve(hold(T0 + 1)));
      expect(await usage.reserve(hold(T0 + 2))).toMatchObject({ kind: 'full', left: 0 });
      await usage.settle(spare, []);
      expect(await usage.countFound(click, ['t2', 't3'])).toBe(2);
      expect(await usage.countFound(click, ['t4', 't3'])).toBe(1);
      expect(await usage.countFound(click, ['t5'])).toBe(0);
      expect(await usage.counts(G, DAY, DAY, A)).toEqual([
        { day: DAY, userId: A, action: 'pic_reader', outcome: 'started', rule: '', count: 4 },
      ]);
      // The hold is used up: one place left, not none.
      idOf(await usage.reserve(hold(T0 + 3)));
      expect(await usage.reserve(hold(T0 + 4))).toMatchObject({ kind: 'full', left: 0 });
      // The answer after all: nothing more.
      await usage.settle(null, started(4), click);
      expect(await startedToday(store)).toBe(4);
    });

    it('the answer after a push counts only the tasks no push counted; a push after the answer counts nothing', async () => {
      const store = await w.open();
      const { usage } = store;
      const all = await clickOf(store, 4);
      expect(await usage.countFound(all, ['t1', 't2'])).toBe(2);
      expect(await usage.settle(null, started(4), all)).toBe(true);
      expect(await startedToday(store)).toBe(4);
      expect(await usage.countFound(all, ['t3'])).toBe(0);
      const one = await clickOf(store, 1);
      expect(await usage.settle(null, started(1), one)).toBe(true);
      expect(await usage.countFound(one, ['t9'])).toBe(0);
      expect(await startedToday(store)).toBe(5);
      // A click the log does not hold, and a DM's, count nothing.
      expect(await usage.countFound(one + 1_000, ['t10'])).toBe(0);
      expect(await usage.countFound(await clickOf(store, 1, null), ['t11'])).toBe(0);
      expect(await startedToday(store)).toBe(5);
    });

    it('a push and then the look: the look counts what the push did not, closes the click and drops its places', async () => {
      const store = await w.open();
      const { usage } = store;
      await store.settings.update(G, { memberDailyQuota: 4, serverDailyBudget: null }, A);
      const click = await clickOf(store, 4);
      const held = idOf(await usage.reserve(hold(T0, { places: 4, clickId: click })));
      expect(await usage.countFound(click, ['t1'])).toBe(1);
      expect(await usage.countFound(click, ['t1', 't2'], true)).toBe(1);
      expect(await startedToday(store)).toBe(2);
      // Closed: a later push, another look or the answer add nothing, and no place is held.
      expect(await usage.countFound(click, ['t3'])).toBe(0);
      expect(await usage.countFound(click, ['t3'], true)).toBe(0);
      expect(await usage.settle(held, started(4), click)).toBe(false);
      idOf(await usage.reserve(hold(T0 + 1, { places: 2 })));
      expect(await startedToday(store)).toBe(2);
    });

    it('the places of tasks never found are released when the hold expires', async () => {
      const store = await w.open();
      const { usage } = store;
      await store.settings.update(G, { memberDailyQuota: 4, serverDailyBudget: null }, A);
      const click = await clickOf(store, 4);
      idOf(await usage.reserve(hold(T0, { places: 4, clickId: click })));
      expect(await usage.countFound(click, ['t1'])).toBe(1);
      expect(await usage.reserve(hold(T0 + 1))).toMatchObject({ kind: 'full', left: 0 });
      expect(await usage.reserve(hold(T0 + RESERVATION_TTL_MS, { places: 3 }))).toMatchObject({ kind: 'reserved' });
      // A task found after the hold expired was paid for all the same: it counts.
      expect(await usage.countFound(click, ['t2'])).toBe(1);
      expect(await startedToday(store)).toBe(2);
    });

    it('two instances finding the tasks of one click at once, each many times: each task once, at most its places', async () => {
      const [a, b] = await w.openPair();
      const click = await clickOf(a, 4);
      const tasks = ['t1', 't2', 't3', 't4', 't5', 't6'];
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).usage.countFound(click, [tasks[i % tasks.length]!])),
      );
      expect(results.reduce((sum, n) => sum + n, 0)).toBe(4);
      expect(await b.usage.startedOn(G, DAY, A)).toBe(4);
      // …and a look on one while pushes arrive on the other: still four.
      const other = await clickOf(b, 2);
      const mixed = await Promise.all([
        a.usage.countFound(other, ['u1', 'u2'], true),
        b.usage.countFound(other, ['u1']),
        b.usage.countFound(other, ['u2']),
        a.usage.settle(null, started(2), other),
      ]);
      expect(mixed[0] + mixed[1] + mixed[2]).toBeLessThanOrEqual(2);
      expect(await a.usage.startedOn(G, DAY, A)).toBe(6);
    });
  });
}
