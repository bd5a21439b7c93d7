// The contract of the tracked-task repository: whole-row upserts (and the one that leaves an active
// row alone), field patches (null included), the
// lists the tracker resumes from, counts and pruning.
import { describe, expect, it } from 'vitest';
import { contractWorld, trackedTask, type OpenStore } from './world.js';

export function describeTrackedTasks(openStore: OpenStore): void {
  describe('tracked tasks', () => {
    const w = contractWorld(openStore);
    const tracked = (taskId: string, extra = {}) => trackedTask(taskId, w.now, extra);

    it('upserts, reads and patches only the given fields (null included)', async () => {
      const store = await w.open();
      await store.tracked.upsert(
        tracked('1700000000000003', { messageId: '900000000000000003', lastRenderHash: 'h1' }),
      );
      w.now += 1_000;
      const patch = { lastStatus: 'IN_PROGRESS', lastProgress: '10%', messageId: null };
      expect(await store.tracked.update('1700000000000003', patch)).toBe(true);
      expect(await store.tracked.get('1700000000000003')).toEqual({
        ...tracked('1700000000000003', { lastRenderHash: 'h1', startedAt: w.now - 1_000 }),
        ...patch,
      });
      expect(await store.tracked.update('1700000000000099', { phase: 'done' })).toBe(false);
      expect(await store.tracked.get('1700000000000099')).toBeNull();
    });

    it('replaces a finished row when the task is followed again', async () => {
      const store = await w.open();
      const finished = { phase: 'done', resultMessageId: '900000000000000010', locale: 'zh-CN' } as const;
      await store.tracked.upsert(tracked('1700000000000004', finished));
      const { locale: _locale, ...withoutLocale } = tracked('1700000000000004', { startedAt: w.now + 5 });
      await store.tracked.upsert(withoutLocale);
      expect(await store.tracked.get('1700000000000004')).toMatchObject({
        phase: 'active',
        resultMessageId: null,
        startedAt: w.now + 5,
        locale: null,
      });
    });

    it('a task started anew is stored, or replaces a finished row, in one write; an active row of that id stays as it is', async () => {
      const store = await w.open();
      const lease = { owner: 'bot-a', ttlMs: 30_000 };
      expect(await store.tracked.upsertUnlessActive(tracked('1700000000000005'), lease)).toBe(1);
      const again = tracked('1700000000000005', { channelId: '1180000000000009999', startedAt: w.now + 7 });
      expect(await store.tracked.upsertUnlessActive(again, { owner: 'bot-b', ttlMs: 30_000 })).toBeNull();
      expect(await store.tracked.get('1700000000000005')).toEqual(tracked('1700000000000005'));
      expect(await store.leases.renew(lease)).toEqual([{ taskId: '1700000000000005', epoch: 1 }]);
      await store.tracked.update('1700000000000005', { phase: 'done', resultMessageId: '900000000000000011' });
      expect(await store.tracked.upsertUnlessActive(again, { owner: 'bot-b', ttlMs: 30_000 })).toBe(2);
      expect(await store.tracked.get('1700000000000005')).toEqual(again);
      expect(await store.leases.renew({ owner: 'bot-b', ttlMs: 30_000 })).toEqual([
        { taskId: '1700000000000005', epoch: 2 },
      ]);
    });

    it('keeps the channel language fixed when following started, through patches', async () => {
      const store = await w.open();
      await store.tracked.upsert(tracked('1700000000000011', { locale: 'zh-CN' }));
      await store.tracked.update('1700000000000011', { lastProgress: '50%' });
      expect(await store.tracked.get('1700000000000011')).toMatchObject({ locale: 'zh-CN', lastProgress: '50%' });
      expect((await store.tracked.listActive())[0]).toMatchObject({ locale: 'zh-CN' });
    });

    it('keeps the customId the click submitted through patches and resumes; a re-follow without one clears it', async () => {
      const store = await w.open();
      const id = '1700000000000012';
      const customId = 'MJ::JOB::upsample::2::5a1f0c2e-8d7b-4c6a-9e3f-1b2c3d4e5f60';
      await store.tracked.upsert(tracked(id, { submittedCustomId: customId }));
      await store.tracked.update(id, {
        lastStatus: 'IN_PROGRESS',
        lastProgress: '46%',
        messageId: '900000000000000012',
      });
      expect(await store.tracked.get(id)).toMatchObject({ submittedCustomId: customId, lastProgress: '46%' });
      expect((await store.tracked.listActive())[0]).toMatchObject({ taskId: id, submittedCustomId: customId });
      await store.tracked.update(id, { phase: 'done' });
      expect((await store.tracked.listCleanup())[0]).toMatchObject({ taskId: id, submittedCustomId: customId });
      const { submittedCustomId: _sent, ...withoutCustomId } = tracked(id, { startedAt: w.now + 5 });
      await store.tracked.upsert(withoutCustomId);
      expect(await store.tracked.get(id)).toMatchObject({ phase: 'active', submittedCustomId: null });
    });

    it('keeps the interaction whose follow-up may be the progress message, until a re-follow without one', async () => {
      const store = await w.open();
      const id = '1700000000000013';
      await store.tracked.upsert(tracked(id, { progressInteractionId: '1500000000000000013' }));
      await store.tracked.update(id, { lastStatus: 'SUBMITTED' });
      expect((await store.tracked.listActive())[0]).toMatchObject({
        taskId: id,
        messageId: null,
        progressInteractionId: '1500000000000000013',
      });
      await store.tracked.update(id, { progressInteractionId: null, messageId: '900000000000000013' });
      expect(await store.tracked.get(id)).toMatchObject({
        progressInteractionId: null,
        messageId: '900000000000000013',
      });
    });

    it('applies one task’s writes in the order they were made, even when none is awaited', async () => {
      const store = await w.open();
      const id = '1700000000000020';
      const writes: Array<Promise<unknown>> = [store.tracked.upsert(tracked(id))];
      for (let i = 1; i <= 20; i++)
        writes.push(store.tracked.update(id, { lastProgress: `${i}%` }).then(() => undefined));
      writes.push(store.tracked.update(id, { phase: 'done', messageId: null }).then(() => undefined));
      await Promise.all(writes);
      expect(await store.tracked.get(id)).toMatchObject({ lastProgress: '20%', phase: 'done' });
    });

    it('lists active tasks, pending clean-ups, counts by phase and prunes old finished rows', async () => {
      const store = await w.open();
      await store.tracked.upsert(tracked('1700000000000005'));
      const cleanup = {
        phase: 'done',
        messageId: '900000000000000006',
        resultMessageId: '900000000000000007',
      } as const;
      await store.tracked.upsert(tracked('1700000000000006', cleanup));
      await store.tracked.upsert(tracked('1700000000000007', { phase: 'gone' }));
      w.now += 10_000;
      await store.tracked.upsert(tracked('1700000000000008', { phase: 'timed_out' }));
      await store.tracked.upsert(tracked('1700000000000009', { startedAt: w.now - 20_000 }));
      // Oldest first: the tracker resumes them in the order they started.
      expect((await store.tracked.listActive()).map((t) => t.taskId)).toEqual(['1700000000000009', '1700000000000005']);
      expect((await store.tracked.listCleanup()).map((t) => t.taskId)).toEqual(['1700000000000006']);
      expect(await store.tracked.countByPhase()).toEqual({ active: 2, done: 1, gone: 1, timed_out: 1 });
      expect(await store.tracked.prune(w.now - 1)).toBe(2);
      expect(await store.tracked.countByPhase()).toEqual({ active: 2, done: 0, gone: 0, timed_out: 1 });
      expect(await store.tracked.delete('1700000000000005')).toBe(true);
      expect(await store.tracked.delete('1700000000000005')).toBe(false);
      expect((await store.tracked.listActive()).map((t) => t.taskId)).toEqual(['1700000000000009']);
    });

    it('keeps times past 2^32 ms and ids as text exactly', async () => {
      const store = await w.open();
      const at = 4_102_444_800_000; // 2100-01-01
      await store.tracked.upsert(tracked('1700000000000000001', { startedAt: at, lastPushAt: at + 1 }));
      expect(await store.tracked.get('1700000000000000001')).toMatchObject({ startedAt: at, lastPushAt: at + 1 });
    });
  });
}
