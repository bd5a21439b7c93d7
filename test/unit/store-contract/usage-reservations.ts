// The contract of the daily limits' reservations: a paid submit holds its place in the day's member
// quota and server budget from its check to the API's answer, checked and held in one step — also by
// two instances on one database at the same moment — against the limits stored at that moment, and a
// hold is no usage until it settles.
import { describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../src/days.js';
import type { Store } from '../../../src/store/store.js';
import { RESERVATION_TTL_MS, type Reservation, type UsageEvent, type UsageHold } from '../../../src/store/usage.js';
import { contractWorld, type OpenPair, type OpenStore } from './world.js';

const G = '100000000000000001';
const A = '300000000000000001';
const B = '300000000000000002';
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 2, 12);

const started = (userId: string, at: number): UsageEvent => ({
  guildId: G,
  userId,
  at,
  action: 'imagine',
  outcome: 'started',
});
const idOf = (r: Reservation) => {
  if (r.kind !== 'reserved') throw new Error(`expected a reservation, got ${r.limit} full`);
  return r.id;
};
/** A member's hold (not a manager: the member quota applies). */
const hold = (userId: string, at: number, guildId = G): UsageHold => ({ guildId, userId, at, quotaExempt: false });
/** The server's limits, as /mjsettings stores them. */
async function limit(store: Store, limits: { member: number | null; server: number | null }, guildId = G) {
  await store.settings.update(guildId, { memberDailyQuota: limits.member, serverDailyBudget: limits.server }, A);
}

export function describeUsageReservations(openStore: OpenStore, openPair: OpenPair): void {
  describe('usage reservations', () => {
    const w = contractWorld(openStore, T0, openPair);

    it('hold places in the member quota and the server budget; a settle makes usage of them, a release frees them', async () => {
      const store = await w.open();
      const { usage } = store;
      await limit(store, { member: 2, server: 3 });
      const a1 = idOf(await usage.reserve(hold(A, T0)));
      const a2 = idOf(await usage.reserve(hold(A, T0 + 1)));
      expect(await usage.reserve(hold(A, T0 + 2))).toEqual({ kind: 'full', limit: 'member', allowed: 2, left: 0 });
      idOf(await usage.reserve(hold(B, T0 + 3)));
      // The server's budget is full; it binds a manager (no member quota) too.
      expect(await usage.reserve({ ...hold(B, T0 + 4), quotaExempt: true })).toEqual({
        kind: 'full',
        limit: 'server',
        allowed: 3,
        left: 0,
      });
      // Another server has its own limits (none: its hold is taken and settles like any other).
      idOf(await usage.reserve(hold(A, T0, '999')));
      // A hold is no usage: /mjusage reads started tasks only.
      const today = utcDayOf(T0);
      expect(await usage.startedOn(G, today)).toBe(0);
      expect(await usage.counts(G, today, today)).toEqual([]);

      await usage.settle(a1, [started(A, T0 + 5)]);
      expect(await usage.startedOn(G, today, A)).toBe(1);
      expect(await usage.reserve(hold(A, T0 + 6))).toMatchObject({ kind: 'full' });
      // The submit failed: its place is free again, and nothing was counted.
      await usage.settle(a2, []);
      expect(await usage.startedOn(G, today, A)).toBe(1);
      idOf(await usage.reserve(hold(A, T0 + 7)));
      // The next UTC day starts empty.
      await limit(store, { member: 1, server: 1 });
      idOf(await usage.reserve(hold(A, T0 + DAY)));
    });

    it('a manager has no member quota, only the server budget', async () => {
      const store = await w.open();
      await limit(store, { member: 1, server: 3 });
      const manager = (at: number) => ({ ...hold(A, at), quotaExempt: true });
      idOf(await store.usage.reserve(manager(T0)));
      idOf(await store.usage.reserve(manager(T0 + 1)));
      expect(await store.usage.reserve(hold(A, T0 + 2))).toEqual({
        kind: 'full',
        limit: 'member',
        allowed: 1,
        left: 0,
      });
      idOf(await store.usage.reserve(manager(T0 + 3)));
      expect(await store.usage.reserve(manager(T0 + 4))).toEqual({
        kind: 'full',
        limit: 'server',
        allowed: 3,
        left: 0,
      });
    });

    it('a settle records what the API said: each task it started, or its refusal', async () => {
      const store = await w.open();
      const { usage } = store;
      await limit(store, { member: 5, server: null });
      const id = idOf(await usage.reserve(hold(A, T0)));
      await usage.settle(id, [started(A, T0 + 1), { ...started(A, T0 + 1), action: 'blend' }]);
      const refused = idOf(await usage.reserve(hold(A, T0 + 2)));
      await usage.settle(refused, [{ ...started(A, T0 + 3), outcome: 'rejected', rule: 'banned_prompt' }]);
      const today = utcDayOf(T0);
      expect(await usage.counts(G, today, today, A)).toEqual([
        { day: today, userId: A, action: 'blend', outcome: 'started', rule: '', count: 1 },
        { day: today, userId: A, action: 'imagine', outcome: 'rejected', rule: 'banned_prompt', count: 1 },
        { day: today, userId: A, action: 'imagine', outcome: 'started', rule: '', count: 1 },
      ]);
      expect(await usage.startedOn(G, today, A)).toBe(2);
    });

    it('a settle of several tasks alike (one click that started four) counts each, and logs each', async () => {
      const store = await w.open();
      await limit(store, { member: 5, server: null });
      const id = idOf(await store.usage.reserve(hold(A, T0)));
      await store.usage.settle(
        id,
        Array.from({ length: 4 }, () => started(A, T0 + 1)),
      );
      const today = utcDayOf(T0);
      expect(await store.usage.counts(G, today, today, A)).toEqual([
        { day: today, userId: A, action: 'imagine', outcome: 'started', rule: '', count: 4 },
      ]);
      // Four places of five taken: one more hold, then full.
      idOf(await store.usage.reserve(hold(A, T0 + 2)));
      expect(await store.usage.reserve(hold(A, T0 + 3))).toMatchObject({ kind: 'full', allowed: 5, left: 0 });
      // The four log rows are there to prune (none of them old enough yet).
      expect(await store.usage.prune(T0 + 2, '2000-01-01')).toBe(4);
    });

    it('a hold of several places (🎉 Imagine all: four) takes them all, is refused with what is left when fewer remain, and gives back what did not start', async () => {
      const store = await w.open();
      const { usage } = store;
      await limit(store, { member: 5, server: null });
      const four = idOf(await usage.reserve({ ...hold(A, T0), places: 4 }));
      // One place left: a second Imagine all is refused, saying so; a single task still fits.
      expect(await usage.reserve({ ...hold(A, T0 + 1), places: 4 })).toEqual({
        kind: 'full',
        limit: 'member',
        allowed: 5,
        left: 1,
      });
      const one = idOf(await usage.reserve(hold(A, T0 + 2)));
      expect(await usage.reserve(hold(A, T0 + 3))).toEqual({ kind: 'full', limit: 'member', allowed: 5, left: 0 });
      // Only two of the four started: two places are free again, and two tasks are usage.
      await usage.settle(four, [started(A, T0 + 4), started(A, T0 + 4)]);
      const today = utcDayOf(T0);
      expect(await usage.startedOn(G, today, A)).toBe(2);
      idOf(await usage.reserve({ ...hold(A, T0 + 5), places: 2 }));
      expect(await usage.reserve(hold(A, T0 + 6))).toMatchObject({ kind: 'full', left: 0 });
      await usage.settle(one, []);
      // The server's budget counts places the same way, for a manager (no quota) too.
      await limit(store, { member: null, server: 6 });
      expect(await usage.reserve({ ...hold(B, T0 + 7), quotaExempt: true, places: 4 })).toEqual({
        kind: 'full',
        limit: 'server',
        allowed: 6,
        left: 2,
      });
    });

    it('holds of four places from two instances at once never pass the budget: as many as fit whole', async () => {
      const [a, b] = await w.openPair();
      await limit(a, { member: null, server: 10 });
      const tries = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).usage.reserve({ ...hold(`m-${i}`, T0 + i), places: 4 })),
      );
      expect(tries.filter((r) => r.kind === 'reserved')).toHaveLength(2);
      // Every refusal saw both holds: two places left, fewer than four.
      expect(tries.filter((r) => r.kind === 'full')).toEqual(
        Array.from({ length: 8 }, () => ({ kind: 'full', limit: 'server', allowed: 10, left: 2 })),
      );
      const singles = await Promise.all(
        Array.from({ length: 4 }, (_, i) => (i % 2 ? a : b).usage.reserve(hold(`s-${i}`, T0 + 20))),
      );
      expect(singles.filter((r) => r.kind === 'reserved')).toHaveLength(2);
    });

    it('a hold that never settles (the bot stopped) stops counting once it expires', async () => {
      const store = await w.open();
      const { usage } = store;
      await limit(store, { member: 1, server: null });
      idOf(await usage.reserve(hold(A, T0)));
      expect(await usage.reserve(hold(A, T0 + RESERVATION_TTL_MS - 1))).toMatchObject({ kind: 'full' });
      idOf(await usage.reserve(hold(A, T0 + RESERVATION_TTL_MS)));
    });

    it('checks the limits stored when it holds: a change made through another instance counts at once', async () => {
      const [a, b] = await w.openPair();
      await limit(a, { member: 5, server: null });
      idOf(await b.usage.reserve(hold(A, T0)));
      idOf(await b.usage.reserve(hold(A, T0 + 1)));
      await limit(a, { member: 2, server: null });
      expect(await b.usage.reserve(hold(A, T0 + 2))).toEqual({ kind: 'full', limit: 'member', allowed: 2, left: 0 });
      await limit(a, { member: 2, server: 1 });
      expect(await b.usage.reserve(hold(B, T0 + 3))).toEqual({ kind: 'full', limit: 'server', allowed: 1, left: 0 });
      await limit(a, { member: 3, server: null });
      idOf(await b.usage.reserve(hold(A, T0 + 4)));
    });

    it('20 reservations at once from two instances on one database: exactly the quota and the budget succeed', async () => {
      const [a, b] = await w.openPair();
      const at = (i: number) => (i % 2 ? a : b);
      await limit(a, { member: 5, server: null });
      const oneMember = await Promise.all(Array.from({ length: 20 }, (_, i) => at(i).usage.reserve(hold(A, T0 + i))));
      const held = oneMember.filter((r) => r.kind === 'reserved');
      expect(held).toHaveLength(5);
      expect(oneMember.filter((r) => r.kind === 'full' && r.limit === 'member')).toHaveLength(15);
      await limit(b, { member: 5, server: 12 });
      const manyMembers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => at(i).usage.reserve(hold(`member-${i}`, T0 + i))),
      );
      // 5 held by A already: 7 places left in the budget.
      expect(manyMembers.filter((r) => r.kind === 'reserved')).toHaveLength(7);
      expect(manyMembers.filter((r) => r.kind === 'full' && r.limit === 'server')).toHaveLength(13);
      // Two of A's submits failed (released on one instance), two started (settled on the other): two places are free again.
      await a.usage.settle(idOf(held[0]!), []);
      await a.usage.settle(idOf(held[1]!), []);
      await b.usage.settle(idOf(held[2]!), [started(A, T0 + 30)]);
      await b.usage.settle(idOf(held[3]!), [started(A, T0 + 30)]);
      const again = await Promise.all(
        Array.from({ length: 10 }, (_, i) => at(i).usage.reserve(hold(`late-${i}`, T0 + 40))),
      );
      expect(again.filter((r) => r.kind === 'reserved')).toHaveLength(2);
      expect(await a.usage.startedOn(G, utcDayOf(T0))).toBe(2);
    });
  });
}
