// The store's task owners and banned-prompt log (migration 4): the first owner stays, an ownerless
// mark gives way to a real owner, and banned prompts are read per member and pruned.
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';

let now = 1_700_000_000_000;
const opened: Store[] = [];
const open = () => {
  const store = openStore(':memory:', { clock: { now: () => now } });
  opened.push(store);
  return store;
};
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

describe('task owners', () => {
  it('keeps the first owner of a task', async () => {
    const store = open();
    await store.owners.record({ taskId: 't1', guildId: 'g', userId: 'a' });
    await store.owners.record({ taskId: 't1', guildId: 'g', userId: 'b' });
    expect(await store.owners.get('t1')).toEqual({ taskId: 't1', guildId: 'g', userId: 'a' });
    expect(await store.owners.get('t2')).toBeNull();
  });

  it('marks a task started outside the bot, and lets a real owner replace the mark', async () => {
    const store = open();
    await store.owners.recordOwnerless('t1');
    expect(await store.owners.get('t1')).toEqual({ taskId: 't1', guildId: null, userId: null });
    await store.owners.record({ taskId: 't1', guildId: 'g', userId: 'a' });
    await store.owners.recordOwnerless('t1');
    expect((await store.owners.get('t1'))?.userId).toBe('a');
  });
});

describe('banned prompts', () => {
  it('lists a member’s banned prompts since a time, oldest first, and prunes old ones', async () => {
    const store = open();
    await store.bannedPrompts.record('a', 'g', now - 2000);
    await store.bannedPrompts.record('a', 'g', now - 1000);
    await store.bannedPrompts.record('b', 'g', now - 1500);
    expect(await store.bannedPrompts.timesSince('a', now - 5000)).toEqual([now - 2000, now - 1000]);
    expect(await store.bannedPrompts.timesSince('a', now - 1000)).toEqual([now - 1000]);
    expect(await store.bannedPrompts.prune(now - 1200)).toBe(2);
    expect(await store.bannedPrompts.timesSince('a', 0)).toEqual([now - 1000]);
    now += 1;
  });
});
