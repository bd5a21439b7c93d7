// Follows tasks to their result. The poll loop (poll-loop.ts) says when a task is looked at, the task's
// state (task-state.ts) says what an answer means, and this file runs the effects: store writes,
// publishes, result delivery. Every step that matters after a crash is in the store first; the result
// message carries a nonce, so "sent but not recorded" cannot give a second result.
import type { Clock } from '../clock.js';
import { noLog, type EventLog } from '../log.js';
import type { MjApi } from '../mj/api.js';
import type { MjTask } from '../mj/schema.js';
import type { Store } from '../store/store.js';
import type { TaskTarget, TrackedTask } from '../store/tracked-tasks.js';
import { createPollLoop, type EarlyPollFacts } from './poll-loop.js';
import { placeholderTask, resolveTrackerOptions, type TrackerOptions } from './poll-policy.js';
import type { Publisher } from './publisher.js';
import { systemScheduler, type Scheduler, type TimerHandle } from './scheduler.js';
import { createTaskFetcher } from './task-fetcher.js';
import { advance, followedTask, statusOf, type FollowedTask, type TaskEffect, type TaskEvent } from './task-state.js';
import type { PublishOutcome } from './types.js';

export type { TrackerOptions } from './poll-policy.js';

export interface TrackerDeps {
  mj: MjApi;
  /** Followed tasks, and the click log, which is pruned on the same schedule as finished tasks. */
  store: Pick<Store, 'tracked' | 'clicks'>;
  publisher: Publisher;
  clock: Clock;
  /** Defaults to real timers. */
  scheduler?: Scheduler;
  options?: TrackerOptions;
  log?: EventLog;
}

export type PushOutcome = 'applied' | 'stale' | 'untracked';

export interface TrackerCounts {
  /** Tasks followed now (including those whose result is being delivered). */
  active: number;
  /** Of those, how many have a result waiting to be delivered. */
  finishing: number;
  /** Active tasks by last seen status ("" is reported as SUBMITTED). */
  byStatus: Record<string, number>;
}

export interface Tracker {
  /**
   * Starts following `taskId` in `target` and stores it. When `target.messageId` is null the first
   * progress message is posted before this resolves (with `initialTask`, or "waiting to start"); when
   * `initialTask` is already finished the result is posted and its id returned. Following a task
   * that is already followed returns its message. Rejects when the channel is unreachable.
   */
  follow(taskId: string, target: TaskTarget, initialTask?: MjTask): Promise<{ messageId: string | null }>;
  /**
   * A notifyHook delivery, applied only if it moves the task forward: 'applied', 'stale' (a followed
   * task it did not move: late, repeated, or its result already on its way), or 'untracked'.
   */
  push(task: MjTask): PushOutcome;
  /** Resumes every active task from the store, prunes old rows and starts the loop. */
  start(): Promise<void>;
  /** Stops the loop, closes the publisher (requests in flight finish and are recorded). Idempotent. */
  stop(): Promise<void>;
  /** Resolves once no fetch, publish, result delivery or delete the tracker started is in flight. */
  idle(): Promise<void>;
  counts(): TrackerCounts;
  /** Tasks this member started that are still running (for per-member caps). */
  runningCountFor(userId: string): number;
}

/** One follow of a task: its state, and the publishes in flight that follow() and stop() wait for. */
interface Followed {
  state: FollowedTask;
  /** The result delivery in progress, shared by the loop and follow(). */
  delivery: Promise<void> | null;
  /** The latest progress publish, so follow() can wait for the message it creates. */
  lastPublish: Promise<PublishOutcome> | null;
}

export function createTracker(deps: TrackerDeps): Tracker {
  const { store, publisher, clock } = deps;
  const scheduler = deps.scheduler ?? systemScheduler;
  const options = resolveTrackerOptions(deps.options);
  const log = deps.log ?? noLog;
  const fetcher = createTaskFetcher(deps.mj, {
    batchSize: options.batchSize,
    concurrency: options.fetchConcurrency,
    log,
  });
  const followed = new Map<string, Followed>();
  const work = new Set<Promise<unknown>>();
  let pruneTimer: TimerHandle | null = null;
  let started = false;
  let stopped = false;
  let stopping: Promise<void> | null = null;

  const trackWork = <T>(p: Promise<T>): Promise<T> => {
    work.add(p);
    void p.finally(() => work.delete(p)).catch(() => {});
    return p;
  };
  const logErrors = (step: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      log.error({ event: 'tracker.failed', step, err }, `tracker: ${step} failed`);
    }
  };
  const current = (f: Followed) => followed.get(f.state.tracked.taskId) === f;
  const earlyFacts = ({ state }: Followed): EarlyPollFacts | null =>
    state.failures === 0 && !state.pendingResult
      ? { status: statusOf(state), lastPushAt: state.tracked.lastPushAt }
      : null;

  const loop = createPollLoop({
    clock,
    scheduler,
    options,
    fetcher,
    trackWork: (p) => void trackWork(p),
    onPolled(taskId, result) {
      const f = followed.get(taskId);
      if (!stopped && f && !f.state.pendingResult) logErrors('poll result', () => step(f, { kind: 'polled', result }));
    },
    onResultDue(taskId) {
      const f = followed.get(taskId);
      if (f) void deliverResult(f);
    },
  });

  /** Feeds one event to the task's state and runs the effects; resolves once the async ones are over. */
  function step(f: Followed, event: TaskEvent): { applied: boolean; done: Promise<void> } {
    const t = advance(f.state, event, clock.now(), options);
    f.state = t.next;
    const pending: Array<Promise<void>> = [];
    for (const effect of t.effects) {
      const running = runEffect(f, effect);
      if (running) pending.push(running);
    }
    return { applied: t.applied, done: Promise.all(pending).then(() => undefined) };
  }

  function runEffect(f: Followed, effect: TaskEffect): Promise<void> | null {
    const { taskId } = f.state.tracked;
    switch (effect.kind) {
      case 'save':
        logErrors('store update', () => store.tracked.update(taskId, effect.patch));
        break;
      case 'publishProgress':
        void publishProgress(f);
        break;
      case 'deliverResult':
        void deliverResult(f);
        break;
      case 'pollAt':
        loop.pollAt(taskId, effect.at, earlyFacts(f));
        break;
      case 'retryResultAt':
        loop.resultAt(taskId, effect.at);
        break;
      case 'end':
        followed.delete(taskId);
        loop.forget(taskId);
        break;
      case 'removeProgress':
        return trackWork(removeProgress(f.state.tracked, effect.messageId));
      case 'log':
        log[effect.level](effect.fields, effect.msg);
        break;
    }
    return null;
  }

  function publishProgress(f: Followed): Promise<PublishOutcome> {
    const { tracked, task } = f.state;
    const update = { tracked: { ...tracked }, task: task ?? placeholderTask(tracked), final: false };
    const settle = (outcome: PublishOutcome) => {
      // Recorded even while stopping: a message created by a request in flight must not be lost.
      if (current(f)) step(f, { kind: 'progressSettled', task: update.task, outcome, stopping: stopped });
      return outcome;
    };
    return (f.lastPublish = trackWork(
      publisher
        .publish(update)
        .then(settle)
        .catch((err): PublishOutcome => {
          log.error({ event: 'task.progress_failed', taskId: tracked.taskId, err }, 'tracker: progress update failed');
          return { kind: 'retry' };
        }),
    ));
  }

  function deliverResult(f: Followed): Promise<void> {
    const result = f.state.pendingResult;
    if (f.delivery || !result) return f.delivery ?? Promise.resolve();
    loop.hold(f.state.tracked.taskId);
    const run = async () => {
      const outcome = await publisher.publish({ ...result, tracked: { ...f.state.tracked } });
      f.delivery = null;
      if (current(f)) await step(f, { kind: 'resultSettled', outcome, stopping: stopped }).done;
    };
    return (f.delivery = trackWork(
      run().catch((err) => {
        f.delivery = null;
        log.error(
          { event: 'task.result_failed', taskId: f.state.tracked.taskId, err },
          'tracker: result delivery failed',
        );
      }),
    ));
  }

  async function removeProgress(tracked: TrackedTask, messageId: string): Promise<void> {
    const deleted = await publisher.removeProgress(tracked.channelId, messageId);
    // Keep the id when the publisher closed first, so the next start() retries the delete.
    if (deleted || !stopped) logErrors('store update', () => store.tracked.update(tracked.taskId, { messageId: null }));
  }

  /** Follows a stored row, first polled at `dueAt`. */
  function add(tracked: TrackedTask, dueAt: number): Followed {
    const f: Followed = { state: followedTask(tracked), delivery: null, lastPublish: null };
    followed.set(tracked.taskId, f);
    loop.pollAt(tracked.taskId, dueAt, earlyFacts(f));
    return f;
  }

  /** Deletes finished rows and logged clicks past the retention, now and then every pruneEveryMs. */
  function prune(): number {
    const before = clock.now() - options.finishedRetentionMs;
    const pruned = store.tracked.prune(before);
    store.clicks.prune(before);
    pruneTimer = scheduler.setTimeout(() => logErrors('prune', () => void prune()), options.pruneEveryMs);
    return pruned;
  }

  function resume(): void {
    const now = clock.now();
    const pruned = prune();
    const active = store.tracked.listActive();
    for (const tracked of active) if (!followed.has(tracked.taskId)) add(tracked, now);
    // Results recorded before a crash whose progress message was not deleted yet.
    for (const t of store.tracked.listCleanup())
      if (t.messageId !== null) void trackWork(removeProgress(t, t.messageId));
    log.info({ event: 'tracker.started', resumed: active.length, pruned }, 'tracker started');
  }

  async function idle(): Promise<void> {
    while (work.size > 0) await Promise.allSettled([...work]);
  }

  async function follow(taskId: string, target: TaskTarget, initialTask?: MjTask) {
    if (stopped) throw new Error('The tracker is stopped.');
    const f = followed.get(taskId) ?? startFollowing(taskId, target, initialTask);
    const resultId = async () => {
      await deliverResult(f);
      return { messageId: store.tracked.get(taskId)?.resultMessageId ?? null };
    };
    if (f.state.pendingResult) return resultId();
    if (f.state.tracked.messageId !== null) return { messageId: f.state.tracked.messageId };
    let publishing = publishProgress(f);
    let outcome = await publishing;
    // A newer state (a poll) replaced ours while the channel's budget held it back: the message
    // is created by that newer publish, so wait for it rather than answer "no message".
    while (
      outcome.kind === 'skipped' &&
      f.state.tracked.messageId === null &&
      f.lastPublish !== null &&
      f.lastPublish !== publishing
    ) {
      publishing = f.lastPublish;
      outcome = await publishing;
    }
    if (outcome.kind === 'gone')
      throw new Error(`Channel ${target.channelId} cannot be reached: the task is not followed.`);
    // It finished before any progress message went out: the result is the message to point at.
    if (f.state.tracked.messageId === null && f.state.pendingResult && current(f)) return resultId();
    return { messageId: f.state.tracked.messageId };
  }

  function startFollowing(taskId: string, target: TaskTarget, initialTask?: MjTask): Followed {
    const now = clock.now();
    const stored = store.tracked.get(taskId);
    // Followed before a restart and not resumed yet (follow() before start()): adopt it, keep its message.
    if (stored?.phase === 'active') return add(stored, now);
    const tracked: TrackedTask = {
      ...target,
      taskId,
      startedAt: now,
      lastStatus: '',
      lastProgress: '',
      lastPushAt: null,
      lastRenderHash: null,
      resultMessageId: null,
      phase: 'active',
    };
    store.tracked.upsert(tracked);
    const f = add(tracked, now + options.firstPollDelayMs);
    if (initialTask?.id === taskId) step(f, { kind: 'initial', task: initialTask });
    return f;
  }

  return {
    follow,
    push(task) {
      const f = followed.get(task.id);
      if (!f) return 'untracked';
      if (stopped || f.state.pendingResult) return 'stale';
      let applied = false;
      logErrors('push', () => (applied = step(f, { kind: 'pushed', task }).applied));
      return applied ? 'applied' : 'stale';
    },
    start() {
      if (started || stopped) return Promise.resolve();
      started = true;
      logErrors('resume', resume);
      loop.start();
      return Promise.resolve();
    },
    stop() {
      stopping ??= (async () => {
        stopped = true;
        loop.stop();
        if (pruneTimer !== null) scheduler.clearTimeout(pruneTimer);
        pruneTimer = null;
        await publisher.close();
        await idle();
      })();
      return stopping;
    },
    idle,
    counts() {
      const byStatus: Record<string, number> = {};
      let finishing = 0;
      for (const { state } of followed.values()) {
        const status = statusOf(state) || 'SUBMITTED';
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        if (state.pendingResult) finishing++;
      }
      return { active: followed.size, finishing, byStatus };
    },
    runningCountFor(userId) {
      let n = 0;
      for (const { state } of followed.values()) if (!state.pendingResult && state.tracked.requesterId === userId) n++;
      return n;
    },
  };
}
