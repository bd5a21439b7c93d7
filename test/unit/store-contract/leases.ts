// The contract of the task leases: which instance follows each active task. A claim on track, renewal,
// expiry and takeover by another instance with a new epoch, the fence that refuses the old owner's
// writes and result, the claim at start, release at a clean stop, bounded claims oldest first, and
// when the next lease of another owner runs out; on PostgreSQL, the leases of an owner the instance
// registry counts out.
import { describe, expect, it } from 'vitest';
import { aliveWindowMsFor, type SharedBudget } from '../../../src/store/instances.js';
import { contractWorld, trackedTask, type OpenStore } from './world.js';

const TTL = 30_000;
const A = { owner: 'bot-a', ttlMs: TTL };
const B = { owner: 'bot-b', ttlMs: TTL };
/** The registry's alive window for that lease time (10 s). */
const ALIVE = aliveWindowMsFor(TTL);

export function describeTaskLeases(openStore: OpenStore): void {
  describe('task leases', () => {
    const w = contractWorld(openStore);
    const tracked = (taskId: string, extra = {}) => trackedTask(taskId, w.now, extra);
    const ids = (leased: Array<{ task: { taskId: string } }>) => leased.map((l) => l.task.taskId);

    it('the instance that starts following a task owns it until its lease expires; then another takes it over', async () => {
      const store = await w.open();
      expect(await store.tracked.upsert(tracked('1700000000000001'), A)).toBe(1);
      expect(await store.leases.claim(B, 10)).toEqual([]);
      w.now += TTL - 1;
      expect(await store.leases.renew(A)).toEqual([{ taskId: '1700000000000001', epoch: 1 }]);
      w.now += TTL - 1; // renewed: still A's
      expect(await store.leases.claim(B, 10)).toEqual([]);
      w.now += 1; // expired
      const taken = await store.leases.claim(B, 10);
      expect(taken).toEqual([{ task: expect.objectContaining({ taskId: '1700000000000001' }), epoch: 2 }]);
      expect(await store.leases.renew(A)).toEqual([]);
      expect(await store.leases.renew(B)).toEqual([{ taskId: '1700000000000001', epoch: 2 }]);
    });

    it('fences the old owner: its writes and its result are refused after a takeover, the new owner’s pass', async () => {
      const store = await w.open();
      const id = '1700000000000002';
      await store.tracked.upsert(tracked(id), A);
      expect(await store.tracked.update(id, { lastProgress: '10%' }, { owner: 'bot-a', epoch: 1 })).toBe(true);
      expect(await store.leases.confirm(id, { owner: 'bot-a', epoch: 1 }, TTL)).toBe(true);
      w.now += TTL;
      await store.leases.claim(B, 10);
      expect(await store.tracked.update(id, { lastProgress: '50%' }, { owner: 'bot-a', epoch: 1 })).toBe(false);
      expect(await store.leases.confirm(id, { owner: 'bot-a', epoch: 1 }, TTL)).toBe(false);
      // The same owner name with the old epoch is refused too: the epoch is the token.
      expect(await store.tracked.update(id, { lastProgress: '50%' }, { owner: 'bot-b', epoch: 1 })).toBe(false);
      expect(await store.tracked.update(id, { lastProgress: '60%' }, { owner: 'bot-b', epoch: 2 })).toBe(true);
      expect(await store.leases.confirm(id, { owner: 'bot-b', epoch: 2 }, TTL)).toBe(true);
      expect(await store.tracked.get(id)).toMatchObject({ lastProgress: '60%' });
      // A confirmed lease was extended: nobody takes it within the lease time.
      w.now += TTL - 1;
      expect(await store.leases.claim(A, 10)).toEqual([]);
    });

    it('a task taken over keeps the interaction its progress follow-up answers; the found message is the new owner’s write', async () => {
      const store = await w.open();
      const id = '1700000000000044';
      await store.tracked.upsert(tracked(id, { progressInteractionId: '1500000000000000004' }), A);
      w.now += TTL;
      const [taken] = await store.leases.claim(B, 10);
      expect(taken?.task).toMatchObject({ taskId: id, messageId: null, progressInteractionId: '1500000000000000004' });
      const found = { messageId: '900000000000000004' };
      expect(await store.tracked.update(id, found, { owner: 'bot-a', epoch: 1 })).toBe(false);
      expect(await store.tracked.update(id, found, { owner: 'bot-b', epoch: taken!.epoch })).toBe(true);
      expect(await store.tracked.get(id)).toMatchObject({ ...found, progressInteractionId: '1500000000000000004' });
    });

    it('a finished task is neither renewed nor claimed, and its result cannot be confirmed', async () => {
      const store = await w.open();
      const id = '1700000000000003';
      await store.tracked.upsert(tracked(id), A);
      await store.tracked.update(id, { phase: 'done' }, { owner: 'bot-a', epoch: 1 });
      expect(await store.leases.renew(A)).toEqual([]);
      w.now += TTL;
      expect(await store.leases.claim(B, 10)).toEqual([]);
      expect(await store.leases.confirm(id, { owner: 'bot-a', epoch: 1 }, TTL)).toBe(false);
    });

    it('at start an instance takes its own tasks back at once, keeping their epochs', async () => {
      const store = await w.open();
      await store.tracked.upsert(tracked('1700000000000004'), A);
      expect(await store.leases.claim(A, 10)).toEqual([]); // a heartbeat claim: held already
      const back = await store.leases.claim(A, 10, { atStart: true });
      expect(back.map((l) => [l.task.taskId, l.epoch])).toEqual([['1700000000000004', 1]]);
    });

    it('at start another instance’s live lease is left alone on PostgreSQL; on SQLite (one instance per file) every active task is taken', async () => {
      const store = await w.open();
      await store.tracked.upsert(tracked('1700000000000005'), A);
      const taken = await store.leases.claim(B, 10, { atStart: true });
      if (store.backend === 'sqlite') expect(taken.map((l) => l.epoch)).toEqual([2]);
      else expect(taken).toEqual([]);
    });

    it('released at a clean stop, the tasks are claimed by another instance at once', async () => {
      const store = await w.open();
      await store.tracked.upsert(tracked('1700000000000006'), A);
      await store.tracked.upsert(tracked('1700000000000007'), A);
      await store.tracked.upsert(tracked('1700000000000008', { phase: 'done' }), A);
      expect(await store.leases.release('bot-a')).toBe(2);
      expect(await store.leases.renew(A)).toEqual([]);
      expect(ids(await store.leases.claim(B, 10))).toEqual(['1700000000000006', '1700000000000007']);
    });

    it('on PostgreSQL the leases of an owner the instance registry counts out are free at once; a beating owner, or one never heard from, keeps them', async () => {
      const store = await w.open();
      const beat = (instanceId: string, budget: SharedBudget = 'mj') =>
        store.instances?.beat({ budget, instanceId, shards: 1, share: 1 }, ALIVE);
      await beat('bot-a');
      await beat('bot-a', 'discord');
      await store.tracked.upsert(tracked('1700000000000060'), A);
      await store.tracked.upsert(tracked('1700000000000061'), { owner: 'bot-c', ttlMs: TTL });
      w.now += ALIVE - 1;
      await beat('bot-a'); // one budget beating is enough
      w.now += 2;
      expect(await store.leases.claim(B, 10)).toEqual([]);
      w.now += ALIVE; // bot-a silent for longer than the window, its lease still 2 windows from running out
      const taken = await store.leases.claim(B, 10);
      if (store.backend === 'sqlite')
        expect(taken).toEqual([]); // one instance per file: no registry
      else expect(taken.map((l) => [l.task.taskId, l.epoch])).toEqual([['1700000000000060', 2]]);
      // bot-c never beat (no registry row): its lease runs out as leases do.
      w.now = w.now + TTL;
      expect(ids(await store.leases.claim(B, 10))).toContain('1700000000000061');
    });

    it('claims at most `limit` tasks, oldest first, including rows no instance ever held', async () => {
      const store = await w.open();
      for (let i = 0; i < 5; i++) await store.tracked.upsert(tracked(`170000000000001${i}`, { startedAt: w.now - i }));
      expect(ids(await store.leases.claim(B, 2))).toEqual(['1700000000000014', '1700000000000013']);
      expect(ids(await store.leases.claim(B, 10))).toEqual([
        '1700000000000012',
        '1700000000000011',
        '1700000000000010',
      ]);
      expect(await store.leases.claim(A, 10)).toEqual([]);
    });

    it('claims one named task only when nobody else holds it', async () => {
      const store = await w.open();
      await store.tracked.upsert(tracked('1700000000000020'), A);
      await store.tracked.upsert(tracked('1700000000000021'));
      expect(await store.leases.claim(B, 1, { taskId: '1700000000000020' })).toEqual([]);
      expect(ids(await store.leases.claim(A, 1, { taskId: '1700000000000020' }))).toEqual(['1700000000000020']);
      expect(ids(await store.leases.claim(B, 1, { taskId: '1700000000000021' }))).toEqual(['1700000000000021']);
    });

    it('a re-follow of a finished task leases it afresh with a new epoch', async () => {
      const store = await w.open();
      await store.tracked.upsert(tracked('1700000000000030', { phase: 'done' }), A);
      expect(await store.tracked.upsert(tracked('1700000000000030'), B)).toBe(2);
      expect(await store.leases.renew(B)).toEqual([{ taskId: '1700000000000030', epoch: 2 }]);
    });

    it('says when the first lease another owner holds on an active task runs out', async () => {
      const store = await w.open();
      expect(await store.leases.nextExpiry('bot-b')).toBeNull();
      const start = w.now;
      await store.tracked.upsert(tracked('1700000000000050'), A);
      w.now += 1_000;
      await store.tracked.upsert(tracked('1700000000000051'), A);
      await store.tracked.upsert(tracked('1700000000000052', { phase: 'done' }), A);
      // Its own leases, finished tasks' and rows nobody holds do not count.
      await store.tracked.upsert(tracked('1700000000000053'));
      expect(await store.leases.nextExpiry('bot-b')).toBe(start + TTL);
      expect(await store.leases.nextExpiry('bot-a')).toBeNull();
      w.now += TTL; // the first has run out: still answered, in the past
      expect(await store.leases.nextExpiry('bot-b')).toBe(start + TTL);
      await store.leases.renew(A);
      expect(await store.leases.nextExpiry('bot-b')).toBe(w.now + TTL);
    });

    it('a push for a task followed elsewhere is relayed on PostgreSQL; SQLite has no one else to tell', async () => {
      const store = await w.open();
      expect(await store.relay.tell('1700000000000040')).toBe(store.backend === 'postgres');
    });
  });
}
