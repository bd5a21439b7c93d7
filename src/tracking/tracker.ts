// Follows tasks to their result. One timer drives one loop: each tick takes the tasks that are due,
// fetches them in batches, moves each one forward (never back: stateRank), and hands the new state to
// the publisher. Every step that matters after a crash is in the store first; the result message
// carries a nonce, so "sent but not recorded" cannot give a second result (see task-lifecycle.ts).
import type { Clock } from '../clock.js';
import { noLog, type EventLog } from '../log.js';
import type { MjApi } from '../mj/api.js';
import type { MjTask } from '../mj/schema.js';
import type { Store } from '../store/store.js';
import { fillBatch, resolveTrackerOptions, type TrackerOptions } from './poll-policy.js';
import type { Publisher } from './publisher.js';
import { systemScheduler, type Scheduler, type TimerHandle } from './scheduler.js';
import { createLifecycle, newEntry, statusOf, type Entry } from './task-lifecycle.js';
import { createTaskFetcher, type FetchResult } from './task-fetcher.js';
import type { TaskTarget, TrackedTask } from '../store/tracked-tasks.js';

export type { TrackerOptions } from './poll-policy.js';

export interface TrackerDeps {
  mj: MjApi;
  store: Store;
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
  /** Resumes every active task from the store and starts the loop. */
  start(): Promise<void>;
  /** Stops the loop, closes the publisher (requests in flight finish and are recorded). Idempotent. */
  stop(): Promise<void>;
  counts(): TrackerCounts;
  /** Tasks this member started that are still running (for per-member caps). */
  runningCountFor(userId: string): number;
}

export function createTracker(deps: TrackerDeps): Tracker {
  const { store, publisher, clock } = deps;
  const scheduler = deps.scheduler ?? systemScheduler;
  const o = resolveTrackerOptions(deps.options);
  const log = deps.log ?? noLog;
  const fetcher = createTaskFetcher(deps.mj, { batchSize: o.batchSize, concurrency: o.fetchConcurrency, log });
  const entries = new Map<string, Entry>();
  const work = new Set<Promise<unknown>>();
  let timer: TimerHandle | null = null;
  let timerAt = Infinity;
  let started = false;
  let stopped = false;
  let stopping: Promise<void> | null = null;

  const keep = <T>(p: Promise<T>): Promise<T> => {
    work.add(p);
    void p.finally(() => work.delete(p)).catch(() => {});
    return p;
  };
  const life = createLifecycle({
    store,
    publisher,
    clock,
    options: o,
    log,
    entries,
    keep,
    isStopped: () => stopped,
    scheduleLoop,
  });

  /** One timer for all tasks: set for the earliest due task that is not busy. */
  function scheduleLoop(): void {
    if (!started || stopped) return;
    let next = Infinity;
    for (const e of entries.values()) if (!e.fetching && !e.delivery && e.dueAt < next) next = e.dueAt;
    if (next === Infinity || (timer !== null && timerAt <= next)) return;
    if (timer !== null) scheduler.clearTimeout(timer);
    timerAt = next;
    timer = scheduler.setTimeout(tick, Math.max(0, next - clock.now()));
  }

  function tick(): void {
    timer = null;
    timerAt = Infinity;
    life.safely('tick', () => {
      const now = clock.now();
      const horizon = now + o.batchWindowMs;
      const due: Entry[] = [];
      const early: Entry[] = [];
      for (const e of entries.values()) {
        if (e.fetching || e.delivery) continue;
        if (e.dueAt <= horizon) {
          if (e.final) void life.deliverFinal(e);
          else due.push(e);
        } else if (
          !e.final &&
          e.failures === 0 &&
          o.earlyPollFraction > 0 &&
          e.dueAt <= now + life.normalDelay(e) * o.earlyPollFraction
        ) {
          // Not for tasks backing off after errors: their wait is the point.
          early.push(e);
        }
      }
      const toFetch = fillBatch(due, early, o.batchSize, fetcher.batchSupported());
      for (const e of toFetch) e.fetching = true;
      if (toFetch.length > 0) void pollNow(toFetch);
    });
    scheduleLoop();
  }

  async function pollNow(list: Entry[]): Promise<void> {
    let results: Map<string, FetchResult>;
    try {
      results = await fetcher.fetch(list.map((e) => e.tracked.taskId));
    } catch (error) {
      results = new Map(list.map((e) => [e.tracked.taskId, { kind: 'failed', error }]));
    }
    for (const e of list) {
      e.fetching = false;
      if (stopped || entries.get(e.tracked.taskId) !== e || e.final) continue;
      life.safely('poll result', () => life.onPolled(e, results.get(e.tracked.taskId) ?? { kind: 'unknown' }));
    }
    scheduleLoop();
  }

  return {
    async follow(taskId, target, initialTask) {
      if (stopped) throw new Error('The tracker is stopped.');
      let e = entries.get(taskId);
      const stored = e ? null : store.tracked.get(taskId);
      if (!e && stored?.phase === 'active') {
        // Followed before a restart and not resumed yet (follow() before start()): adopt it, keep its message.
        entries.set(taskId, (e = newEntry(stored, clock.now())));
        scheduleLoop();
      } else if (!e) {
        const now = clock.now();
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
        entries.set(taskId, (e = newEntry(tracked, now + o.firstPollDelayMs)));
        // A state the API gave (a fetch) waits the normal interval; a bare "submitted" (status "",
        // all a submit answer tells) keeps the short first poll.
        if (
          initialTask &&
          initialTask.id === taskId &&
          life.apply(e, initialTask, 'poll') &&
          !e.final &&
          initialTask.status !== ''
        ) {
          life.nextPoll(e, life.normalDelay(e));
        }
        scheduleLoop();
      }
      if (e.final) {
        await life.deliverFinal(e);
        return { messageId: store.tracked.get(taskId)?.resultMessageId ?? null };
      }
      if (e.tracked.messageId !== null) return { messageId: e.tracked.messageId };
      let publishing = life.publishProgress(e);
      let outcome = await publishing;
      // A newer state (a poll) replaced ours while the channel's budget held it back: the message
      // is created by that newer publish, so wait for it rather than answer "no message".
      while (
        outcome.kind === 'skipped' &&
        e.tracked.messageId === null &&
        e.lastPublish !== null &&
        e.lastPublish !== publishing
      ) {
        publishing = e.lastPublish;
        outcome = await publishing;
      }
      if (outcome.kind === 'gone')
        throw new Error(`Channel ${target.channelId} cannot be reached: the task is not followed.`);
      if (e.tracked.messageId === null && e.final && entries.get(taskId) === e) {
        // It finished before any progress message went out: the result is the message to point at.
        await life.deliverFinal(e);
        return { messageId: store.tracked.get(taskId)?.resultMessageId ?? null };
      }
      return { messageId: e.tracked.messageId };
    },

    push(task) {
      const e = entries.get(task.id);
      if (!e) return 'untracked';
      if (stopped || e.final) return 'stale';
      let applied = false;
      life.safely('push', () => (applied = life.onPushed(e, task)));
      // A push only moves this task's poll later: the loop needs no rescan (O(tasks) per push) unless
      // this task is now due before the timer, or there is no timer.
      if (timer === null || e.dueAt < timerAt) scheduleLoop();
      return applied ? 'applied' : 'stale';
    },

    start() {
      if (started || stopped) return Promise.resolve();
      started = true;
      const now = clock.now();
      life.safely('resume', () => {
        const pruned = store.tracked.prune(now - o.finishedRetentionMs);
        const active = store.tracked.listActive();
        for (const tracked of active)
          if (!entries.has(tracked.taskId)) entries.set(tracked.taskId, newEntry(tracked, now));
        // Results recorded before a crash whose progress message was not deleted yet.
        for (const t of store.tracked.listCleanup())
          if (t.messageId !== null) void keep(life.removeProgress(t, t.messageId));
        log.info({ event: 'tracker.started', resumed: active.length, pruned }, 'tracker started');
      });
      scheduleLoop();
      return Promise.resolve();
    },

    stop() {
      stopping ??= (async () => {
        stopped = true;
        if (timer !== null) scheduler.clearTimeout(timer);
        timer = null;
        await publisher.close();
        while (work.size > 0) await Promise.allSettled([...work]);
      })();
      return stopping;
    },

    counts() {
      const byStatus: Record<string, number> = {};
      let finishing = 0;
      for (const e of entries.values()) {
        const status = statusOf(e) || 'SUBMITTED';
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        if (e.final) finishing++;
      }
      return { active: entries.size, finishing, byStatus };
    },

    runningCountFor(userId) {
      let n = 0;
      for (const e of entries.values()) if (!e.final && e.tracked.requesterId === userId) n++;
      return n;
    },
  };
}
