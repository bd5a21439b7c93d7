// What happens to one followed task, as data: `advance` takes the task's state and one event (a poll
// answer, a push, a settled publish) and returns the next state and the effects to run. It moves a task
// forward only (never back, see stateRank) and has no I/O, no timers and no clock of its own, so every
// rule here is a table row in its unit test. The effects run in tracker.ts, in the order given; the
// state, events and effects themselves are defined in followed-task.ts.
import { isDeepStrictEqual } from 'node:util';
import { isMjApiError } from '../mj/errors.js';
import type { MjTask } from '../mj/schema.js';
import { isTerminal, stateRank, withSubmittedCustomId } from '../mj/task.js';
import type { TrackedTask } from '../store/tracked-tasks.js';
import {
  backoffDelay,
  notFoundTask,
  placeholderTask,
  timedOutNote,
  unreadableTask,
  type ResolvedTrackerOptions,
} from './poll-policy.js';
import type { FetchResult } from './task-fetcher.js';
import type { PublishOutcome } from './types.js';
import {
  normalDelay,
  type FollowedTask,
  type PendingResult,
  type TaskEffect,
  type TaskEvent,
  type Transition,
} from './followed-task.js';

/** First wait before a result that could not be posted is sent again (doubling up to maxBackoffMs). */
const RESULT_RETRY_BASE_MS = 1_000;

export function advance(f: FollowedTask, event: TaskEvent, now: number, o: ResolvedTrackerOptions): Transition {
  switch (event.kind) {
    case 'polled':
      return onPolled(f, event.result, now, o);
    case 'unreadable':
      return onUnreadable(f, event.error, now, o);
    case 'hinted':
      return onHinted(f, now);
    case 'initial':
      return onInitial(f, event.task, event.shown === true, now, o);
    case 'progressSettled':
      return { ...onProgressSettled(f, event), applied: true };
    case 'resultSettled':
      return onResultSettled(f, event.outcome, event.stopping, now, o);
  }
}

/** Next poll after `delay`, but never later than the max-age deadline. */
const pollAfter = (f: FollowedTask, delay: number, now: number, o: ResolvedTrackerOptions): TaskEffect => ({
  kind: 'pollAt',
  at: Math.min(now + delay, f.tracked.startedAt + o.maxAgeMs),
});

const withTracked = (f: FollowedTask, patch: Partial<TrackedTask>): FollowedTask => ({
  ...f,
  tracked: { ...f.tracked, ...patch },
});

function onPolled(f: FollowedTask, result: FetchResult, now: number, o: ResolvedTrackerOptions): Transition {
  const expired = now - f.tracked.startedAt >= o.maxAgeMs;
  let next = f;
  const effects: TaskEffect[] = [];
  if (result.kind === 'found') {
    // Most polls repeat a known state: keep the same object then, so a quiet poll allocates almost nothing.
    const answered = f.seenByApi && f.failures === 0 && f.unknownSince === null && f.unreadable === 0;
    const reset = answered ? f : { ...f, seenByApi: true, failures: 0, unknownSince: null, unreadable: 0 };
    const applied = applyState(reset, result.task, 'poll');
    if (applied.next.pendingResult) return { ...applied, applied: true };
    next = applied.next;
    effects.push(...applied.effects);
  } else if (result.kind === 'invalid') {
    return finish(f, { ...notFoundTask(f.tracked.taskId, f.task, f.seenByApi), final: true });
  } else if (result.kind === 'unknown') {
    // Right after a submit some APIs do not know the id yet (replication lag, queues): that grace
    // runs from the submit. An id the API showed and then lost gets a grace of its own.
    const unknownSince = f.unknownSince ?? (f.seenByApi || f.tracked.lastStatus !== '' ? now : f.tracked.startedAt);
    next = { ...f, unknownSince };
    if (now - unknownSince >= o.unknownGraceMs)
      return finish(next, { ...notFoundTask(f.tracked.taskId, f.task, f.seenByApi), final: true });
  } else {
    next = { ...f, failures: f.failures + 1 };
    const err = result.error;
    effects.push({
      kind: 'log',
      level: next.failures === 1 ? 'warn' : 'debug',
      fields: {
        event: 'task.poll_failed',
        taskId: f.tracked.taskId,
        kind: isMjApiError(err) ? err.kind : 'unexpected',
        failures: next.failures,
      },
      msg: 'task poll failed; will retry',
    });
    const retryAfterMs = isMjApiError(err) ? err.details.retryAfterMs : undefined;
    if (!expired) {
      const delay = backoffDelay(o, normalDelay(next, now, o), next.failures, retryAfterMs);
      return { next, effects: [...effects, pollAfter(next, delay, now, o)], applied: true };
    }
  }
  if (expired) {
    const timedOut = finish(next, {
      task: next.task ?? placeholderTask(next.tracked),
      final: true,
      timedOut: true,
      note: timedOutNote(o.maxAgeMs),
    });
    return { ...timedOut, effects: [...effects, ...timedOut.effects] };
  }
  return { next, effects: [...effects, pollAfter(next, normalDelay(next, now, o), now, o)], applied: true };
}

/**
 * An answer that could not be applied backs off like a transient error (the state is the one before the
 * answer), and after maxUnreadableTries in a row the task ends visibly with the last state it could show.
 */
function onUnreadable(f: FollowedTask, error: unknown, now: number, o: ResolvedTrackerOptions): Transition {
  const next = { ...f, unreadable: f.unreadable + 1, failures: f.failures + 1 };
  const log: TaskEffect = {
    kind: 'log',
    level: next.unreadable === 1 ? 'warn' : 'debug',
    fields: { event: 'task.unreadable', taskId: f.tracked.taskId, tries: next.unreadable, err: error },
    msg: 'the API answer for this task could not be applied; will retry',
  };
  if (next.unreadable >= o.maxUnreadableTries) {
    const ended = finish(next, { ...unreadableTask(f.tracked.taskId, f.task), final: true }, 'UNREADABLE');
    return { ...ended, effects: [log, ...ended.effects] };
  }
  const delay = backoffDelay(o, normalDelay(next, now, o), next.failures);
  return { next, effects: [log, pollAfter(next, delay, now, o)], applied: true };
}

/**
 * A push: what it says is not applied (anyone with the secret can send one), only its time is kept.
 * The API is pushing, so the regular polls can wait (pushedPollMs): each push brings a re-read forward.
 */
function onHinted(f: FollowedTask, now: number): Transition {
  const patch = { lastPushAt: now };
  return { next: withTracked(f, patch), effects: [{ kind: 'save', patch, lazy: true }], applied: true };
}

/** A state the API gave (a fetch) waits the normal interval; a bare "submitted" keeps the short first poll. */
function onInitial(f: FollowedTask, task: MjTask, shown: boolean, now: number, o: ResolvedTrackerOptions): Transition {
  let t = applyState(f, task, 'poll');
  // The message shows this state already: editing it with the same state would change nothing a member sees.
  if (shown && t.applied && !t.next.pendingResult)
    t = {
      ...t,
      next: { ...t.next, settledTask: t.next.task },
      effects: t.effects.filter((e) => e.kind !== 'publishProgress'),
    };
  if (t.applied && !t.next.pendingResult && task.status !== '')
    t.effects.push(pollAfter(t.next, normalDelay(t.next, now, o), now, o));
  return t;
}

/** Applies a state the API gave if it moves the task forward or repeats the current one. */
function applyState(f: FollowedTask, served: MjTask, source: 'poll'): Transition {
  const task = withSubmittedCustomId(served, f.tracked.submittedCustomId);
  const rank = stateRank(task);
  const known = stateRank(f.task ?? { status: f.tracked.lastStatus, progress: f.tracked.lastProgress });
  if (rank < known) return { next: f, effects: [], applied: false };
  // Most polls repeat the state: keep the object we have and, once it is on Discord, render nothing
  // (rendering and hashing every poll of every task was most of the tracker's garbage). A publish that
  // failed ('retry') left settledTask behind, so the repeat retries it.
  if (f.task !== null && isDeepStrictEqual(f.task, task))
    return { next: f, effects: f.settledTask !== f.task ? [{ kind: 'publishProgress' }] : [], applied: true };
  let next: FollowedTask = { ...f, task };
  const effects: TaskEffect[] = [];
  if (task.status !== f.tracked.lastStatus || task.progress !== f.tracked.lastProgress) {
    // One line per change a member can see, not per poll; running states at debug: at 10,000 tasks
    // in flight their lines (and their redaction) were a tenth of the bot's garbage. Final states,
    // and the task's start and result lines elsewhere, stay at info.
    const { taskId } = f.tracked;
    effects.push({
      kind: 'log',
      level: isTerminal(task.status) ? 'info' : 'debug',
      fields: { event: 'task.transition', taskId, status: task.status, progress: task.progress, source },
      msg: 'task state changed',
    });
    const patch = { lastStatus: task.status, lastProgress: task.progress };
    next = withTracked(next, patch);
    // A final state is written with the result (its own write); a running one may wait.
    effects.push({ kind: 'save', patch, lazy: true });
  }
  if (!isTerminal(task.status)) return { next, effects: [...effects, { kind: 'publishProgress' }], applied: true };
  const finished = finish(next, { task, final: true });
  return { next: finished.next, effects: [...effects, ...finished.effects], applied: true };
}

function finish(f: FollowedTask, result: PendingResult, givenUpAs?: string): Transition {
  if (f.pendingResult) return { next: f, effects: [], applied: true };
  const effects: TaskEffect[] = [];
  // A state the API did not send (timed out, id no longer known) gets its line here; applyState logged the others.
  if (result.task !== f.task) {
    const status = givenUpAs ?? (result.timedOut === true ? 'TIMED_OUT' : 'NOT_FOUND');
    const { taskId } = f.tracked;
    effects.push({
      kind: 'log',
      level: 'info',
      fields: { event: 'task.transition', taskId, status, progress: result.task.progress, source: 'tracker' },
      msg: 'task given up',
    });
  }
  effects.push({ kind: 'deliverResult' });
  return { next: { ...f, pendingResult: result }, effects, applied: true };
}

function onProgressSettled(
  f: FollowedTask,
  event: Extract<TaskEvent, { kind: 'progressSettled' }>,
): Pick<Transition, 'next' | 'effects'> {
  const { outcome } = event;
  const settled = (outcome.kind === 'ok' || outcome.kind === 'skipped') && event.task === f.task;
  const next = settled ? { ...f, settledTask: f.task } : f;
  const { tracked } = f;
  if (
    outcome.kind === 'ok' &&
    (outcome.messageId !== tracked.messageId || outcome.renderHash !== tracked.lastRenderHash)
  ) {
    const patch = { messageId: outcome.messageId, lastRenderHash: outcome.renderHash };
    // A new message must be known at once (a restart edits it rather than post another); a new render may wait.
    const save: TaskEffect =
      outcome.messageId === tracked.messageId ? { kind: 'save', patch, lazy: true } : { kind: 'save', patch };
    return { next: withTracked(next, patch), effects: [save] };
  }
  if (outcome.kind === 'gone' && !event.stopping) return endGone(next);
  return { next, effects: [] };
}

/** Stops following without a result. The progress message is left as it is (and forgotten, so no clean-up touches it). */
function endGone(f: FollowedTask): Transition {
  const patch = { phase: 'gone' as const, messageId: null };
  return { next: withTracked(f, patch), effects: [{ kind: 'end' }, { kind: 'save', patch }], applied: true };
}

/**
 * Crash points: before the send → resumed, fetched again, sent. Sent but not recorded → the resend
 * carries the same nonce and Discord returns the existing message. Recorded, progress message not
 * yet deleted → start() finishes the delete (store listCleanup). Nothing is ever sent twice.
 */
function onResultSettled(
  f: FollowedTask,
  outcome: PublishOutcome,
  stopping: boolean,
  now: number,
  o: ResolvedTrackerOptions,
): Transition {
  if (outcome.kind === 'ok') {
    const progressId = outcome.messageId ?? f.tracked.messageId;
    const patch = {
      resultMessageId: outcome.resultMessageId,
      phase: f.pendingResult?.timedOut === true ? ('timed_out' as const) : ('done' as const),
      messageId: progressId,
    };
    const effects: TaskEffect[] = [{ kind: 'end' }, { kind: 'save', patch }];
    if (progressId !== null) effects.push({ kind: 'removeProgress', messageId: progressId });
    return { next: withTracked(f, patch), effects, applied: true };
  }
  if (outcome.kind === 'gone' || outcome.kind === 'invalid') return endGone(f);
  if (stopping) return { next: f, effects: [], applied: true };
  const failures = f.failures + 1;
  // Not tied to the poll interval: with pushes the polls may be minutes apart, a result should not wait that long.
  const at = now + backoffDelay(o, Math.min(o.fastPollMs, RESULT_RETRY_BASE_MS), failures);
  return { next: { ...f, failures }, effects: [{ kind: 'retryResultAt', at }], applied: true };
}
