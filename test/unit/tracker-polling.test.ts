import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { createPublisher } from '../../src/tracking/publisher.js';
import { createTracker } from '../../src/tracking/tracker.js';
import { createFakeDiscord, createFakeMj, createManualTime, createTestRender, task } from './tracker-fakes.js';
import { closeWorlds, REQUESTER, results, setupTracker, target, type World } from './tracker-worlds.js';

afterEach(closeWorlds);

describe('tracker: polling', () => {
  it('fetches due tasks in batches of at most 100 ids', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const ids = Array.from({ length: 250 }, (_, i) => `17000000001${String(i).padStart(5, '0')}`);
    for (const id of ids) w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await Promise.all(ids.map((id) => w.tracker.follow(id, target({ messageId: null }))));
    w.mj.batchCalls.length = 0;
    await w.time.advance(1_000);
    expect(w.mj.batchCalls.length).toBe(3);
    expect(Math.max(...w.mj.batchCalls.map((c) => c.length))).toBeLessThanOrEqual(100);
    expect(new Set(w.mj.batchCalls.flat()).size).toBe(250);
  });

  it('falls back to one fetch per task when list-by-condition is unsupported, within the concurrency limit', async () => {
    const w = setupTracker({ fetchConcurrency: 3 }, { batch: false, mjLatencyMs: 200 });
    await w.tracker.start();
    const ids = Array.from({ length: 12 }, (_, i) => `17000000002${String(i).padStart(5, '0')}`);
    for (const id of ids) w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '50%'));
    for (const id of ids) void w.tracker.follow(id, target());
    await w.time.advance(10_000);
    expect(w.mj.batchCalls).toHaveLength(1); // tried once, remembered for the session
    expect(w.mj.maxConcurrent()).toBeLessThanOrEqual(3);
    expect(w.mj.singleCalls.length).toBeGreaterThanOrEqual(24);
    for (const id of ids) w.mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await w.time.advance(10_000);
    expect(results(w)).toHaveLength(12);
  });

  it('polls queued tasks slowly, running tasks fast, and never faster than 15 s in aggregator mode', async () => {
    const normal = setupTracker({ fastPollMs: 3_000, slowPollMs: 10_000 });
    const aggregator = setupTracker({ fastPollMs: 3_000, slowPollMs: 10_000, aggregatorMode: true });
    for (const w of [normal, aggregator]) {
      await w.tracker.start();
      w.mj.tasks.set('1700000000000020', task('1700000000000020', 'SUBMITTED', '0%'));
      w.mj.tasks.set('1700000000000021', task('1700000000000021', 'IN_PROGRESS', '5%'));
      await w.tracker.follow('1700000000000020', target());
      await w.tracker.follow('1700000000000021', target());
      await w.time.advance(100);
      w.mj.batchCalls.length = 0;
      await w.time.advance(60_000);
    }
    const count = (w: World, id: string) => w.mj.batchCalls.filter((c) => c.includes(id)).length;
    expect(count(normal, '1700000000000020')).toBe(6);
    expect(count(normal, '1700000000000021')).toBe(20);
    expect(count(aggregator, '1700000000000020')).toBe(4);
    expect(count(aggregator, '1700000000000021')).toBe(4);
  });
});

describe('tracker: pushes', () => {
  it('applies forward moves only, ignores duplicates and out-of-order pushes, and polls pushed tasks rarely', async () => {
    const w = setupTracker({ pushedPollMs: 60_000 });
    await w.tracker.start();
    const id = '1700000000000030';
    w.mj.tasks.set(id, task(id, 'SUBMITTED', '0%'));
    const { messageId } = await w.tracker.follow(id, target());
    await w.time.advance(100);
    const shown = () => w.discord.messages.get(messageId as string)?.body.content;

    expect(w.tracker.push(task(id, 'IN_PROGRESS', '50%'))).toBe(true);
    await w.time.flush();
    expect(shown()).toContain('IN_PROGRESS 50%');
    const edits = w.discord.ops.filter((o) => o.op === 'edit').length;
    expect(w.tracker.push(task(id, 'IN_PROGRESS', '30%'))).toBe(true); // late
    expect(w.tracker.push(task(id, 'IN_PROGRESS', '50%'))).toBe(true); // duplicate
    expect(w.tracker.push(task(id, 'SUBMITTED', '0%'))).toBe(true); // older
    await w.time.flush();
    expect(shown()).toContain('IN_PROGRESS 50%');
    expect(w.discord.ops.filter((o) => o.op === 'edit').length).toBe(edits);
    expect(w.store.tracked.get(id)?.lastPushAt).toBe(w.time.now());

    // The API still says SUBMITTED: a poll does not move the task back, and it comes only after 60 s.
    const polls = w.mj.batchCalls.length;
    await w.time.advance(59_000);
    expect(w.mj.batchCalls.length).toBe(polls);
    await w.time.advance(2_000);
    expect(w.mj.batchCalls.length).toBe(polls + 1);
    expect(shown()).toContain('IN_PROGRESS 50%');

    expect(w.tracker.push(task(id, 'SUCCESS', '100%'))).toBe(true);
    await w.time.flush();
    expect(results(w)).toHaveLength(1);
    expect(w.tracker.push(task(id, 'SUCCESS', '100%'))).toBe(false);
    expect(w.tracker.push(task('1700000000000099', 'SUCCESS', '100%'))).toBe(false);
    expect(results(w)).toHaveLength(1);
  });
});

describe('tracker: lifecycle', () => {
  it('counts active tasks by status and per requester', async () => {
    const w = setupTracker();
    await w.tracker.start();
    w.mj.tasks.set('1700000000000040', task('1700000000000040', 'IN_PROGRESS', '5%'));
    w.mj.tasks.set('1700000000000041', task('1700000000000041', 'IN_PROGRESS', '9%'));
    await w.tracker.follow('1700000000000040', target());
    await w.tracker.follow('1700000000000041', target({ requesterId: '300000000000000002' }));
    await w.tracker.follow('1700000000000042', target());
    await w.time.advance(100);
    expect(w.tracker.counts()).toEqual({ active: 3, finishing: 0, byStatus: { IN_PROGRESS: 2, SUBMITTED: 1 } });
    expect(w.tracker.runningCountFor(REQUESTER)).toBe(2);
  });

  it('stop() finishes the write in flight, records it, and leaves no timers', async () => {
    const time = createManualTime();
    const discord = createFakeDiscord(time, { latencyMs: 1_000 });
    const mj = createFakeMj(time);
    const store = openStore(':memory:', { clock: time.clock });
    const publisher = createPublisher({ messenger: discord, render: createTestRender(), clock: time.clock, scheduler: time.scheduler });
    const tracker = createTracker({ mj, store, publisher, clock: time.clock, scheduler: time.scheduler });
    await tracker.start();
    const id = '1700000000000050';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '5%'));
    const following = tracker.follow(id, target());
    await time.advance(10);
    const stopped = tracker.stop();
    await time.advance(1_000);
    await stopped;
    const { messageId } = await following;
    expect(messageId).not.toBeNull();
    expect(store.tracked.get(id)?.messageId).toBe(messageId);
    expect(time.pendingTimers()).toBe(0);
    await expect(tracker.follow('1700000000000051', target())).rejects.toThrow(/stopped/);
    store.close();
  });
});
