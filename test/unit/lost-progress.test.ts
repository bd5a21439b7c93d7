// A resumed row whose progress follow-up Discord may have made unrecorded (tracking/lost-progress.ts):
// the follow-up found becomes its message (written fenced), extra copies are deleted, and a row this
// instance no longer holds, or one that needs no look, is left as it was. Real store (SQLite in memory).
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/store.js';
import type { LeaseFence, TrackedTask } from '../../src/store/tracked-tasks.js';
import { mayHaveLostProgress, withLostProgressFound } from '../../src/tracking/lost-progress.js';
import type { ProgressLookupKey } from '../../src/tracking/progress-lookup.js';
import { recordingLog } from './tracker-fakes.js';
import { tracked } from './tracker-worlds.js';

const INTERACTION = '1446000000000000001';
const OWNER = 'instance-a';
const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

async function setup(found: string[], options: { held?: boolean } = {}) {
  const store = openStore(':memory:');
  stores.push(store);
  const row = tracked('1733000000000001', { progressInteractionId: INTERACTION });
  const epoch = await store.tracked.upsert(row, { owner: OWNER, ttlMs: 30_000 });
  const asked: ProgressLookupKey[] = [];
  const removed: string[] = [];
  const work: Array<Promise<void>> = [];
  const deps = {
    publisher: {
      findProgress: (_channelId: string, key: ProgressLookupKey) => {
        asked.push(key);
        return Promise.resolve(found);
      },
      removeProgress: (_channelId: string, messageId: string) => {
        removed.push(messageId);
        return Promise.resolve(true);
      },
    },
    store,
    leases: {
      fence: (): LeaseFence | undefined => (options.held === false ? undefined : { owner: OWNER, epoch }),
    },
    trackWork: (p: Promise<void>) => void work.push(p),
    log: recordingLog(() => {}),
  };
  return { store, row, deps, asked, removed, work };
}

describe('withLostProgressFound', () => {
  it('keeps the follow-up it finds as the progress message, stored', async () => {
    const s = await setup(['900000000000000001']);
    const row = await withLostProgressFound(s.deps, s.row);
    expect(s.asked).toEqual([{ interactionId: INTERACTION, taskId: s.row.taskId }]);
    expect(row.messageId).toBe('900000000000000001');
    expect((await s.store.tracked.get(s.row.taskId))?.messageId).toBe('900000000000000001');
    expect(s.removed).toEqual([]);
  });

  it('found twice: keeps the oldest, deletes the other', async () => {
    const s = await setup(['900000000000000001', '900000000000000002']);
    const row = await withLostProgressFound(s.deps, s.row);
    await Promise.all(s.work);
    expect(row.messageId).toBe('900000000000000001');
    expect(s.removed).toEqual(['900000000000000002']);
  });

  it('nothing found: the row as it was (its first progress is posted as for any task)', async () => {
    const s = await setup([]);
    expect(await withLostProgressFound(s.deps, s.row)).toBe(s.row);
    expect((await s.store.tracked.get(s.row.taskId))?.messageId).toBeNull();
  });

  it('writes nothing for a row another instance took meanwhile', async () => {
    const s = await setup(['900000000000000001'], { held: false });
    expect(await withLostProgressFound(s.deps, s.row)).toBe(s.row);
    expect((await s.store.tracked.get(s.row.taskId))?.messageId).toBeNull();
  });

  it('looks only for an active row with no message that names its interaction', async () => {
    const s = await setup(['900000000000000001']);
    const needless: TrackedTask[] = [
      { ...s.row, messageId: '900000000000000009' },
      { ...s.row, progressInteractionId: null },
      { ...s.row, phase: 'done' },
    ];
    for (const row of needless) {
      expect(mayHaveLostProgress(row)).toBe(false);
      expect(await withLostProgressFound(s.deps, row)).toBe(row);
    }
    expect(s.asked).toEqual([]);
    expect(mayHaveLostProgress(s.row)).toBe(true);
  });
});
