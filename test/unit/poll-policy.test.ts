import { describe, expect, it } from 'vitest';
import { fillBatch, resolveTrackerOptions } from '../../src/tracking/poll-policy.js';

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
