// What happens to one followed task: a polled or pushed state moves it forward (never back, see
// stateRank), progress goes to the publisher, and a final state is delivered and recorded in the
// order that keeps crashes harmless. The loop and the public API live in tracker.ts.
import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../clock.js';
import type { EventLog } from '../log.js';
import { isMjApiError } from '../mj/errors.js';
import type { MjTask } from '../mj/schema.js';
import { isTerminal, stateRank } from '../mj/task.js';
import type { Store } from '../store/store.js';
import {
  backoffDelay,
  notFoundTask,
  placeholderTask,
  pollInterval,
  timedOutNote,
  type ResolvedTrackerOptions,
} from './poll-policy.js';
import type { Publisher } from './publisher.js';
import type { FetchResult } from './task-fetcher.js';
import type { PublishOutcome, TaskUpdate } from './types.js';
import type { TrackedTask } from '../store/tracked-tasks.js';

export interface Entry {
  tracked: TrackedTask;
  /** Latest state seen (null until the first poll or push). */
  task: MjTask | null;
  dueAt: number;
  failures: number;
  unknownSince: number | null;
  /** The API answered with this task at least once (since the bot started following it in this run). */
  seenByApi: boolean;
  fetching: boolean;
  /** The result delivery in progress, shared by the loop and follow(). */
  delivery: Promise<void> | null;
  /**
   * The state whose progress publish settled (sent, or identical to what Discord shows): a poll that
   * repeats it needs no render. Usually the same object as `task`, so it costs no memory.
   */
  settledTask: MjTask | null;
  /** The latest progress publish (recorded in the store once it settles), so follow() can wait for the message it creates. */
  lastPublish: Promise<PublishOutcome> | null;
  final: Omit<TaskUpdate, 'tracked'> | null;
}

export interface LifecycleContext {
  store: Store;
  publisher: Publisher;
  clock: Clock;
  options: ResolvedTrackerOptions;
  log: EventLog;
  /** Followed tasks by id; an entry removed from here is no longer followed. */
  entries: Map<string, Entry>;
  /** Registers work that stop() waits for. */
  keep<T>(p: Promise<T>): Promise<T>;
  isStopped(): boolean;
  scheduleLoop(): void;
}

/** First wait before a result that could not be posted is sent again (doubling up to maxBackoffMs). */
const RESULT_RETRY_BASE_MS = 1_000;

export const newEntry = (tracked: TrackedTask, dueAt: number): Entry => ({
  tracked,
  task: null,
  dueAt,
  failures: 0,
  unknownSince: null,
  seenByApi: false,
  fetching: false,
  delivery: null,
  lastPublish: null,
  settledTask: null,
  final: null,
});

export const statusOf = (e: Entry): string => e.task?.status ?? e.tracked.lastStatus;

export function createLifecycle(ctx: LifecycleContext) {
  const { store, publisher, clock, options: o, log, entries } = ctx;
  const current = (e: Entry) => entries.get(e.tracked.taskId) === e;

  const safely = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      log.error({ event: 'tracker.failed', step: what, err }, `tracker: ${what} failed`);
    }
  };
  const save = (e: Entry, patch: Partial<TrackedTask>) => {
    Object.assign(e.tracked, patch);
    safely('store update', () => store.tracked.update(e.tracked.taskId, patch));
  };
  /** Next poll after `delay`, but never later than the max-age deadline. */
  const nextPoll = (e: Entry, delay: number) => {
    e.dueAt = Math.min(clock.now() + delay, e.tracked.startedAt + o.maxAgeMs);
  };
  const normalDelay = (e: Entry) => pollInterval(o, statusOf(e), e.tracked.lastPushAt, clock.now());

  function onPolled(e: Entry, result: FetchResult): void {
    const now = clock.now();
    const expired = now - e.tracked.startedAt >= o.maxAgeMs;
    if (result.kind === 'found') {
      e.seenByApi = true;
      e.failures = 0;
      e.unknownSince = null;
      apply(e, result.task, 'poll');
      if (e.final) return;
    } else if (result.kind === 'invalid') {
      return finish(e, { task: notFoundTask(e.tracked.taskId, e.task, e.seenByApi), final: true });
    } else if (result.kind === 'unknown') {
      // Right after a submit some APIs do not know the id yet (replication lag, queues): that grace
      // runs from the submit. An id the API showed and then lost gets a grace of its own.
      e.unknownSince ??= e.seenByApi || e.tracked.lastStatus !== '' ? now : e.tracked.startedAt;
      if (now - e.unknownSince >= o.unknownGraceMs)
        return finish(e, { task: notFoundTask(e.tracked.taskId, e.task, e.seenByApi), final: true });
    } else {
      e.failures++;
      const err = result.error;
      const fields = {
        event: 'task.poll_failed' as const,
        taskId: e.tracked.taskId,
        kind: isMjApiError(err) ? err.kind : 'unexpected',
        failures: e.failures,
      };
      log[e.failures === 1 ? 'warn' : 'debug'](fields, 'task poll failed; will retry');
      const retryAfterMs = isMjApiError(err) ? err.details.retryAfterMs : undefined;
      if (!expired) return nextPoll(e, backoffDelay(o, normalDelay(e), e.failures, retryAfterMs));
    }
    if (expired)
      return finish(e, {
        task: e.task ?? placeholderTask(e.tracked),
        final: true,
        timedOut: true,
        note: timedOutNote(o.maxAgeMs),
      });
    nextPoll(e, normalDelay(e));
  }

  /** Applies a state if it moves the task forward (a poll may repeat the current one, a push may not). */
  function apply(e: Entry, task: MjTask, source: 'poll' | 'push'): boolean {
    const rank = stateRank(task);
    const known = stateRank(e.task ?? { status: e.tracked.lastStatus, progress: e.tracked.lastProgress });
    if (source === 'push' ? rank <= known : rank < known) return false;
    // Most polls repeat the state: keep the object we have and, once it is on Discord, render nothing
    // (rendering and hashing every poll of every task was most of the tracker's garbage). A publish that
    // failed ('retry') left settledTask behind, so the repeat retries it.
    if (e.task !== null && isDeepStrictEqual(e.task, task)) {
      if (e.settledTask !== e.task) void publishProgress(e);
      return true;
    }
    e.task = task;
    if (task.status !== e.tracked.lastStatus || task.progress !== e.tracked.lastProgress) {
      // One line per change a member can see, not per poll.
      log.info(
        { event: 'task.transition', taskId: e.tracked.taskId, status: task.status, progress: task.progress, source },
        'task state changed',
      );
      save(e, { lastStatus: task.status, lastProgress: task.progress });
    }
    if (isTerminal(task.status)) finish(e, { task, final: true });
    else void publishProgress(e);
    return true;
  }

  function publishProgress(e: Entry): Promise<PublishOutcome> {
    const update: TaskUpdate = { tracked: { ...e.tracked }, task: e.task ?? placeholderTask(e.tracked), final: false };
    return (e.lastPublish = ctx.keep(
      publisher
        .publish(update)
        .then((outcome) => {
          // Recorded even while stopping: a message created by a request in flight must not be lost.
          if (!current(e)) return outcome;
          if ((outcome.kind === 'ok' || outcome.kind === 'skipped') && update.task === e.task) e.settledTask = e.task;
          if (
            outcome.kind === 'ok' &&
            (outcome.messageId !== e.tracked.messageId || outcome.renderHash !== e.tracked.lastRenderHash)
          ) {
            save(e, { messageId: outcome.messageId, lastRenderHash: outcome.renderHash });
          } else if (outcome.kind === 'gone' && !ctx.isStopped()) end(e, 'gone');
          return outcome;
        })
        .catch((err): PublishOutcome => {
          log.error(
            { event: 'task.progress_failed', taskId: e.tracked.taskId, err },
            'tracker: progress update failed',
          );
          return { kind: 'retry' };
        }),
    ));
  }

  function finish(e: Entry, final: Omit<TaskUpdate, 'tracked'>): void {
    if (e.final) return;
    e.final = final;
    // A state the API did not send (timed out, id no longer known) gets its line here; apply() logged the others.
    if (final.task !== e.task) {
      const status = final.timedOut === true ? 'TIMED_OUT' : 'NOT_FOUND';
      log.info(
        {
          event: 'task.transition',
          taskId: e.tracked.taskId,
          status,
          progress: final.task.progress,
          source: 'tracker',
        },
        'task given up',
      );
    }
    e.dueAt = clock.now();
    void deliverFinal(e);
  }

  /** Stops following without a result. The progress message is left as it is (and forgotten, so no clean-up touches it). */
  function end(e: Entry, phase: 'gone'): void {
    entries.delete(e.tracked.taskId);
    save(e, { phase, messageId: null });
  }

  /**
   * Crash points: before the send → resumed, fetched again, sent. Sent but not recorded → the resend
   * carries the same nonce and Discord returns the existing message. Recorded, progress message not
   * yet deleted → start() finishes the delete (store listCleanup). Nothing is ever sent twice.
   */
  function deliverFinal(e: Entry): Promise<void> {
    if (e.delivery || !e.final) return e.delivery ?? Promise.resolve();
    const final = e.final;
    const run = async () => {
      const outcome = await publisher.publish({ ...final, tracked: { ...e.tracked } });
      e.delivery = null;
      if (!current(e)) return;
      if (outcome.kind === 'ok') return recordResult(e, outcome, final.timedOut === true);
      if (outcome.kind === 'gone' || outcome.kind === 'invalid') return end(e, 'gone');
      if (ctx.isStopped()) return;
      e.failures++;
      // Not tied to the poll interval: with pushes the polls may be minutes apart, a result should not wait that long.
      e.dueAt = clock.now() + backoffDelay(o, Math.min(o.fastPollMs, RESULT_RETRY_BASE_MS), e.failures);
      ctx.scheduleLoop();
    };
    return (e.delivery = ctx.keep(
      run().catch((err) => {
        e.delivery = null;
        log.error({ event: 'task.result_failed', taskId: e.tracked.taskId, err }, 'tracker: result delivery failed');
      }),
    ));
  }

  async function recordResult(
    e: Entry,
    outcome: Extract<PublishOutcome, { kind: 'ok' }>,
    timedOut: boolean,
  ): Promise<void> {
    const progressId = outcome.messageId ?? e.tracked.messageId;
    entries.delete(e.tracked.taskId);
    save(e, {
      resultMessageId: outcome.resultMessageId,
      phase: timedOut ? 'timed_out' : 'done',
      messageId: progressId,
    });
    if (progressId !== null) await removeProgress(e.tracked, progressId);
  }

  async function removeProgress(tracked: TrackedTask, messageId: string): Promise<void> {
    const deleted = await publisher.removeProgress(tracked.channelId, messageId);
    // Keep the id when the publisher closed first, so the next start() retries the delete.
    if (deleted || !ctx.isStopped())
      safely('store update', () => store.tracked.update(tracked.taskId, { messageId: null }));
  }

  /** A notifyHook state: forward moves only; the poll that follows is pushed back (safety net). Returns whether it moved the task. */
  function onPushed(e: Entry, task: MjTask): boolean {
    const now = clock.now();
    e.tracked.lastPushAt = now;
    const applied = apply(e, task, 'push');
    if (applied) save(e, { lastPushAt: now });
    if (!e.final && !e.fetching) nextPoll(e, normalDelay(e));
    return applied;
  }

  return {
    onPolled,
    onPushed,
    apply,
    publishProgress,
    finish,
    deliverFinal,
    removeProgress,
    nextPoll,
    normalDelay,
    safely,
  };
}
