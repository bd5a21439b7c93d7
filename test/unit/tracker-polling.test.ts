import { afterEach, describe, expect, it } from 'vitest';
import type { MjTask } from '../../src/mj/schema.js';
import { openStore } from '../../src/store/store.js';
import { newTrackedTask } from '../../src/tracking/followed-task.js';
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

  it('polls queued tasks slowly, running tasks fast, and never faster than 15 s with aggregator intervals', async () => {
    // Early polls off: this is about the intervals alone (early polls are tested below). For an
    // aggregator the config picks 15 s for both intervals (config/load.ts).
    const normal = setupTracker({ fastPollMs: 3_000, slowPollMs: 10_000, earlyPollFraction: 0 });
    const aggregator = setupTracker({ fastPollMs: 15_000, slowPollMs: 15_000, earlyPollFraction: 0 });
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

describe('tracker: a task near its end', () => {
  it('is polled every 500 ms from 90 %, so its result is seen within half a second; one below stays at 3 s', async () => {
    const w = setupTracker({ fastPollMs: 3_000, earlyPollFraction: 0 });
    await w.tracker.start();
    const [near, far] = ['1700000000000030', '1700000000000031'];
    w.mj.tasks.set(near, task(near, 'IN_PROGRESS', '93%'));
    w.mj.tasks.set(far, task(far, 'IN_PROGRESS', '46%'));
    await w.tracker.follow(near, target());
    await w.tracker.follow(far, target());
    await w.time.advance(100);
    w.mj.batchCalls.length = 0;
    await w.time.advance(6_000);
    const count = (id: string) => w.mj.batchCalls.filter((c) => c.includes(id)).length;
    expect(count(near)).toBe(12);
    expect(count(far)).toBe(2);
    w.mj.tasks.set(near, task(near, 'SUCCESS', '100%'));
    await w.time.advance(500);
    expect(results(w)).toHaveLength(1);
  });
});

describe('tracker: early polls form cohorts', () => {
  /** Follows `n` running tasks `gapMs` apart (scattered phases) and returns their ids. */
  async function staggered(w: World, n: number, gapMs: number, prefix: string): Promise<string[]> {
    const ids = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
    for (const id of ids) {
      w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
      await w.tracker.follow(id, target());
      await w.time.advance(gapMs);
    }
    return ids;
  }

  it('merges scattered tasks into one batch per interval, and polls each task at least once per interval', async () => {
    const w = setupTracker({ fastPollMs: 3_000, batchWindowMs: 250 });
    await w.tracker.start();
    const ids = await staggered(w, 10, 290, '170000000005');
    const polledAt = new Map<string, number[]>(ids.map((id) => [id, []]));
    const fetchTasks = w.mj.fetchTasks.bind(w.mj);
    w.mj.fetchTasks = (list) => {
      for (const id of list) polledAt.get(id)?.push(w.time.now());
      return fetchTasks(list);
    };
    await w.time.advance(6_000); // settles into cohorts
    w.mj.batchCalls.length = 0;
    await w.time.advance(30_000);
    // Without early polls: 10 batches of 1 per 3 s (100 calls). With them: one cohort.
    expect(w.mj.batchCalls.length).toBeLessThanOrEqual(11);
    for (const id of ids) {
      const times = polledAt.get(id) as number[];
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(3_000);
    }
  });

  it('waits firstPollDelayMs before the first poll of a just-submitted task, so a wave of submits shares one request', async () => {
    const w = setupTracker({ fastPollMs: 3_000, firstPollDelayMs: 250 });
    await w.tracker.start();
    const ids = Array.from({ length: 5 }, (_, i) => `17000000000080${i}`);
    for (const id of ids) {
      w.mj.tasks.set(id, task(id, 'SUBMITTED', ''));
      // What a submit tells: accepted (status ""), and the prompt.
      await w.tracker.follow(id, target(), { ...task(id, '', ''), prompt: 'a wave' });
      await w.time.advance(50);
    }
    expect(w.mj.batchCalls).toEqual([[ids[0], ids[1], ids[2], ids[3], ids[4]]]);
    // A state the API already gave (e.g. /mjtask's fetch) waits the normal interval instead.
    const fetched = '1700000000000090';
    w.mj.tasks.set(fetched, task(fetched, 'IN_PROGRESS', '20%'));
    await w.tracker.follow(fetched, target(), task(fetched, 'IN_PROGRESS', '20%'));
    await w.time.advance(1_000);
    expect(w.mj.batchCalls.flat()).not.toContain(fetched);
  });

  it('without early polls the same tasks stay scattered (what the rule fixes)', async () => {
    const w = setupTracker({ fastPollMs: 3_000, batchWindowMs: 250, earlyPollFraction: 0 });
    await w.tracker.start();
    await staggered(w, 10, 290, '170000000006');
    w.mj.batchCalls.length = 0;
    await w.time.advance(30_000);
    expect(w.mj.batchCalls.length).toBeGreaterThanOrEqual(90);
  });

  it('keeps chunks at batchSize and adds no request: early tasks only fill the last chunk', async () => {
    const w = setupTracker({ fastPollMs: 3_000, batchSize: 10 });
    await w.tracker.start();
    await staggered(w, 25, 100, '170000000007');
    w.mj.batchCalls.length = 0;
    await w.time.advance(30_000);
    expect(Math.max(...w.mj.batchCalls.map((c) => c.length))).toBeLessThanOrEqual(10);
    // 25 tasks every 3 s need at least 3 requests of 10 per interval; cohorts keep it near that.
    expect(w.mj.batchCalls.length).toBeLessThanOrEqual(40);
  });

  it('polls nothing early when list-by-condition is unsupported (each early poll would be a request)', async () => {
    const w = setupTracker({ fastPollMs: 3_000 }, { batch: false });
    await w.tracker.start();
    await staggered(w, 5, 290, '170000000008');
    w.mj.singleCalls.length = 0;
    await w.time.advance(30_000);
    expect(w.mj.singleCalls.length).toBe(50);
  });

  it('renders nothing when a poll repeats the state already on Discord', async () => {
    const w = setupTracker({ fastPollMs: 3_000 });
    await w.tracker.start();
    const id = '1700000000000090';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await w.tracker.follow(id, target());
    await w.time.advance(4_000);
    const edits = w.discord.ops.filter((o) => o.op === 'edit').length;
    const polls = w.mj.batchCalls.length;
    await w.time.advance(30_000);
    expect(w.mj.batchCalls.length).toBeGreaterThanOrEqual(polls + 10);
    expect(w.discord.ops.filter((o) => o.op === 'edit').length).toBe(edits);
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '40%'));
    await w.time.advance(3_000);
    expect(w.discord.ops.filter((o) => o.op === 'edit').length).toBe(edits + 1);
  });
});

describe('tracker: pushes are hints', () => {
  it('a push shows nothing of its own: it brings a batched re-read forward, and the API’s answer is shown', async () => {
    const w = setupTracker({ pushedPollMs: 60_000, batchWindowMs: 250 });
    await w.tracker.start();
    const id = '1700000000000030';
    const other = '1700000000000031';
    w.mj.tasks.set(id, task(id, 'SUBMITTED', '0%'));
    w.mj.tasks.set(other, task(other, 'SUBMITTED', '0%'));
    const { messageId } = await w.tracker.follow(id, target());
    await w.tracker.follow(other, target());
    await w.time.advance(300);
    const shown = () => w.discord.messages.get(messageId as string)?.body.content;
    const polls = w.mj.batchCalls.length;

    // The API says 50%: two pushes arriving together are re-read in one list request, after the window.
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '50%'));
    expect(w.tracker.hint(id)).toBe('hinted');
    expect(w.tracker.hint(other)).toBe('hinted');
    await w.time.flush();
    expect(w.mj.batchCalls.length).toBe(polls);
    await w.time.advance(250);
    expect(w.mj.batchCalls.slice(polls)).toEqual([[id, other]]);
    expect(shown()).toContain('IN_PROGRESS 50%');
    // The push time is a write that may wait (save-behind.ts): idle() issues it.
    await w.tracker.idle();
    expect((await w.store.tracked.get(id))?.lastPushAt).toBe(w.time.now() - 250);

    // Pushed tasks are polled rarely otherwise (the pushes bring the re-reads).
    const after = w.mj.batchCalls.length;
    await w.time.advance(59_000);
    expect(w.mj.batchCalls.length).toBe(after);
    await w.time.advance(2_000);
    expect(w.mj.batchCalls.length).toBe(after + 1);

    w.mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    expect(w.tracker.hint(id)).toBe('hinted');
    await w.time.advance(300);
    expect(results(w)).toHaveLength(1);
    expect(w.tracker.hint(id)).toBe('untracked'); // result delivered: no longer followed
    expect(w.tracker.hint('1700000000000099')).toBe('untracked');
    expect(results(w)).toHaveLength(1);
  });

  it('pending hints are bounded: beyond the queue a push is dropped with a log line', async () => {
    const lines: string[] = [];
    const w = setupTracker(
      { maxPendingHints: 2, batchWindowMs: 250 },
      { log: (level, msg) => lines.push(`${level} ${msg}`) },
    );
    await w.tracker.start();
    const ids = ['1700000000000040', '1700000000000041', '1700000000000042'];
    for (const id of ids) {
      w.mj.tasks.set(id, task(id, 'SUBMITTED', '0%'));
      await w.tracker.follow(id, target());
    }
    await w.time.advance(300);
    expect(ids.map((id) => w.tracker.hint(id))).toEqual(['hinted', 'hinted', 'dropped']);
    expect(w.tracker.hint(ids[0] as string)).toBe('hinted'); // already queued: costs nothing
    const picked = w.tracker.pickUp('1700000000000043', () => Promise.resolve(null));
    await expect(picked).resolves.toBe('dropped');
    expect(lines.filter((l) => l === 'warn too many pushes waiting: push dropped')).toHaveLength(2);
  });

  it('a task nobody follows is read from the API in the batch, and followed only when targetFor accepts the answer', async () => {
    const w = setupTracker({ batchWindowMs: 250 });
    await w.tracker.start();
    const ours = '1700000000000050';
    const theirs = '1700000000000051';
    w.mj.tasks.set(ours, task(ours, 'IN_PROGRESS', '40%'));
    w.mj.tasks.set(theirs, task(theirs, 'IN_PROGRESS', '40%'));
    const seen: string[] = [];
    const targetFor = (read: MjTask) => {
      seen.push(`${read.id} ${read.progress}`);
      return Promise.resolve(read.id === ours ? target() : null);
    };
    const a = w.tracker.pickUp(ours, targetFor);
    const b = w.tracker.pickUp(theirs, targetFor);
    await w.time.advance(300);
    await expect(a).resolves.toBe('followed');
    await expect(b).resolves.toBe('declined');
    expect(w.mj.batchCalls).toContainEqual([ours, theirs]);
    expect(seen).toEqual([`${ours} 40%`, `${theirs} 40%`]);
    expect(await w.store.tracked.get(ours)).toMatchObject({ phase: 'active', lastProgress: '40%' });
    expect(await w.store.tracked.get(theirs)).toBeNull();

    // An id the API does not know is not followed, and targetFor never sees it.
    const unknown = w.tracker.pickUp('1700000000000052', targetFor);
    await w.time.advance(300);
    await expect(unknown).resolves.toBe('unknown');
    expect(seen).toHaveLength(2);
  });

  it('a task finished meanwhile (its row done, here or on another instance) is not followed again', async () => {
    const w = setupTracker({ batchWindowMs: 250 });
    await w.tracker.start();
    const id = '1700000000000053';
    w.mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    // Another instance followed it to its result while the push waited.
    const done = {
      ...newTrackedTask(id, target(), w.time.now()),
      phase: 'done' as const,
      resultMessageId: '1900000000000001',
    };
    await w.store.tracked.upsert(done);
    const picked = w.tracker.pickUp(id, () => Promise.resolve(target()));
    await w.time.advance(300);
    await expect(picked).resolves.not.toBe('followed');
    expect(await w.store.tracked.get(id)).toMatchObject({ phase: 'done', resultMessageId: '1900000000000001' });
  });
});

describe('tracker: lifecycle', () => {
  it('keeps the poll cadence when answers are slow: the interval runs from each poll, not from its answer', async () => {
    const w = setupTracker({ fastPollMs: 3_000 }, { mjLatencyMs: 400 });
    await w.tracker.start();
    const id = '1700000000000061';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    const sentAt: number[] = [];
    const fetchTasks = w.mj.fetchTasks.bind(w.mj);
    w.mj.fetchTasks = (ids) => (sentAt.push(w.time.now()), fetchTasks(ids));
    await w.tracker.follow(id, target());
    await w.time.advance(20_000);
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(5);
    expect(new Set(gaps)).toEqual(new Set([3_000]));
  });

  it('counts active tasks by status and per requester', async () => {
    const w = setupTracker();
    await w.tracker.start();
    w.mj.tasks.set('1700000000000040', task('1700000000000040', 'IN_PROGRESS', '5%'));
    w.mj.tasks.set('1700000000000041', task('1700000000000041', 'IN_PROGRESS', '9%'));
    await w.tracker.follow('1700000000000040', target());
    await w.tracker.follow('1700000000000041', target({ requesterId: '300000000000000002' }));
    await w.tracker.follow('1700000000000042', target());
    await w.time.advance(100);
    expect(w.tracker.counts()).toEqual({
      active: 3,
      finishing: 0,
      byStatus: { IN_PROGRESS: 2, SUBMITTED: 1 },
      leased: 3,
    });
    expect(w.tracker.runningCountFor(REQUESTER)).toBe(2);
  });

  it('stop() finishes the write in flight, records it, and leaves no timers', async () => {
    const time = createManualTime();
    const discord = createFakeDiscord(time, { latencyMs: 1_000 });
    const mj = createFakeMj(time);
    const store = openStore(':memory:', { clock: time.clock });
    const publisher = createPublisher({
      messenger: discord,
      render: createTestRender(),
      clock: time.clock,
      scheduler: time.scheduler,
    });
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
    expect((await store.tracked.get(id))?.messageId).toBe(messageId);
    expect(time.pendingTimers()).toBe(0);
    await expect(tracker.follow('1700000000000051', target())).rejects.toThrow(/stopped/);
    await store.close();
  });
});
