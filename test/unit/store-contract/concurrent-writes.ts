// The contract of many writes at once, as a burst issues them: the tracker saves hundreds of tasks
// without awaiting each. On PostgreSQL they go by group commit (src/store/pg/group-commit.ts), many
// tasks in one statement; every write must still answer as it would alone: its own task, in call
// order, its own fence, its own failure.
import { describe, expect, it } from 'vitest';
import { contractWorld, trackedTask, type OpenStore } from './world.js';

const TTL = 30_000;
const A = { owner: 'bot-a', ttlMs: TTL };
const B = { owner: 'bot-b', ttlMs: TTL };
const idOf = (i: number) => String(1_700_000_000_100_000 + i);

export function describeConcurrentWrites(openStore: OpenStore): void {
  describe('concurrent tracked-task writes', () => {
    const w = contractWorld(openStore);

    it('1,000 patches of 200 tasks, none awaited: each applies, and each row holds its task’s last values', async () => {
      const store = await w.open();
      const tasks = Array.from({ length: 200 }, (_, i) => idOf(i));
      for (const id of tasks) await store.tracked.upsert(trackedTask(id, w.now), A);
      const fence = { owner: 'bot-a', epoch: 1 };
      const writes: Array<Promise<boolean>> = [];
      // Five rounds over every task, each a different set of fields: the later values must win.
      for (let round = 1; round <= 5; round++)
        for (const [i, id] of tasks.entries()) {
          const patch =
            round % 2 === 1
              ? { lastStatus: 'IN_PROGRESS', lastProgress: `${round * 10 + (i % 7)}%` }
              : { lastRenderHash: `h${round}-${i}`, ...(round === 4 ? { messageId: `9000000000${i}` } : {}) };
          writes.push(store.tracked.update(id, patch, fence));
        }
      expect(await Promise.all(writes)).toEqual(writes.map(() => true));
      for (const [i, id] of tasks.entries())
        expect(await store.tracked.get(id)).toMatchObject({
          lastStatus: 'IN_PROGRESS',
          lastProgress: `${50 + (i % 7)}%`,
          lastRenderHash: `h4-${i}`,
          messageId: `9000000000${i}`,
          phase: 'active',
        });
    });

    it('a write another instance’s lease fences is refused while the others issued with it apply', async () => {
      const store = await w.open();
      const tasks = Array.from({ length: 20 }, (_, i) => idOf(300 + i));
      for (const id of tasks) await store.tracked.upsert(trackedTask(id, w.now), A);
      // bot-b takes one task over (its lease let lapse there: bot-a renewed the others).
      w.now += TTL - 1;
      const taken = tasks[7]!;
      await store.tracked.update(taken, { lastStatus: 'SUBMITTED' });
      expect(await store.leases.renew(A)).toHaveLength(20);
      w.now += TTL;
      expect((await store.leases.claim(B, 1, { taskId: taken })).map((l) => l.epoch)).toEqual([2]);
      expect(await store.leases.renew(A)).toHaveLength(19);
      const stale = { owner: 'bot-a', epoch: 1 };
      const saved = await Promise.all(tasks.map((id) => store.tracked.update(id, { lastProgress: '40%' }, stale)));
      expect(saved).toEqual(tasks.map((id) => id !== taken));
      const confirmed = await Promise.all(tasks.map((id) => store.leases.confirm(id, stale, TTL)));
      expect(confirmed).toEqual(tasks.map((id) => id !== taken));
      expect(await store.tracked.get(taken)).toMatchObject({ lastProgress: '' });
      expect(await store.tracked.get(tasks[8]!)).toMatchObject({ lastProgress: '40%' });
    });

    it('one task’s writes under different fences answer each for itself, in call order', async () => {
      const store = await w.open();
      const id = idOf(400);
      await store.tracked.upsert(trackedTask(id, w.now), A);
      const mine = { owner: 'bot-a', epoch: 1 };
      const answers = await Promise.all([
        store.tracked.update(id, { lastProgress: '10%' }, mine),
        store.tracked.update(id, { lastStatus: 'FAILURE' }, { owner: 'bot-b', epoch: 2 }),
        store.tracked.update(id, { lastRenderHash: 'h1' }, mine),
        store.tracked.update(id, { lastProgress: '20%', lastRenderHash: undefined }, mine),
        store.tracked.update(id, { messageId: '900000000000000400' }),
        store.tracked.delete(id),
        store.tracked.update(id, { lastProgress: '30%' }, mine),
      ]);
      expect(answers).toEqual([true, false, true, true, true, true, false]);
      expect(await store.tracked.get(id)).toBeNull();
    });

    it('writes issued together to a store that can no longer write each fail', async () => {
      const store = await w.open();
      const tasks = Array.from({ length: 30 }, (_, i) => idOf(500 + i));
      for (const id of tasks) await store.tracked.upsert(trackedTask(id, w.now));
      await store.close();
      const answers = await Promise.allSettled(tasks.map((id) => store.tracked.update(id, { lastProgress: '5%' })));
      expect(answers.map((a) => a.status)).toEqual(tasks.map(() => 'rejected'));
    });
  });
}
