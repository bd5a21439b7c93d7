// The rules of one followed task, row by row: each case is a state, one event and the effects the
// tracker must run. advance() is pure, so there are no timers, no store and no Discord here.
import { describe, expect, it } from 'vitest';
import { MjApiError } from '../../src/mj/errors.js';
import { resolveTrackerOptions } from '../../src/tracking/poll-policy.js';
import { followedTask, type FollowedTask, type TaskEffect, type TaskEvent } from '../../src/tracking/followed-task.js';
import { advance } from '../../src/tracking/task-state.js';
import { task } from './tracker-fakes.js';
import { tracked } from './tracker-worlds.js';

const ID = '1700000000000900';
const START = 1_700_000_000_000;
const options = resolveTrackerOptions({ fastPollMs: 3_000, slowPollMs: 10_000, maxAgeMs: 60_000 });

const fresh = (extra: Partial<FollowedTask> = {}): FollowedTask => ({
  ...followedTask(tracked(ID, { startedAt: START })),
  ...extra,
});
const running = task(ID, 'IN_PROGRESS', '40%');
const seen = (): FollowedTask => {
  const f = fresh({ task: running, seenByApi: true });
  return { ...f, settledTask: f.task, tracked: { ...f.tracked, lastStatus: 'IN_PROGRESS', lastProgress: '40%' } };
};
const kinds = (effects: TaskEffect[]) => effects.filter((e) => e.kind !== 'log').map((e) => e.kind);
const pollAt = (effects: TaskEffect[]) => effects.find((e) => e.kind === 'pollAt');

interface Row {
  name: string;
  state: () => FollowedTask;
  event: TaskEvent;
  /** Time since START. */
  at: number;
  effects: TaskEffect['kind'][];
  check?: (next: FollowedTask, effects: TaskEffect[]) => void;
}

const rows: Row[] = [
  {
    name: 'an answer that could not be applied backs off like a transient error, keeping the state shown',
    state: seen,
    event: { kind: 'unreadable', error: new RangeError('Maximum call stack size exceeded') },
    at: 2_000,
    effects: ['pollAt'],
    check: (next, effects) => {
      expect(next).toMatchObject({ unreadable: 1, failures: 1, task: running, pendingResult: null });
      expect(pollAt(effects)).toEqual({ kind: 'pollAt', at: START + 2_000 + 6_000 });
    },
  },
  {
    name: 'the fifth unreadable answer in a row ends the task with a visible "could not read" result',
    state: () => ({ ...seen(), unreadable: 4, failures: 4 }),
    event: { kind: 'unreadable', error: new Error('boom') },
    at: 2_000,
    effects: ['deliverResult'],
    check: (next) => {
      expect(next.pendingResult?.final).toBe(true);
      expect(next.pendingResult?.task).toMatchObject({ status: 'FAILURE', failReason: '' });
      expect(next.pendingResult?.reason).toEqual({ key: 'tracking.unreadable' });
    },
  },
  {
    name: 'an answer that applies again clears the unreadable count',
    state: () => ({ ...seen(), unreadable: 3, failures: 3 }),
    event: { kind: 'polled', result: { kind: 'found', task: running } },
    at: 2_000,
    effects: ['pollAt'],
    check: (next) => expect(next).toMatchObject({ unreadable: 0, failures: 0 }),
  },
  {
    name: 'a first running state is saved, published and polled fast',
    state: () => fresh(),
    event: { kind: 'polled', result: { kind: 'found', task: running } },
    at: 1_000,
    effects: ['save', 'publishProgress', 'pollAt'],
    check: (next, effects) => {
      expect(next.tracked).toMatchObject({ lastStatus: 'IN_PROGRESS', lastProgress: '40%' });
      expect(next.seenByApi).toBe(true);
      expect(pollAt(effects)).toEqual({ kind: 'pollAt', at: START + 1_000 + 3_000 });
    },
  },
  {
    name: 'a poll repeating a state already on Discord renders nothing',
    state: seen,
    event: { kind: 'polled', result: { kind: 'found', task: task(ID, 'IN_PROGRESS', '40%') } },
    at: 2_000,
    effects: ['pollAt'],
  },
  {
    name: 'a repeat of a state whose publish did not settle publishes it again',
    state: () => ({ ...seen(), settledTask: null }),
    event: { kind: 'polled', result: { kind: 'found', task: task(ID, 'IN_PROGRESS', '40%') } },
    at: 2_000,
    effects: ['publishProgress', 'pollAt'],
  },
  {
    name: 'a state older than the known one moves nothing',
    state: seen,
    event: { kind: 'polled', result: { kind: 'found', task: task(ID, 'SUBMITTED', '') } },
    at: 2_000,
    effects: ['pollAt'],
    check: (next) => expect(next.task?.status).toBe('IN_PROGRESS'),
  },
  {
    name: 'SUCCESS becomes the pending result and is delivered, not polled',
    state: seen,
    event: { kind: 'polled', result: { kind: 'found', task: task(ID, 'SUCCESS', '100%') } },
    at: 5_000,
    effects: ['save', 'deliverResult'],
    check: (next) => expect(next.pendingResult).toMatchObject({ final: true, task: { status: 'SUCCESS' } }),
  },
  {
    name: 'an invalid id ends as "not found" at once',
    state: () => fresh(),
    event: { kind: 'polled', result: { kind: 'invalid' } },
    at: 1_000,
    effects: ['deliverResult'],
    check: (next) => expect(next.pendingResult?.task.status).toBe('FAILURE'),
  },
  {
    name: 'an unknown id within the grace is polled again',
    state: () => fresh(),
    event: { kind: 'polled', result: { kind: 'unknown' } },
    at: 1_000,
    effects: ['pollAt'],
    check: (next) => expect(next.unknownSince).toBe(START),
  },
  {
    name: 'an unknown id past the grace (counted from the submit) ends as "not found"',
    state: () => fresh(),
    event: { kind: 'polled', result: { kind: 'unknown' } },
    at: options.unknownGraceMs,
    effects: ['deliverResult'],
  },
  {
    name: 'a failed poll backs off and logs',
    state: seen,
    event: { kind: 'polled', result: { kind: 'failed', error: new MjApiError('upstream', 'HTTP 502') } },
    at: 2_000,
    effects: ['pollAt'],
    check: (next, effects) => {
      expect(next.failures).toBe(1);
      expect(effects.find((e) => e.kind === 'log')).toMatchObject({
        level: 'warn',
        fields: { event: 'task.poll_failed' },
      });
      expect(pollAt(effects)).toEqual({ kind: 'pollAt', at: START + 2_000 + 6_000 });
    },
  },
  {
    name: 'past the max age a task ends as timed out',
    state: seen,
    event: { kind: 'polled', result: { kind: 'unknown' } },
    at: 60_000,
    effects: ['deliverResult'],
    check: (next) => expect(next.pendingResult).toMatchObject({ timedOut: true, final: true }),
  },
  {
    name: 'a push is only a hint: its time is saved (regular polls can wait), nothing of its body is shown',
    state: seen,
    event: { kind: 'hinted' },
    at: 2_000,
    effects: ['save'],
    check: (next) => {
      expect(next.tracked.lastPushAt).toBe(START + 2_000);
      expect(next.task).toEqual(seen().task);
    },
  },
  {
    name: 'an initial "submitted" keeps the short first poll',
    state: () => fresh(),
    event: { kind: 'initial', task: task(ID, '', '') },
    at: 0,
    effects: ['publishProgress'],
  },
  {
    name: 'an initial state from the API waits the normal interval',
    state: () => fresh(),
    event: { kind: 'initial', task: task(ID, 'SUBMITTED', '') },
    at: 0,
    effects: ['save', 'publishProgress', 'pollAt'],
    check: (_next, effects) => expect(pollAt(effects)).toEqual({ kind: 'pollAt', at: START + 10_000 }),
  },
  {
    name: 'an initial state the message shows already (the /mjtask reply) is not published again',
    state: () => fresh(),
    event: { kind: 'initial', task: running, shown: true },
    at: 0,
    effects: ['save', 'pollAt'],
    check: (next) => expect(next.settledTask).toBe(running),
  },
  {
    name: 'a progress publish that created the message records it',
    state: () => ({ ...seen(), settledTask: null }),
    event: {
      kind: 'progressSettled',
      task: running,
      outcome: { kind: 'ok', messageId: '900', resultMessageId: null, renderHash: 'h1' },
      stopping: false,
    },
    at: 2_000,
    effects: ['save'],
    check: (next) => {
      expect(next.tracked).toMatchObject({ messageId: '900', lastRenderHash: 'h1' });
      expect(next.settledTask).toBe(next.task);
    },
  },
  {
    name: 'a progress message gone ends the follow',
    state: seen,
    event: { kind: 'progressSettled', task: running, outcome: { kind: 'gone' }, stopping: false },
    at: 2_000,
    effects: ['end', 'save'],
    check: (next) => expect(next.tracked.phase).toBe('gone'),
  },
  {
    name: 'a progress message gone while stopping changes nothing',
    state: seen,
    event: { kind: 'progressSettled', task: running, outcome: { kind: 'gone' }, stopping: true },
    at: 2_000,
    effects: [],
  },
  {
    name: 'a posted result is recorded before the progress message is deleted',
    state: () => ({ ...seen(), pendingResult: { task: task(ID, 'SUCCESS', '100%'), final: true } }),
    event: {
      kind: 'resultSettled',
      outcome: { kind: 'ok', messageId: '900', resultMessageId: '901', renderHash: 'h2' },
      stopping: false,
    },
    at: 5_000,
    effects: ['end', 'save', 'removeProgress'],
    check: (next) => expect(next.tracked).toMatchObject({ phase: 'done', resultMessageId: '901', messageId: '900' }),
  },
  {
    name: 'a timed-out result is recorded as timed_out',
    state: () => ({ ...seen(), pendingResult: { task: running, final: true, timedOut: true } }),
    event: {
      kind: 'resultSettled',
      outcome: { kind: 'ok', messageId: null, resultMessageId: '901', renderHash: 'h2' },
      stopping: false,
    },
    at: 60_000,
    effects: ['end', 'save'],
    check: (next) => expect(next.tracked.phase).toBe('timed_out'),
  },
  {
    name: 'a result that could not be posted is sent again after a backoff',
    state: () => ({ ...seen(), pendingResult: { task: task(ID, 'SUCCESS', '100%'), final: true } }),
    event: { kind: 'resultSettled', outcome: { kind: 'retry' }, stopping: false },
    at: 5_000,
    effects: ['retryResultAt'],
    check: (next, effects) => {
      expect(next.failures).toBe(1);
      expect(effects).toContainEqual({ kind: 'retryResultAt', at: START + 5_000 + 2_000 });
    },
  },
  {
    name: 'a result refused by Discord ends the follow as gone',
    state: () => ({ ...seen(), pendingResult: { task: task(ID, 'SUCCESS', '100%'), final: true } }),
    event: { kind: 'resultSettled', outcome: { kind: 'invalid' }, stopping: false },
    at: 5_000,
    effects: ['end', 'save'],
  },
];

describe('task state: advance', () => {
  it.each(rows)('$name', ({ state, event, at, effects, check }) => {
    const before = state();
    const frozen = structuredClone(before);
    const t = advance(before, event, START + at, options);
    expect(kinds(t.effects)).toEqual(effects);
    check?.(t.next, t.effects);
    // Pure: the state it was given is left as it was.
    expect(before).toEqual(frozen);
  });

  it('never publishes or finishes on a push', () => {
    const t = advance(seen(), { kind: 'hinted' }, START + 1, options);
    expect(t.next.pendingResult).toBeNull();
    expect(kinds(t.effects)).not.toContain('publishProgress');
  });

  it('logs one transition line for a state the API did not send', () => {
    const t = advance(fresh(), { kind: 'polled', result: { kind: 'invalid' } }, START + 1, options);
    expect(t.effects.filter((e) => e.kind === 'log')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ event: 'task.transition', status: 'NOT_FOUND' }) }),
    ]);
  });
});
