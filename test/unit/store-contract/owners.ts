// The contract of task owners (the first owner stays, an ownerless mark gives way to a real owner,
// /mjtask's suggestions of a member's own tasks) and of the banned-prompt log.
import { describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/store.js';
import { contractWorld, trackedTask, type OpenStore } from './world.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const ME = '300000000000000001';
const YOU = '300000000000000002';

export function describeTaskOwners(openStore: OpenStore): void {
  describe('task owners', () => {
    const w = contractWorld(openStore);
    const own = async (store: Store, taskId: string, prompt?: string, userId = ME, guildId: string | null = GUILD) => {
      w.now += 1000;
      await store.owners.record({ taskId, guildId, userId, ...(prompt !== undefined && { prompt }) });
    };

    it('keeps the first owner of a task', async () => {
      const store = await w.open();
      await store.owners.record({ taskId: 't1', guildId: 'g', userId: 'a' });
      await store.owners.record({ taskId: 't1', guildId: 'g', userId: 'b' });
      expect(await store.owners.get('t1')).toEqual({ taskId: 't1', guildId: 'g', userId: 'a' });
      expect(await store.owners.get('t2')).toBeNull();
    });

    it('marks a task started outside the bot, and lets a real owner replace the mark', async () => {
      const store = await w.open();
      await store.owners.recordOwnerless('t1');
      expect(await store.owners.get('t1')).toEqual({ taskId: 't1', guildId: null, userId: null });
      await store.owners.record({ taskId: 't1', guildId: 'g', userId: 'a' });
      await store.owners.recordOwnerless('t1');
      expect((await store.owners.get('t1'))?.userId).toBe('a');
    });

    it("lists a member's tasks in a server newest first, with the tracker's last status", async () => {
      const store = await w.open();
      await own(store, '1001', 'a fox');
      await own(store, '1002', 'a whale');
      await own(store, '1003', 'not mine', YOU);
      await own(store, '1004', 'elsewhere', ME, OTHER_GUILD);
      await own(store, '1005', 'in a DM', ME, null);
      const done = { lastStatus: 'SUCCESS', lastProgress: '100%', phase: 'done' } as const;
      await store.tracked.upsert(trackedTask('1002', w.now, { ...done, origin: 'imagine' }));
      expect(await store.owners.recentOf(ME, GUILD, 25)).toEqual([
        { taskId: '1002', prompt: 'a whale', ...done },
        { taskId: '1001', prompt: 'a fox', lastStatus: null, lastProgress: null, phase: null },
      ]);
      expect((await store.owners.recentOf(ME, GUILD, 1)).map((t) => t.taskId)).toEqual(['1002']);
      expect((await store.owners.recentOf(ME, null, 25)).map((t) => t.taskId)).toEqual(['1005']);
    });

    it('lists tasks recorded in the same millisecond newest first', async () => {
      const store = await w.open();
      for (const id of ['2001', '2002', '2003']) await store.owners.record({ taskId: id, guildId: GUILD, userId: ME });
      expect((await store.owners.recentOf(ME, GUILD, 25)).map((t) => t.taskId)).toEqual(['2003', '2002', '2001']);
    });

    it('searches id and prompt case-insensitively, % and _ taken literally', async () => {
      const store = await w.open();
      await own(store, '1001', 'A Red Fox');
      await own(store, '2002', '100% cotton_candy');
      await own(store, '3003');
      const ids = async (search: string) => (await store.owners.recentOf(ME, GUILD, 25, search)).map((t) => t.taskId);
      expect(await ids('red fox')).toEqual(['1001']);
      expect(await ids('1001')).toEqual(['1001']);
      expect(await ids('%')).toEqual(['2002']);
      expect(await ids('n_c')).toEqual(['2002']);
      expect(await ids('30')).toEqual(['3003']);
      expect(await ids('  ')).toEqual(['3003', '2002', '1001']);
    });

    it('keeps the first prompt known, and learns one for a task recorded without', async () => {
      const store = await w.open();
      await own(store, '1001');
      await own(store, '1001', 'learnt later');
      await own(store, '1001', 'not this one');
      expect((await store.owners.recentOf(ME, GUILD, 25))[0]!.prompt).toBe('learnt later');
      await own(store, '1002', 'x'.repeat(2000));
      expect((await store.owners.recentOf(ME, GUILD, 25))[0]!.prompt).toHaveLength(500);
    });

    it("learns a prompt for another member's task without taking it, and an ownerless mark's owner, server and prompt at once", async () => {
      const store = await w.open();
      await own(store, '1001');
      await own(store, '1001', 'my prompt', YOU, OTHER_GUILD);
      expect(await store.owners.get('1001')).toEqual({ taskId: '1001', guildId: GUILD, userId: ME });
      expect((await store.owners.recentOf(ME, GUILD, 25))[0]!.prompt).toBe('my prompt');
      expect(await store.owners.recentOf(YOU, OTHER_GUILD, 25)).toEqual([]);

      await store.owners.recordOwnerless('1002');
      await own(store, '1002', '  a heron  ', YOU, OTHER_GUILD);
      expect(await store.owners.get('1002')).toEqual({ taskId: '1002', guildId: OTHER_GUILD, userId: YOU });
      expect((await store.owners.recentOf(YOU, OTHER_GUILD, 25))[0]).toMatchObject({
        taskId: '1002',
        prompt: 'a heron',
      });
      // A blank prompt is none: the next one given is learnt.
      await own(store, '1003', '   ');
      await own(store, '1003', 'a crane');
      expect((await store.owners.recentOf(ME, GUILD, 25))[0]).toMatchObject({ taskId: '1003', prompt: 'a crane' });
    });
  });

  describe('banned prompts', () => {
    const w = contractWorld(openStore);

    it('lists a member’s banned prompts since a time, oldest first, and prunes old ones', async () => {
      const store = await w.open();
      const now = w.now;
      await store.bannedPrompts.record('a', 'g', now - 2000);
      await store.bannedPrompts.record('a', null, now - 1000);
      await store.bannedPrompts.record('b', 'g', now - 1500);
      expect(await store.bannedPrompts.timesSince('a', now - 5000)).toEqual([now - 2000, now - 1000]);
      expect(await store.bannedPrompts.timesSince('a', now - 1000)).toEqual([now - 1000]);
      expect(await store.bannedPrompts.prune(now - 1200)).toBe(2);
      expect(await store.bannedPrompts.timesSince('a', 0)).toEqual([now - 1000]);
    });
  });
}
