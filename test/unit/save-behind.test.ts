import { afterEach, describe, expect, it } from 'vitest';
import type { TrackedTaskPatch } from '../../src/store/tracked-tasks.js';
import { createSaveBehind } from '../../src/tracking/save-behind.js';
import { createManualTime, task } from './tracker-fakes.js';
import { closeWorlds, setupTracker, target } from './tracker-worlds.js';

afterEach(closeWorlds);

describe('save-behind', () => {
  const setup = () => {
    const time = createManualTime();
    const written: Array<[string, TrackedTaskPatch]> = [];
    const behind = createSaveBehind<string>({
      clock: time.clock,
      scheduler: time.scheduler,
      delayMs: 10_000,
      write: (key, patch) => void written.push([key, patch]),
    });
    return { time, written, behind };
  };

  it('gathers a task’s patches and writes them once, delayMs after the first', async () => {
    const { time, written, behind } = setup();
    behind.later('a', { lastStatus: 'IN_PROGRESS', lastProgress: '10%' });
    await time.advance(4_000);
    behind.later('a', { lastProgress: '20%', lastRenderHash: 'h2' });
    behind.later('b', { lastPushAt: 5 });
    await time.advance(5_999);
    expect(written).toEqual([]);
    await time.advance(1);
    expect(written).toEqual([['a', { lastStatus: 'IN_PROGRESS', lastProgress: '20%', lastRenderHash: 'h2' }]]);
    await time.advance(4_000);
    expect(written).toEqual([
      ['a', { lastStatus: 'IN_PROGRESS', lastProgress: '20%', lastRenderHash: 'h2' }],
      ['b', { lastPushAt: 5 }],
    ]);
    expect(behind.pending()).toBe(0);
  });

  it('a write that cannot wait takes what was pending along, under its own fields, and the timer is off', async () => {
    const { time, written, behind } = setup();
    behind.later('a', { lastStatus: 'IN_PROGRESS', lastProgress: '90%', messageId: 'm1' });
    expect(behind.take('a', { phase: 'done', messageId: 'm2' })).toEqual({
      lastStatus: 'IN_PROGRESS',
      lastProgress: '90%',
      messageId: 'm2',
      phase: 'done',
    });
    expect(behind.take('b', { phase: 'gone' })).toEqual({ phase: 'gone' });
    await time.advance(20_000);
    expect(written).toEqual([]);
  });

  it('keeps one timer for every task waiting, and writes each one delayMs after its first patch', async () => {
    const { time, written, behind } = setup();
    for (let i = 0; i < 1_000; i++) {
      behind.later(`t${i}`, { lastProgress: `${i % 100}%` });
      if (i % 100 === 99 && i < 999) await time.advance(1_000); // ten hundreds, 1 s apart
    }
    expect(time.pendingTimers()).toBe(1);
    behind.take('t0', { phase: 'done' }); // the first one goes early: the timer waits for the next
    await time.advance(0);
    expect(written).toEqual([]);
    await time.advance(1_000);
    expect(written.map(([key]) => key)).toEqual(Array.from({ length: 99 }, (_, i) => `t${i + 1}`));
    await time.advance(8_999);
    expect(written).toHaveLength(899);
    await time.advance(1);
    expect(written).toHaveLength(999);
    expect(time.pendingTimers()).toBe(0);
    behind.later('late', { lastProgress: '1%' });
    expect(time.pendingTimers()).toBe(1);
  });

  it('keeps one write of a task in flight: one due meanwhile waits for it, gathers what comes, then goes', async () => {
    const time = createManualTime();
    const written: Array<[string, TrackedTaskPatch]> = [];
    const answers: Array<() => void> = [];
    const behind = createSaveBehind<string>({
      clock: time.clock,
      scheduler: time.scheduler,
      delayMs: 1_000,
      write: (key, patch) => {
        written.push([key, patch]);
        return new Promise<void>((resolve) => answers.push(resolve));
      },
    });
    behind.later('a', { lastProgress: '10%' });
    behind.later('b', { lastProgress: '50%' });
    await time.advance(1_000);
    expect(written).toHaveLength(2); // both out, neither answered (a database that fell behind)
    behind.later('a', { lastProgress: '20%' });
    await time.advance(1_000);
    behind.later('a', { lastRenderHash: 'h3' }); // due already: joins the one waiting
    await time.advance(5_000);
    expect(written).toHaveLength(2);
    expect(behind.pending()).toBe(1);
    answers[0]!(); // a's first write is in: the one that waited goes at once, with both patches
    await time.advance(0);
    expect(written[2]).toEqual(['a', { lastProgress: '20%', lastRenderHash: 'h3' }]);
    expect(behind.pending()).toBe(0);
    // A write that may not wait counts too: what falls due meanwhile waits for it.
    const urgent = new Promise<void>((resolve) => answers.push(resolve));
    behind.issued('b', urgent);
    answers[1]!();
    behind.later('b', { lastProgress: '60%' });
    await time.advance(1_000);
    expect(written).toHaveLength(3);
    answers[3]!();
    await time.advance(0);
    expect(written[3]).toEqual(['b', { lastProgress: '60%' }]);
    // flushAll does not wait: idle and stop write everything now (the store keeps a task's order).
    behind.later('a', { lastProgress: '30%' });
    await time.advance(1_000);
    behind.later('a', { lastProgress: '40%' });
    behind.flushAll();
    expect(written.slice(4)).toEqual([['a', { lastProgress: '40%' }]]); // a's second write is still out
  });

  it('flushAll writes every pending patch now', async () => {
    const { time, written, behind } = setup();
    behind.later('a', { lastProgress: '10%' });
    behind.later('c', { lastProgress: '30%' });
    behind.flushAll();
    expect(written).toEqual([
      ['a', { lastProgress: '10%' }],
      ['c', { lastProgress: '30%' }],
    ]);
    await time.advance(20_000);
    expect(written).toHaveLength(2);
  });
});

describe('tracker: writes behind', () => {
  it('with a database slower than saveBehindMs, keeps one state write per task in flight and stores the last state', async () => {
    const w = setupTracker({ saveBehindMs: 1_000, fastPollMs: 1_000 });
    await w.tracker.start();
    const id = '1700000000000902';
    const update = w.store.tracked.update.bind(w.store.tracked);
    let inFlight = 0;
    let most = 0;
    const progress: Array<string | undefined> = [];
    // Every write takes 5 s to answer: five saveBehindMs, and five polls.
    w.store.tracked.update = async (taskId, patch, fence) => {
      inFlight++;
      most = Math.max(most, inFlight);
      if (patch.lastProgress !== undefined) progress.push(patch.lastProgress);
      await new Promise<void>((resolve) => w.time.scheduler.setTimeout(resolve, 5_000));
      inFlight--;
      return update(taskId, patch, fence);
    };
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '0%'));
    const followed = w.tracker.follow(id, target({ messageId: null })); // its message id's write takes 5 s too
    await w.time.advance(5_000);
    await followed;
    for (let p = 5; p <= 60; p += 5) {
      w.mj.tasks.set(id, task(id, 'IN_PROGRESS', `${p}%`));
      await w.time.advance(1_000);
    }
    // Twelve states over 12 s, each due 1 s after it: never a second write waiting on the first.
    expect(most).toBe(1);
    expect(progress.length).toBeLessThanOrEqual(4);
    const idle = w.tracker.idle();
    for (let i = 0; i < 4; i++) await w.time.advance(5_000);
    await idle; // idle() writes what waits at once, in flight or not: the store keeps a task's order
    expect((await w.store.tracked.get(id))?.lastProgress).toBe('60%');
  });

  it('stores a running task’s message id at once and its states at most every saveBehindMs; its result at once; idle() writes the rest', async () => {
    const w = setupTracker({ saveBehindMs: 10_000, fastPollMs: 3_000 });
    await w.tracker.start();
    const id = '1700000000000901';
    const writes: TrackedTaskPatch[] = [];
    const update = w.store.tracked.update.bind(w.store.tracked);
    w.store.tracked.update = (taskId, patch, fence) => {
      writes.push({ ...patch });
      return update(taskId, patch, fence);
    };
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '0%'));
    const { messageId } = await w.tracker.follow(id, target({ messageId: null }));
    expect(messageId).not.toBeNull();
    // A restart must edit this message rather than post another: known to the store at once.
    expect((await w.store.tracked.get(id))?.messageId).toBe(messageId);
    const before = writes.length;
    for (let p = 10; p <= 90; p += 10) {
      w.mj.tasks.set(id, task(id, 'IN_PROGRESS', `${p}%`));
      await w.time.advance(3_000);
    }
    expect(w.discord.messages.get(messageId!)?.body.content).toContain('IN_PROGRESS 90%');
    // Nine states shown over 27 s, each a state write and a render write before: now one per 10 s.
    expect(writes.length - before).toBeLessThanOrEqual(3);
    // What a crash now would lose is at most the last 10 s of them.
    const stored = await w.store.tracked.get(id);
    expect(Number.parseInt(stored?.lastProgress ?? '0', 10)).toBeGreaterThanOrEqual(60);

    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '95%'));
    await w.time.advance(3_000);
    await w.tracker.idle();
    expect(await w.store.tracked.get(id)).toMatchObject({ phase: 'active', lastProgress: '95%' });

    w.mj.tasks.set(id, task(id, 'SUCCESS', '100%', { imageUrl: 'https://cdn.example/img.png' }));
    await w.time.advance(3_000);
    expect(await w.store.tracked.get(id)).toMatchObject({ phase: 'done', lastStatus: 'SUCCESS' });
  });
});
