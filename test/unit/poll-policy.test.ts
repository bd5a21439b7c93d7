import { describe, expect, it } from 'vitest';
import {
  fillBatch,
  pollInterval,
  pollOptionsByBacklog,
  resolveTrackerOptions,
  resultsBackedUp,
} from '../../src/tracking/poll-policy.js';

const at = (...dueAt: number[]) => dueAt.map((d, i) => ({ id: `t${i}`, dueAt: d }));

describe('poll policy: early polls fill the room a batch already has', () => {
  it('adds early tasks, soonest first, up to the end of the last list request', () => {
    const due = at(0, 0, 0);
    const early = at(900, 100, 500).map((t) => ({ ...t, id: `e${t.dueAt}` }));
    const batch = fillBatch(due, early, 4, true);
    expect(batch.map((t) => t.id)).toEqual(['t0', 't1', 't2', 'e100']);
  });

  it('never adds a request: a full chunk leaves no room, and 101 due tasks leave room for 99', () => {
    expect(fillBatch(at(...Array<number>(100).fill(0)), at(1, 2), 100, true)).toHaveLength(100);
    expect(fillBatch(at(...Array<number>(101).fill(0)), at(...Array<number>(150).fill(5)), 100, true)).toHaveLength(
      200,
    );
  });

  it('polls nothing early when requests go one per task, or when nothing is due', () => {
    expect(fillBatch(at(0), at(1, 2, 3), 100, false)).toHaveLength(1);
    expect(fillBatch([], at(1, 2, 3), 100, true)).toHaveLength(0);
  });

  it('defaults to half the interval and clamps the fraction to [0, 1]', () => {
    expect(resolveTrackerOptions().earlyPollFraction).toBe(0.5);
    expect(resolveTrackerOptions({ earlyPollFraction: 3 }).earlyPollFraction).toBe(1);
    expect(resolveTrackerOptions({ earlyPollFraction: -1 }).earlyPollFraction).toBe(0);
  });
});

describe('poll policy: a task near its end is polled more often', () => {
  const o = resolveTrackerOptions({ fastPollMs: 3_000, slowPollMs: 10_000, pushedPollMs: 60_000 });
  const interval = (status: string, progress: string, lastPushAt: number | null = null) =>
    pollInterval(o, { status, progress, lastPushAt }, 100_000);

  it('polls a running task every 500 ms from 90 %, and at the running interval below', () => {
    expect(o.finishingPollMs).toBe(500);
    expect(interval('IN_PROGRESS', '89%')).toBe(3_000);
    expect(interval('IN_PROGRESS', '90%')).toBe(500);
    expect(interval('IN_PROGRESS', '93%')).toBe(500);
    // An unknown running status is polled like IN_PROGRESS; no progress text reads as 0 %.
    expect(interval('RUNNING', '95%')).toBe(500);
    expect(interval('IN_PROGRESS', '')).toBe(3_000);
  });

  it('leaves queued tasks, and tasks the API pushes, at their own intervals', () => {
    expect(interval('SUBMITTED', '95%')).toBe(10_000);
    expect(interval('NOT_START', '100%')).toBe(10_000);
    // A push came a second ago: the next push says when it is done, the poll is only a safety net.
    expect(interval('IN_PROGRESS', '93%', 99_000)).toBe(60_000);
    expect(interval('IN_PROGRESS', '93%', 30_000)).toBe(500);
  });

  it('never polls a finishing task less often than a running one, and takes its own threshold', () => {
    const slowFinish = resolveTrackerOptions({ fastPollMs: 1_000, finishingPollMs: 2_000 });
    expect(pollInterval(slowFinish, { status: 'IN_PROGRESS', progress: '95%', lastPushAt: null }, 0)).toBe(1_000);
    const from75 = resolveTrackerOptions({ finishingProgress: 75 });
    expect(pollInterval(from75, { status: 'IN_PROGRESS', progress: '78%', lastPushAt: null }, 0)).toBe(500);
  });
});

describe('poll policy: while results are backed up, finding one sooner shows nothing sooner', () => {
  const o = resolveTrackerOptions({ fastPollMs: 3_000, slowPollMs: 10_000 });
  const facts = (status: string, progress: string) => ({ status, progress, lastPushAt: null });
  const optionsFor = pollOptionsByBacklog(o);

  it('counts results as backed up from two regular polls of waiting', () => {
    expect(resultsBackedUp(o, 5_999)).toBe(false);
    expect(resultsBackedUp(o, 6_000)).toBe(true);
    // 200 results at 45 a second (a burst over 20 channels) is 4.4 s: not backed up.
    expect(resultsBackedUp(o, (200 / 45) * 1_000)).toBe(false);
  });

  it('polls a finishing task at the running interval then, and leaves every other state alone', () => {
    expect(optionsFor(0)).toBe(o);
    const backedUp = optionsFor(60_000);
    expect(optionsFor(90_000)).toBe(backedUp); // made once
    expect(pollInterval(o, facts('IN_PROGRESS', '93%'), 0)).toBe(500);
    expect(pollInterval(backedUp, facts('IN_PROGRESS', '93%'), 0)).toBe(3_000);
    expect(pollInterval(backedUp, facts('IN_PROGRESS', '46%'), 0)).toBe(3_000);
    expect(pollInterval(backedUp, facts('SUBMITTED', ''), 0)).toBe(10_000);
    expect({ ...backedUp, finishingPollMs: o.finishingPollMs }).toEqual(o);
  });

  it('never polls a finishing task less often than it would anyway', () => {
    const slow = resolveTrackerOptions({ fastPollMs: 1_000, finishingPollMs: 2_000 });
    expect(pollOptionsByBacklog(slow)(60_000).finishingPollMs).toBe(2_000);
  });
});
