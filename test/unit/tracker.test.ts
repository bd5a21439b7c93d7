// The tracker on fakes and manual time: following a task from progress to one result, follow() on
// finished and already-posted tasks, unexpected client errors, and idle() for tests that wait on it.
import { afterEach, describe, expect, it } from 'vitest';
import { MjApiError } from '../../src/mj/errors.js';
import { task } from './tracker-fakes.js';
import { CHANNEL, closeWorlds, progressMessages, REQUESTER, results, setupTracker, target } from './tracker-worlds.js';

afterEach(closeWorlds);

describe('tracker: following a task', () => {
  it('idle() waits for the poll in flight and the publish it starts, not for timers', async () => {
    const w = setupTracker({}, { mjLatencyMs: 1_000 });
    await w.tracker.start();
    const id = '1700000000000030';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await w.tracker.follow(id, target());
    await w.time.advance(0); // the first poll goes out and takes 1 s
    let idle = false;
    void w.tracker.idle().then(() => (idle = true));
    await w.time.advance(500);
    expect(idle).toBe(false);
    await w.time.advance(500);
    expect(idle).toBe(true);
    expect(progressMessages(w)[0]?.body.content).toContain('IN_PROGRESS 10%');
    // Nothing in flight: the next poll's timer does not hold it up.
    await expect(w.tracker.idle()).resolves.toBeUndefined();
  });

  it('posts progress, edits it in place, then posts the result and deletes the progress message', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const id = '1700000000000001';
    w.mj.tasks.set(id, task(id, 'SUBMITTED', '0%'));
    const { messageId } = await w.tracker.follow(id, target());
    expect(messageId).not.toBeNull();
    expect((await w.store.tracked.get(id))?.messageId).toBe(messageId);

    await w.time.advance(100);
    expect(w.discord.messages.get(messageId as string)?.body.content).toContain('SUBMITTED');
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '30%'));
    await w.time.advance(10_000);
    expect(w.discord.messages.get(messageId as string)?.body.content).toContain('IN_PROGRESS 30%');
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '60%'));
    await w.time.advance(3_000);
    expect(w.discord.messages.get(messageId as string)?.body.content).toContain('IN_PROGRESS 60%');
    w.mj.tasks.set(id, task(id, 'SUCCESS', '100%', { imageUrl: 'https://cdn.example/a.png' }));
    await w.time.advance(3_000);

    const [result] = results(w);
    expect(results(w)).toHaveLength(1);
    expect(result?.body.content).toContain(`SUCCESS 100% <@${REQUESTER}>`);
    expect(result?.body.allowed_mentions?.users).toEqual([REQUESTER]);
    expect(w.discord.messages.has(messageId as string)).toBe(false);
    expect(await w.store.tracked.get(id)).toMatchObject({
      phase: 'done',
      resultMessageId: result?.id,
      messageId: null,
      lastStatus: 'SUCCESS',
    });
    expect(w.tracker.counts().active).toBe(0);
    // Nothing more happens for it.
    const ops = w.discord.ops.length;
    await w.time.advance(60_000);
    expect(w.discord.ops.length).toBe(ops);
  });

  it('reports FAILURE (with "100%" from an aggregator) as a failed result showing the reason', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const id = '1700000000000002';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '40%'));
    await w.tracker.follow(id, target());
    await w.time.advance(100);
    w.mj.tasks.set(id, task(id, 'FAILURE', '100%', { failReason: '上游任务超时' }));
    await w.time.advance(3_000);
    expect(results(w)).toHaveLength(1);
    expect(results(w)[0]?.body.content).toContain('FAILURE 100%');
    expect(results(w)[0]?.body.content).toContain('reason=上游任务超时');
    expect((await w.store.tracked.get(id))?.phase).toBe('done');
  });

  it('times out after maxAgeMs with a visible timed-out result', async () => {
    const w = setupTracker({ maxAgeMs: 60_000 });
    await w.tracker.start();
    const id = '1700000000000003';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await w.tracker.follow(id, target());
    await w.time.advance(59_000);
    expect(results(w)).toHaveLength(0);
    await w.time.advance(1_100);
    expect(results(w)).toHaveLength(1);
    expect(results(w)[0]?.body.content).toContain('note=Timed out');
    expect((await w.store.tracked.get(id))?.phase).toBe('timed_out');
    expect(progressMessages(w)).toHaveLength(0);
  });

  it('shows MODAL as waiting for input and keeps polling it slowly until max age', async () => {
    const w = setupTracker({ maxAgeMs: 120_000, slowPollMs: 10_000, fastPollMs: 1_000 });
    await w.tracker.start();
    const id = '1700000000000004';
    w.mj.tasks.set(id, task(id, 'MODAL', '0%'));
    await w.tracker.follow(id, target());
    await w.time.advance(100);
    const before = w.mj.batchCalls.length;
    await w.time.advance(100_000);
    const polls = w.mj.batchCalls.length - before;
    expect(polls).toBeGreaterThanOrEqual(9);
    expect(polls).toBeLessThanOrEqual(11);
    expect(w.tracker.counts()).toMatchObject({ active: 1, byStatus: { MODAL: 1 } });
    await w.time.advance(25_000);
    expect((await w.store.tracked.get(id))?.phase).toBe('timed_out');
  });

  it('keeps retrying an id unknown right after submit, then follows it once it appears', async () => {
    const w = setupTracker({ unknownGraceMs: 60_000 });
    await w.tracker.start();
    const id = '1700000000000005';
    await w.tracker.follow(id, target());
    await w.time.advance(45_000);
    expect(results(w)).toHaveLength(0);
    w.mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await w.time.advance(20_000);
    expect(results(w)).toHaveLength(1);
    expect(results(w)[0]?.body.content).toContain('SUCCESS');
  });

  it('ends an id that stays unknown as a not-found failure after the grace period', async () => {
    const w = setupTracker({ unknownGraceMs: 30_000 }, { batch: false });
    await w.tracker.start();
    const id = '1700000000000006';
    await w.tracker.follow(id, target());
    await w.time.advance(29_000);
    expect(results(w)).toHaveLength(0);
    await w.time.advance(15_000);
    expect(results(w)).toHaveLength(1);
    expect(results(w)[0]?.body.content).toContain('reason=The Midjourney API does not know this task ID.');
    expect((await w.store.tracked.get(id))?.phase).toBe('done');
  });

  it('counts the grace of an id unknown right after submit from the submit, and gives an id the API lost a grace of its own', async () => {
    const w = setupTracker({ unknownGraceMs: 30_000, fastPollMs: 3_000, slowPollMs: 10_000 }, { batch: false });
    await w.tracker.start();
    const never = '1700000000000016';
    const lost = '1700000000000017';
    w.mj.tasks.set(lost, task(lost, 'IN_PROGRESS', '10%'));
    await w.tracker.follow(never, target());
    await w.tracker.follow(lost, target());
    await w.time.advance(20_000);
    w.mj.tasks.delete(lost); // the API forgets a task it showed
    await w.time.advance(15_000); // 35 s after the submit
    const reasons = () => results(w).map((m) => m.body.content);
    expect(reasons()).toEqual([expect.stringContaining('reason=The Midjourney API does not know this task ID.')]);
    await w.time.advance(35_000);
    expect(reasons()).toHaveLength(2);
    expect(reasons()[1]).toContain('reason=The Midjourney API no longer knows this task');
  });

  it('never drops a task on transient API errors, backing off between tries', async () => {
    const w = setupTracker({ fastPollMs: 1_000, maxBackoffMs: 8_000 });
    await w.tracker.start();
    const id = '1700000000000007';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await w.tracker.follow(id, target());
    await w.time.advance(100);
    w.mj.batchFault = () => new MjApiError('upstream', '502 Bad Gateway', { status: 502 });
    const before = w.mj.batchCalls.length;
    await w.time.advance(60_000);
    const tries = w.mj.batchCalls.length - before;
    // Exponential: 2 s, 4 s, 8 s, 8 s … instead of 60 polls at 1 s.
    expect(tries).toBeGreaterThanOrEqual(6);
    expect(tries).toBeLessThanOrEqual(10);
    expect(w.tracker.counts().active).toBe(1);
    w.mj.batchFault = null;
    w.mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await w.time.advance(10_000);
    expect(results(w)).toHaveLength(1);
  });

  it('logs and carries on when the API client throws something unexpected', async () => {
    const logs: string[] = [];
    const { time, mj, tracker } = setupTracker({}, { log: (level, msg) => logs.push(`${level} ${msg}`) });
    await tracker.start();
    const id = '1700000000000011';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await tracker.follow(id, target());
    mj.fetchTasks = () => {
      throw new TypeError('client bug');
    };
    await time.advance(20_000);
    expect(logs.some((l) => l.startsWith('warn task poll failed'))).toBe(true);
    expect(tracker.counts().active).toBe(1);
  });

  it('posts the result at once when follow() gets a finished task, and returns its id', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const id = '1700000000000008';
    const { messageId } = await w.tracker.follow(id, target(), task(id, 'SUCCESS', '100%'));
    expect(results(w)).toHaveLength(1);
    expect(messageId).toBe(results(w)[0]?.id);
    expect(progressMessages(w)).toHaveLength(0);
  });

  it('edits a progress message the caller already posted instead of creating one', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const id = '1700000000000009';
    const existing = (await w.discord.send(CHANNEL, { content: 'submitted…' })).id;
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '20%'));
    expect(await w.tracker.follow(id, target({ messageId: existing }))).toEqual({ messageId: existing });
    await w.time.advance(100);
    expect(w.discord.messages.get(existing)?.body.content).toContain('IN_PROGRESS 20%');
    expect(w.discord.ops.filter((o) => o.op === 'send')).toHaveLength(1);
  });

  it('stops quietly when the progress message was deleted', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const id = '1700000000000010';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '20%'));
    const { messageId } = await w.tracker.follow(id, target());
    w.discord.messages.delete(messageId as string);
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '30%'));
    await w.time.advance(3_000);
    expect(await w.store.tracked.get(id)).toMatchObject({ phase: 'gone', messageId: null });
    expect(await w.store.tracked.listCleanup()).toEqual([]);
    w.mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await w.time.advance(30_000);
    expect(results(w)).toHaveLength(0);
  });
});
