// When to look at a task again, and the synthetic task states the tracker shows when the API
// cannot tell it (timed out, unknown id). Pure functions of the options and the task's state.
import { MjTaskSchema, type MjTask } from '../mj/schema.js';
import { isTerminal, progressPercent } from '../mj/task.js';
import type { Phrase } from '../i18n/index.js';
import type { TrackedTask } from '../store/tracked-tasks.js';

export interface TrackerOptions {
  /** Poll interval while IN_PROGRESS (or an unknown running status). Default 3 s. */
  fastPollMs?: number;
  /** Poll interval while queued: "", NOT_START, SUBMITTED, MODAL. Default 10 s. */
  slowPollMs?: number;
  /**
   * Poll interval of a running task at finishingProgress or more: its result is seconds away, and each
   * second it waits unseen is a second its channel's bucket (5 results per 5 s) may not be used.
   * Tasks this close to the end are few at any moment and share list requests. Default 500 ms.
   */
  finishingPollMs?: number;
  /** Progress (percent) from which a running task counts as finishing. Default 90. */
  finishingProgress?: number;
  /** A task that received a push (notifyHook) in this long is polled only this often, as a safety net. Default 60 s. */
  pushedPollMs?: number;
  /** Following stops with a visible "timed out" result after this long. Default 60 min. */
  maxAgeMs?: number;
  /** An id the API does not know is retried this long before ending as "not found". Default 2 min. */
  unknownGraceMs?: number;
  /** Parallel requests to the MJ API (batches, or single fetches when list-by-condition is unsupported). Default 4. */
  fetchConcurrency?: number;
  /** Ids per list-by-condition request (≤ 100). Default 100. */
  batchSize?: number;
  /**
   * An answer the tracker cannot apply (it throws while being compared, rendered or stored) is retried
   * like a transient error; after this many in a row the task ends with a visible "could not read"
   * result. Default 5.
   */
  maxUnreadableTries?: number;
  /**
   * Pushes waiting for their re-read (followed tasks brought forward, and one-off looks at tasks nobody
   * follows); a push beyond it is dropped with a log line (the task's regular poll still comes). Default 200.
   */
  maxPendingHints?: number;
  /** Longest wait after repeated transient errors. Default 60 s. */
  maxBackoffMs?: number;
  /** Tasks due within this much of each other share one batch. Default 250 ms. */
  batchWindowMs?: number;
  /**
   * A poll due sooner than the shortest regular interval (a just-submitted task's first look, a
   * finishing task's) may wait up to this long past its due time for its batch to fill, and never
   * past that interval after its last look (see batchWait). A batch that fills goes at once.
   * 0 turns it off. Default 500 ms.
   */
  batchWaitMs?: number;
  /**
   * A task due within this fraction of its poll interval joins a batch that goes out anyway, when the
   * batch's list requests have room for it (it never adds a request). Tasks polled together are due
   * together next time, so the batches grow into cohorts instead of staying as scattered as the tasks'
   * start times. 0 turns it off. Default 0.5.
   */
  earlyPollFraction?: number;
  /**
   * First poll of a task just submitted (followed with no state, or status ""). The API has nothing
   * new to say that soon, and waiting lets the submits of a busy moment share one request instead of
   * one each. Default: batchWindowMs.
   */
  firstPollDelayMs?: number;
  /**
   * Finished rows and logged clicks older than this are pruned from the store at start() and then every
   * pruneEveryMs. Keep it above every guard window (double click ≤ 1 day, rate limit 1 min). Default 7 days.
   */
  finishedRetentionMs?: number;
  /** Default 1 h. */
  pruneEveryMs?: number;
  /**
   * A task's writes that a crash may lose for a moment (status, progress, render hash, push time)
   * wait this long for its next write, to go with it (save-behind.ts). 0: each at once. Default 10 s.
   */
  saveBehindMs?: number;
}

export type ResolvedTrackerOptions = Required<TrackerOptions>;

export function resolveTrackerOptions(o: TrackerOptions = {}): ResolvedTrackerOptions {
  return {
    fastPollMs: o.fastPollMs ?? 3_000,
    slowPollMs: o.slowPollMs ?? 10_000,
    finishingPollMs: Math.max(1, o.finishingPollMs ?? 500),
    finishingProgress: o.finishingProgress ?? 90,
    pushedPollMs: o.pushedPollMs ?? 60_000,
    maxAgeMs: o.maxAgeMs ?? 60 * 60_000,
    unknownGraceMs: o.unknownGraceMs ?? 2 * 60_000,
    fetchConcurrency: Math.max(1, o.fetchConcurrency ?? 4),
    batchSize: Math.min(100, Math.max(1, o.batchSize ?? 100)),
    maxUnreadableTries: Math.max(1, o.maxUnreadableTries ?? 5),
    maxPendingHints: Math.max(1, o.maxPendingHints ?? 200),
    maxBackoffMs: o.maxBackoffMs ?? 60_000,
    batchWindowMs: o.batchWindowMs ?? 250,
    batchWaitMs: Math.max(0, o.batchWaitMs ?? 500),
    earlyPollFraction: Math.min(1, Math.max(0, o.earlyPollFraction ?? 0.5)),
    firstPollDelayMs: Math.max(0, o.firstPollDelayMs ?? o.batchWindowMs ?? 250),
    finishedRetentionMs: o.finishedRetentionMs ?? 7 * 24 * 3_600_000,
    pruneEveryMs: Math.max(1, o.pruneEveryMs ?? 3_600_000),
    saveBehindMs: Math.max(0, o.saveBehindMs ?? 10_000),
  };
}

const QUEUED = new Set(['', 'NOT_START', 'SUBMITTED', 'MODAL']);

/** What the poll interval of a task depends on. */
export interface PollFacts {
  status: string;
  /** The API's progress text ("93%"). */
  progress: string;
  lastPushAt: number | null;
}

/** Normal delay before the next poll of a task in this state. */
export function pollInterval(o: ResolvedTrackerOptions, facts: PollFacts, now: number): number {
  const { status, lastPushAt } = facts;
  let ms = QUEUED.has(status) ? o.slowPollMs : o.fastPollMs;
  if (!QUEUED.has(status) && !isTerminal(status) && progressPercent(facts) >= o.finishingProgress)
    ms = Math.min(ms, o.finishingPollMs);
  // A task the API pushes: its push says when it finishes.
  if (lastPushAt !== null && now - lastPushAt < o.pushedPollMs) ms = Math.max(ms, o.pushedPollMs);
  return ms;
}

/**
 * Results already waiting for Discord this long (at the budget's rate) make the finishing cadence
 * pointless: under a backlog, results go out at the budget's rate whatever moment each one is learnt,
 * so a result found 2.5 s sooner is not shown sooner, it only costs five more polls. The bar is two
 * regular polls (at the default 45/s, 270 results), so a finishing task found on its regular poll
 * still finds a queue in front of it; a burst that clears within that (200 results over 20 channels)
 * keeps the finishing cadence.
 */
export const resultsBackedUp = (o: ResolvedTrackerOptions, resultsWaitingMs: number): boolean =>
  resultsWaitingMs >= 2 * o.fastPollMs;

/** The options while results are backed up: a finishing task is polled like a running one. */
export const whileResultsWait = (o: ResolvedTrackerOptions): ResolvedTrackerOptions => ({
  ...o,
  finishingPollMs: Math.max(o.finishingPollMs, o.fastPollMs),
});

/** The options a task's next poll is set by, given how long the results waiting take: `o`, or whileResultsWait(o). */
export function pollOptionsByBacklog(o: ResolvedTrackerOptions): (resultsWaitingMs: number) => ResolvedTrackerOptions {
  const backedUp = whileResultsWait(o);
  return (resultsWaitingMs) => (resultsBackedUp(o, resultsWaitingMs) ? backedUp : o);
}

/**
 * How long past its due time a poll set `dueInMs` ahead may wait for a fuller batch. Each instance of
 * a cluster polls only its own tasks, so where few tasks are due (the ramp's first looks, the
 * finishing tail) every instance sent its own short batch as soon as a few ids were due: at 4
 * instances 0.71 requests per task against 0.44 at one (issue 17). Queued and running polls keep
 * their interval, which is what shows a change within 3 s; a shorter one (first look, finishing)
 * may wait `batchWaitMs`, but is never later than the shortest regular interval after its last look.
 * A poll due at once (a task resumed at start, taken over) has gone unseen for a while: it goes.
 */
export function batchWait(o: ResolvedTrackerOptions, dueInMs: number): number {
  if (dueInMs <= 0) return 0;
  const regular = Math.min(o.fastPollMs, o.slowPollMs);
  return Math.max(0, Math.min(o.batchWaitMs, regular - dueInMs));
}

/**
 * The tasks a tick polls: all of `due`, then, soonest first, as many of `early` as fit in the room the
 * due tasks' list requests leave (chunks of `batchSize`). Early tasks never add a request, so nothing
 * is polled early when requests go one per task (`batchable` false).
 */
export function fillBatch<T extends { dueAt: number }>(
  due: T[],
  early: T[],
  batchSize: number,
  batchable: boolean,
): T[] {
  const room = batchable && due.length > 0 ? Math.ceil(due.length / batchSize) * batchSize - due.length : 0;
  if (room === 0 || early.length === 0) return due;
  early.sort((a, b) => a.dueAt - b.dueAt);
  for (let i = 0; i < room && i < early.length; i++) due.push(early[i] as T);
  return due;
}

/** Delay after `failures` consecutive transient errors (exponential, capped, at least retryAfterMs). */
export function backoffDelay(o: ResolvedTrackerOptions, base: number, failures: number, retryAfterMs = 0): number {
  const exp = Math.min(o.maxBackoffMs, base * 2 ** Math.min(Math.max(failures, 1), 10));
  return Math.max(exp, retryAfterMs);
}

/** A task with only what the tracker remembers, for when the API has nothing to show. */
export function placeholderTask(tracked: Pick<TrackedTask, 'taskId' | 'lastStatus' | 'lastProgress'>): MjTask {
  return MjTaskSchema.parse({ id: tracked.taskId, status: tracked.lastStatus, progress: tracked.lastProgress });
}

/** A synthetic end: the state to show and the bot's own reason for it (worded in the channel's language). */
export interface GivenUp {
  task: MjTask;
  reason: Phrase;
}

/** The final state shown when the API does not know the id (after the grace period). */
export function notFoundTask(taskId: string, lastKnown: MjTask | null, seenByApi: boolean): GivenUp {
  const base = lastKnown ?? MjTaskSchema.parse({ id: taskId });
  return {
    task: { ...base, status: 'FAILURE', progress: '', failReason: '', buttons: [] },
    reason: { key: seenByApi ? 'tracking.no_longer_known' : 'tracking.unknown_id' },
  };
}

/** The final state shown when the API's answers for this task could not be applied, try after try. */
export function unreadableTask(taskId: string, lastKnown: MjTask | null): GivenUp {
  const base = lastKnown ?? MjTaskSchema.parse({ id: taskId });
  // Only the plain fields of the last state shown: whatever could not be walked is left out.
  const task = {
    ...base,
    status: 'FAILURE',
    progress: '',
    failReason: '',
    buttons: [],
    imageUrl: null,
    properties: {},
  };
  return { task, reason: { key: 'tracking.unreadable' } };
}

export function timedOutNote(maxAgeMs: number): Phrase {
  const minutes = Math.round(maxAgeMs / 60_000);
  return minutes >= 1
    ? { key: 'tracking.timed_out_minutes', vars: { minutes } }
    : { key: 'tracking.timed_out_seconds', vars: { seconds: Math.round(maxAgeMs / 1000) } };
}
