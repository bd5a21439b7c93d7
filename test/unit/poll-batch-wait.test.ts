// A batch that is not full waits for more ids (issue 17: each instance of a cluster polls only its
// own tasks, so where few are due every instance sent its own short batch). The rule on plain data
// (batchWait), then the poll loop on a manual clock with a fetcher that records each list request.
import { describe, expect, it } from 'vitest';
import { createPollLoop, type EarlyPollFacts } from '../../src/tracking/poll-loop.js';
import { batchWait, pollInterval, resolveTrackerOptions, type TrackerOptions } from '../../src/tracking/poll-policy.js';
import type { FetchResult } from '../../src/tracking/task-fetcher.js';
import { createManualTime } from './tracker-fakes.js';

const DEFAULTS = { fastPollMs: 3_000, slowPollMs: 2_500, finishingPollMs: 500 };

describe('batchWait: which polls may wait for a fuller batch, and how long', () => {
  const o = resolveTrackerOptions(DEFAULTS);

  it('lets a first look and a finishing poll wait 500 ms; queued and running polls keep their interval', () => {
    expect(o.batchWaitMs).toBe(500);
    expect(batchWait(o, o.firstPollDelayMs)).toBe(500);
    expect(batchWait(o, o.finishingPollMs)).toBe(500);
    // What shows a change within 3 s: the 2.5 s of a queued task, the 3 s of a running one.
    expect(batchWait(o, o.slowPollMs)).toBe(0);
    expect(batchWait(o, o.fastPollMs)).toBe(0);
    expect(batchWait(o, o.pushedPollMs)).toBe(0);
  });

  it('never waits past the shortest regular interval after the last look', () => {
    const long = resolveTrackerOptions({ ...DEFAULTS, batchWaitMs: 5_000 });
    expect(batchWait(long, 500)).toBe(2_000);
    expect(batchWait(long, 2_400)).toBe(100);
    // Fast test intervals (40 ms): nothing waits.
    expect(batchWait(resolveTrackerOptions({ fastPollMs: 40, slowPollMs: 80 }), 40)).toBe(0);
  });

  it('does not wait with a poll due at once (resumed at start, taken over), nor when turned off', () => {
    expect(batchWait(o, 0)).toBe(0);
    expect(batchWait(o, -100)).toBe(0);
    expect(batchWait(resolveTrackerOptions({ ...DEFAULTS, batchWaitMs: 0 }), 500)).toBe(0);
  });
});

const RUNNING: EarlyPollFacts = { status: 'IN_PROGRESS', progress: '40%', lastPushAt: null };
const FINISHING: EarlyPollFacts = { status: 'IN_PROGRESS', progress: '93%', lastPushAt: null };

/** A poll loop whose tasks keep the facts they were followed with; every list request is recorded. */
function loopWith(options: TrackerOptions) {
  const time = createManualTime(0);
  const o = resolveTrackerOptions({ ...DEFAULTS, earlyPollFraction: 0, ...options });
  const facts = new Map<string, EarlyPollFacts>();
  const batches: Array<{ at: number; ids: string[] }> = [];
  const loop = createPollLoop({
    clock: time.clock,
    scheduler: time.scheduler,
    options: o,
    fetcher: {
      batchSupported: () => true,
      fetch(ids) {
        for (let i = 0; i < ids.length; i += o.batchSize)
          batches.push({ at: time.now(), ids: ids.slice(i, i + o.batchSize) });
        return Promise.resolve(new Map(ids.map((id): [string, FetchResult] => [id, { kind: 'unknown' }])));
      },
    },
    onPolled(taskId) {
      const f = facts.get(taskId)!;
      loop.pollAt(taskId, time.now() + pollInterval(o, f, time.now()), f);
    },
    onResultDue: () => undefined,
    trackWork: () => undefined,
  });
  loop.start();
  const follow = (taskId: string, f: EarlyPollFacts, dueIn: number) => {
    facts.set(taskId, f);
    loop.pollAt(taskId, time.now() + dueIn, f);
  };
  const pollsOf = (taskId: string) => batches.filter((b) => b.ids.includes(taskId)).map((b) => b.at);
  return { time, follow, batches, pollsOf };
}

describe('the poll loop holds a short batch back', () => {
  it('polls a lone finishing task every second (500 ms + its wait), and every 500 ms without the wait', async () => {
    for (const [batchWaitMs, every] of [
      [500, 1_000],
      [0, 500],
    ] as const) {
      const w = loopWith({ batchWaitMs });
      w.follow('finishing', FINISHING, 500);
      await w.time.advance(10_000);
      const polls = w.pollsOf('finishing');
      expect(polls.slice(1).map((at, i) => at - polls[i]!)).toEqual(Array<number>(polls.length - 1).fill(every));
    }
  });

  it('sends a short batch at once when one of its tasks may not wait (a running poll), carrying the waiting ones', async () => {
    const w = loopWith({});
    w.follow('running', RUNNING, 3_000);
    await w.time.advance(2_400);
    w.follow('finishing', FINISHING, 500);
    await w.time.advance(600);
    expect(w.batches).toEqual([{ at: 3_000, ids: ['running', 'finishing'] }]);
  });

  it('sends a batch that fills at once, however long its tasks might still wait', async () => {
    const w = loopWith({ batchSize: 3 });
    w.follow('a', FINISHING, 500);
    w.follow('b', FINISHING, 600);
    await w.time.advance(700);
    expect(w.batches).toEqual([]);
    w.follow('c', FINISHING, 200);
    await w.time.advance(500);
    // Looked at again a window (250 ms) after the tick that held it back: with c (due within that
    // window) the batch is full, long before a's latest time (1 s).
    expect(w.batches).toEqual([{ at: 750, ids: ['a', 'b', 'c'] }]);
  });

  it('shares one request among first looks set up to 500 ms apart, where each went alone', async () => {
    for (const [batchWaitMs, requests] of [
      [500, 2],
      [0, 6],
    ] as const) {
      const w = loopWith({ batchWaitMs });
      for (let i = 0; i < 6; i++) {
        w.follow(`new${i}`, { status: '', progress: '', lastPushAt: null }, 250);
        await w.time.advance(300);
      }
      await w.time.advance(1_000);
      // Before any second look (2.5 s after the first).
      expect(w.batches.filter((b) => b.at < 2_000)).toHaveLength(requests);
    }
  });
});

describe('the poll loop starts no poll while fetchConcurrency requests are out', () => {
  it('keeps the ids due meanwhile for one batch once an answer comes back, not a short batch each', async () => {
    const time = createManualTime(0);
    const o = resolveTrackerOptions({ ...DEFAULTS, earlyPollFraction: 0, batchWaitMs: 0, fetchConcurrency: 2 });
    const sent: string[][] = [];
    const answers: Array<() => void> = [];
    const loop = createPollLoop({
      clock: time.clock,
      scheduler: time.scheduler,
      options: o,
      fetcher: {
        batchSupported: () => true,
        // Answered when the test says: the API (or the budget in front of it) is slow.
        fetch: (ids) =>
          new Promise((resolve) => {
            sent.push([...ids]);
            answers.push(() => resolve(new Map(ids.map((id): [string, FetchResult] => [id, { kind: 'unknown' }]))));
          }),
      },
      // Each task is looked at once here.
      onPolled: (taskId) => loop.forget(taskId),
      onResultDue: () => undefined,
      trackWork: () => undefined,
    });
    loop.start();
    for (let i = 0; i < 6; i++) {
      loop.pollAt(`t${i}`, time.now() + 300, RUNNING);
      await time.advance(300);
    }
    // Two requests out (t0, t1); t2 to t5 came due while they were, and wait in the loop.
    expect(sent).toEqual([['t0'], ['t1']]);
    answers.shift()!();
    await time.advance(0);
    expect(sent).toEqual([['t0'], ['t1'], ['t2', 't3', 't4', 't5']]);
  });
});

describe('the poll loop applies each request of a poll when it comes back', () => {
  it('hands the first batch its answers while a later batch of the same poll is still out', async () => {
    const time = createManualTime(0);
    const o = resolveTrackerOptions({ ...DEFAULTS, earlyPollFraction: 0, batchWaitMs: 0, batchSize: 2 });
    const answers = new Map<string, () => void>();
    const polled: string[] = [];
    const loop = createPollLoop({
      clock: time.clock,
      scheduler: time.scheduler,
      options: o,
      fetcher: {
        batchSupported: () => true,
        fetch: (ids) =>
          new Promise((resolve) =>
            answers.set(ids.join(','), () =>
              resolve(new Map(ids.map((id): [string, FetchResult] => [id, { kind: 'unknown' }]))),
            ),
          ),
      },
      onPolled: (taskId) => (polled.push(taskId), loop.forget(taskId)),
      onResultDue: () => undefined,
      trackWork: () => undefined,
    });
    loop.start();
    for (const id of ['a', 'b', 'c', 'd']) loop.pollAt(id, 300, RUNNING);
    await time.advance(300);
    // One poll of four due ids: two requests of two.
    expect([...answers.keys()]).toEqual(['a,b', 'c,d']);
    answers.get('c,d')!();
    await time.advance(0);
    expect(polled).toEqual(['c', 'd']);
    answers.get('a,b')!();
    await time.advance(0);
    expect(polled).toEqual(['c', 'd', 'a', 'b']);
  });
});
