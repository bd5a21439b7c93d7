// When each followed task is looked at next. One timer drives one loop: each tick takes the tasks that
// are due (and, when a batch has room, some that are nearly due), fetches them in batches and hands each
// answer to `onPolled`; a pending result that is due to be sent again goes to `onResultDue`. The loop
// owns the due times and which tasks are being fetched; what an answer means is task-state.ts's job.
import type { Clock } from '../clock.js';
import { fillBatch, pollInterval, type ResolvedTrackerOptions } from './poll-policy.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { FetchResult, TaskFetcher } from './task-fetcher.js';

/** What the loop knows of a task to decide whether it may be polled early. */
export interface EarlyPollFacts {
  status: string;
  lastPushAt: number | null;
}

interface Due {
  taskId: string;
  dueAt: number;
  /** 'result': send the pending result again at `at` instead of polling. */
  action: 'poll' | 'result';
  /** Set for tasks that may join a batch early; null while backing off after errors (the wait is the point). */
  early: EarlyPollFacts | null;
  fetching: boolean;
}

export interface PollLoopDeps {
  clock: Clock;
  scheduler: Scheduler;
  options: ResolvedTrackerOptions;
  fetcher: TaskFetcher;
  onPolled(taskId: string, result: FetchResult): void;
  onResultDue(taskId: string): void;
  /** Registers a fetch so the tracker's stop() and idle() wait for it. */
  trackWork(work: Promise<void>): void;
}

export interface PollLoop {
  /** Polls this task at `at` (ignored while it is being fetched: the answer sets the next time). */
  pollAt(taskId: string, at: number, early: EarlyPollFacts | null): void;
  /** Sends this task's pending result again at `at`. */
  resultAt(taskId: string, at: number): void;
  /** Neither polls nor sends until told again (a result is on its way). */
  hold(taskId: string): void;
  forget(taskId: string): void;
  start(): void;
  stop(): void;
}

export function createPollLoop(deps: PollLoopDeps): PollLoop {
  const { clock, scheduler, options: o, fetcher } = deps;
  const dues = new Map<string, Due>();
  let timer: TimerHandle | null = null;
  let timerAt = Infinity;
  let running = false;

  const set = (taskId: string, at: number, action: Due['action'], early: EarlyPollFacts | null) => {
    const due = dues.get(taskId);
    if (due?.fetching && action === 'poll') return;
    if (due) Object.assign(due, { dueAt: at, action, early });
    else dues.set(taskId, { taskId, dueAt: at, action, early, fetching: false });
    // Moving one task later needs no rescan (O(tasks)) unless it is now due before the timer, or there is no timer.
    if (timer === null || at < timerAt) schedule();
  };

  /** One timer for all tasks: set for the earliest due task that is not busy. */
  function schedule(): void {
    if (!running) return;
    let next = Infinity;
    for (const d of dues.values()) if (!d.fetching && d.dueAt < next) next = d.dueAt;
    if (next === Infinity || (timer !== null && timerAt <= next)) return;
    if (timer !== null) scheduler.clearTimeout(timer);
    timerAt = next;
    timer = scheduler.setTimeout(tick, Math.max(0, next - clock.now()));
  }

  function tick(): void {
    timer = null;
    timerAt = Infinity;
    const { results, toFetch } = pickDue(dues.values(), clock.now(), o, fetcher.batchSupported());
    for (const d of results) {
      d.dueAt = Infinity;
      deps.onResultDue(d.taskId);
    }
    for (const d of toFetch) d.fetching = true;
    if (toFetch.length > 0) deps.trackWork(poll(toFetch));
    schedule();
  }

  async function poll(list: Due[]): Promise<void> {
    let results: Map<string, FetchResult>;
    try {
      results = await fetcher.fetch(list.map((d) => d.taskId));
    } catch (error) {
      results = new Map(list.map((d) => [d.taskId, { kind: 'failed', error }]));
    }
    for (const d of list) {
      d.fetching = false;
      // Forgotten (or followed again) while the fetch ran: the answer is about a follow that is over.
      if (!running || dues.get(d.taskId) !== d) continue;
      deps.onPolled(d.taskId, results.get(d.taskId) ?? { kind: 'unknown' });
    }
    schedule();
  }

  return {
    pollAt: (taskId, at, early) => set(taskId, at, 'poll', early),
    resultAt: (taskId, at) => set(taskId, at, 'result', null),
    hold: (taskId) => set(taskId, Infinity, 'result', null),
    forget(taskId) {
      dues.delete(taskId);
    },
    start() {
      running = true;
      schedule();
    },
    stop() {
      running = false;
      if (timer !== null) scheduler.clearTimeout(timer);
      timer = null;
    },
  };
}

/** What a tick does: results due to be sent again, and the tasks to fetch (due ones, plus early ones that fit). */
function pickDue(dues: Iterable<Due>, now: number, o: ResolvedTrackerOptions, batchable: boolean) {
  const horizon = now + o.batchWindowMs;
  const due: Due[] = [];
  const early: Due[] = [];
  const results: Due[] = [];
  for (const d of dues) {
    if (d.fetching || d.dueAt === Infinity) continue;
    if (d.dueAt <= horizon) (d.action === 'result' ? results : due).push(d);
    else if (d.action === 'poll' && isEarly(d, now, o)) early.push(d);
  }
  return { results, toFetch: fillBatch(due, early, o.batchSize, batchable) };
}

const isEarly = (d: Due, now: number, o: ResolvedTrackerOptions) =>
  d.early !== null &&
  o.earlyPollFraction > 0 &&
  d.dueAt <= now + pollInterval(o, d.early.status, d.early.lastPushAt, now) * o.earlyPollFraction;
