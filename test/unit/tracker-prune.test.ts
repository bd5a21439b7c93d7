// The clicks table and finished rows are pruned on one schedule: when the tracker starts, then every
// pruneEveryMs, keeping what is younger than the retention (which stays above every guard window).
import { afterEach, describe, expect, it } from 'vitest';
import { closeWorlds, setupTracker, type World } from './tracker-worlds.js';

afterEach(closeWorlds);

const USER = '300000000000000009';
const click = (w: World, ageMs: number) =>
  w.store.clicks.record({
    messageId: '400000000000000001',
    customId: 'MJ::JOB::upsample::1',
    userId: USER,
    at: w.time.now() - ageMs,
  });
const clicks = (w: World) => w.store.clicks.countSince(USER, 0);

describe('tracker: pruning', () => {
  it('prunes clicks older than the retention at start, then hourly', async () => {
    const day = 24 * 3_600_000;
    const w = setupTracker({ finishedRetentionMs: 7 * day, pruneEveryMs: 3_600_000 });
    await click(w, 8 * day);
    await click(w, 7 * day - 30 * 60_000); // 30 min inside the retention
    await click(w, 60_000);
    await w.tracker.start();
    expect(await clicks(w)).toBe(2);
    await w.time.advance(59 * 60_000);
    expect(await clicks(w)).toBe(2);
    await w.time.advance(60_000);
    expect(await clicks(w)).toBe(1);
  });

  it('stops pruning when the tracker stops', async () => {
    const w = setupTracker({ finishedRetentionMs: 1_000, pruneEveryMs: 10_000 });
    await w.tracker.start();
    await w.tracker.stop();
    await click(w, 5_000);
    await w.time.advance(60_000);
    expect(await clicks(w)).toBe(1);
    expect(w.time.pendingTimers()).toBe(0);
  });
});
