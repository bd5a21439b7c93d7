// The contract of the daily limits' reservations: a paid submit holds its place in the day's member
// quota and server budget from its check to the API's answer, checked and held in one step — also by
// two instances on one database at the same moment — and a hold is no usage until it settles.
import { describe, expect, it } from 'vitest';
import { utcDayOf } from '../../../src/days.js';
import { RESERVATION_TTL_MS, type Reservation, type UsageEvent } from '../../../src/store/usage.js';
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

export function describeUsageReservations(openStore: OpenStore, openPair: OpenPair): void {
  describe('usage reservations', () => {
    const w = contractWorld(openStore, T0, openPair);

    it('hold places in the member quota and the server budget; a settle makes usage of them, a release frees them', async () => {
      const { usage } = await w.open();
      const limits = { member: 2, server: 3 };
      const a1 = idOf(await usage.reserve({ guildId: G, userId: A, at: T0 }, limits));
      const a2 = idOf(await usage.reserve({ guildId: G, userId: A, at: T0 + 1 }, limits));
      expect(await usage.reserve({ guildId: G, userId: A, at: T0 + 2 }, limits)).toEqual({
        kind: 'full',
        limit: 'member',
      });
      idOf(await usage.reserve({ guildId: G, userId: B, at: T0 + 3 }, limits));
      // The server's budget is full; it binds a manager (no member quota) too.
      expect(await usage.reserve({ guildId: G, userId: B, at: T0 + 4 }, { member: null, server: 3 })).toEqual({
        kind: 'full',
        limit: 'server',
      });
      // Another server has its own limits.
      idOf(await usage.reserve({ guildId: '999', userId: A, at: T0 }, limits));
      // A hold is no usage: /mjusage reads started tasks only.
      const today = utcDayOf(T0);
      expect(await usage.startedOn(G, today)).toBe(0);
      expect(await usage.counts(G, today, today)).toEqual([]);

      await usage.settle(a1, [started(A, T0 + 5)]);
      expect(await usage.startedOn(G, today, A)).toBe(1);
      expect(await usage.reserve({ guildId: G, userId: A, at: T0 + 6 }, limits)).toMatchObject({ kind: 'full' });
      // The submit failed: its place is free again, and nothing was counted.
      await usage.settle(a2, []);
      expect(await usage.startedOn(G, today, A)).toBe(1);
      idOf(await usage.reserve({ guildId: G, userId: A, at: T0 + 7 }, limits));
      // The next UTC day starts empty.
      idOf(await usage.reserve({ guildId: G, userId: A, at: T0 + DAY }, { member: 1, server: 1 }));
    });

    it('a settle records what the API said: each task it started, or its refusal', async () => {
      const { usage } = await w.open();
      const limits = { member: 5, server: null };
      const id = idOf(await usage.reserve({ guildId: G, userId: A, at: T0 }, limits));
      await usage.settle(id, [started(A, T0 + 1), { ...started(A, T0 + 1), action: 'blend' }]);
      const refused = idOf(await usage.reserve({ guildId: G, userId: A, at: T0 + 2 }, limits));
      await usage.settle(refused, [{ ...started(A, T0 + 3), outcome: 'rejected', rule: 'banned_prompt' }]);
      const today = utcDayOf(T0);
      expect(await usage.counts(G, today, today, A)).toEqual([
        { day: today, userId: A, action: 'blend', outcome: 'started', rule: '', count: 1 },
        { day: today, userId: A, action: 'imagine', outcome: 'rejected', rule: 'banned_prompt', count: 1 },
        { day: today, userId: A, action: 'imagine', outcome: 'started', rule: '', count: 1 },
      ]);
      expect(await usage.startedOn(G, today, A)).toBe(2);
    });

    it('a hold that never settles (the bot stopped) stops counting once it expires', async () => {
      const { usage } = await w.open();
      const limits = { member: 1, server: null };
      idOf(await usage.reserve({ guildId: G, userId: A, at: T0 }, limits));
      expect(await usage.reserve({ guildId: G, userId: A, at: T0 + RESERVATION_TTL_MS - 1 }, limits)).toMatchObject({
        kind: 'full',
      });
      idOf(await usage.reserve({ guildId: G, userId: A, at: T0 + RESERVATION_TTL_MS }, limits));
    });

    it('20 reservations at once from two instances on one database: exactly the quota and the budget succeed', async () => {
      const [a, b] = await w.openPair();
      const at = (i: number) => (i % 2 ? a : b);
      const oneMember = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          at(i).usage.reserve({ guildId: G, userId: A, at: T0 + i }, { member: 5, server: null }),
        ),
      );
      const held = oneMember.filter((r) => r.kind === 'reserved');
      expect(held).toHaveLength(5);
      expect(oneMember.filter((r) => r.kind === 'full' && r.limit === 'member')).toHaveLength(15);
      const manyMembers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          at(i).usage.reserve({ guildId: G, userId: `member-${i}`, at: T0 + i }, { member: 5, server: 12 }),
        ),
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
        Array.from({ length: 10 }, (_, i) =>
          at(i).usage.reserve({ guildId: G, userId: `late-${i}`, at: T0 + 40 }, { member: 5, server: 12 }),
        ),
      );
      expect(again.filter((r) => r.kind === 'reserved')).toHaveLength(2);
      expect(await a.usage.startedOn(G, utcDayOf(T0))).toBe(2);
    });
  });
}
