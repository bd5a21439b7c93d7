// One followed task as the tracker sees it: its state, the events that reach it and the effects they
// ask for (the vocabulary of task-state.ts's `advance`), and the small facts read from a state. Pure.
import type { LogFields } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import type { TaskTarget, TrackedTask } from '../store/tracked-tasks.js';
import { pollInterval, type ResolvedTrackerOptions } from './poll-policy.js';
import type { EarlyPollFacts } from './poll-loop.js';
import type { FetchResult } from './task-fetcher.js';
import type { PublishOutcome, TaskUpdate } from './types.js';

/** The final state waiting to be posted: a result, or a synthetic "timed out" / "not found". */
export type PendingResult = Omit<TaskUpdate, 'tracked'>;

export interface FollowedTask {
  readonly tracked: TrackedTask;
  /** Latest state seen (null until the first poll or push). */
  readonly task: MjTask | null;
  /** Consecutive transient failures (polls, or result sends once a result is pending). */
  readonly failures: number;
  readonly unknownSince: number | null;
  /** Consecutive API answers that could not be applied (see the 'unreadable' event). */
  readonly unreadable: number;
  /** The API answered with this task at least once (since the bot started following it in this run). */
  readonly seenByApi: boolean;
  /**
   * The state whose progress publish settled (sent, or identical to what Discord shows): a poll that
   * repeats it needs no render. Usually the same object as `task`, so it costs no memory.
   */
  readonly settledTask: MjTask | null;
  readonly pendingResult: PendingResult | null;
}

export type TaskEvent =
  /** A poll answered (or failed) for this task. */
  | { kind: 'polled'; result: FetchResult }
  /** The API answered, but applying the answer threw (too deep, too big, a bug): retried like an error. */
  | { kind: 'unreadable'; error: unknown }
  /** A notifyHook delivery for this task: only a hint (its body is never applied), the re-read is the loop's. */
  | { kind: 'hinted' }
  /**
   * The state follow() was given (a fetch or a submit answer). `shown`: the target message already
   * shows it (the /mjtask reply), so it is not published again.
   */
  | { kind: 'initial'; task: MjTask; shown?: boolean }
  /** A progress publish of `task` settled. */
  | { kind: 'progressSettled'; task: MjTask; outcome: PublishOutcome; stopping: boolean }
  /** The result publish settled. */
  | { kind: 'resultSettled'; outcome: PublishOutcome; stopping: boolean };

export type TaskEffect =
  /**
   * Write this patch of the row to the store (the state already has it). `lazy`: only what a crash
   * may lose for a few seconds (status, progress, render hash, push time), so it may wait and join
   * the task's next write (tracking/save-behind.ts).
   */
  | { kind: 'save'; patch: Partial<TrackedTask>; lazy?: true }
  /** Publish the current state as progress, then feed back 'progressSettled'. */
  | { kind: 'publishProgress' }
  /** Post the pending result, then feed back 'resultSettled'. */
  | { kind: 'deliverResult' }
  /** Poll again at `at` (ignored while a poll of this task is in flight: its answer sets the next one). */
  | { kind: 'pollAt'; at: number }
  /** Send the pending result again at `at`. */
  | { kind: 'retryResultAt'; at: number }
  /** Stop following: forget the task (its row stays in the store). */
  | { kind: 'end' }
  /** Delete the progress message once the result is recorded. */
  | { kind: 'removeProgress'; messageId: string }
  | { kind: 'log'; level: 'debug' | 'info' | 'warn'; fields: LogFields; msg: string };

export interface Transition {
  next: FollowedTask;
  effects: TaskEffect[];
  /** For 'initial': the state moved the task forward (or repeated it, for a poll). */
  applied: boolean;
}

export const followedTask = (tracked: TrackedTask): FollowedTask => ({
  tracked,
  task: null,
  failures: 0,
  unknownSince: null,
  unreadable: 0,
  seenByApi: false,
  settledTask: null,
  pendingResult: null,
});

/** The row of a task followed from now on (`startedAt`), before any state is known. */
export const newTrackedTask = (taskId: string, target: TaskTarget, startedAt: number): TrackedTask => ({
  ...target,
  taskId,
  startedAt,
  lastStatus: '',
  lastProgress: '',
  lastPushAt: null,
  lastRenderHash: null,
  resultMessageId: null,
  phase: 'active',
});

export const statusOf = (f: FollowedTask): string => f.task?.status ?? f.tracked.lastStatus;

const pollFacts = (f: FollowedTask): EarlyPollFacts => ({
  status: statusOf(f),
  progress: f.task?.progress ?? f.tracked.lastProgress,
  lastPushAt: f.tracked.lastPushAt,
});

/** What the loop needs to decide on early polls; none while backing off after errors (the wait is the point). */
export const earlyPollFacts = (f: FollowedTask): EarlyPollFacts | null =>
  f.failures === 0 && !f.pendingResult ? pollFacts(f) : null;

/** The normal wait before the next poll of this task. */
export const normalDelay = (f: FollowedTask, now: number, o: ResolvedTrackerOptions): number =>
  pollInterval(o, pollFacts(f), now);
