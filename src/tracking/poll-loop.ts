// When each followed task is looked at next. One timer drives one loop: each tick takes the tasks that
// are due (and, when a batch has room, some that are nearly due), fetches them in batches and hands each
// answer to `onPolled`; a pending result that is due to be sent again goes to `onResultDue`. A batch
// that is not full waits for more ids while every task in it may still wait (poll-policy.ts batchWait).
// The loop
// owns the due times and which tasks are being fetched; what an answer means is task-state.ts's job.
// A push is only a hint: it brings a task's next poll forward (or asks once about a task nobody follows)
// and the answer comes from the API, in the same batches as the polls. Pending hints are bounded.
import type { Clock } from '../clock.js';
import { batchWait, fillBatch, pollInterval, type PollFacts, type ResolvedTrackerOptions } from './poll-policy.js';
import type { Scheduler, TimerHandle } from './scheduler.js';
import type { FetchResult, TaskFetcher } from './task-fetcher.js';

/** What the loop knows of a task to decide whether it may be polled early. */
export type EarlyPollFacts = PollFacts;

interface Due {
  taskId: string;
  dueAt: number;
  /** The latest it may be polled: past dueAt only for a poll that may wait for a fuller batch. */
  latestAt: number;
  /** 'result': send the pending result again at `at` instead of polling. */
  action: 'poll' | 'result';
  /** Set for tasks that may join a batch early; null while backing off after errors (the wait is the point). */
  early: EarlyPollFacts | null;
  fetching: boolean;
  /** A hint arrived while this task was being fetched: poll it again once the answer is in. */
  rehint: boolean;
}

/** A one-off look at a task nobody follows (a push for it arrived), answered to whoever asked. */
interface Probe {
  dueAt: number;
  answers: Array<(result: FetchResult) => void>;
  fetching: boolean;
}

/** What a hint did: brought a poll forward, found one already due as soon, or was dropped (the queue is full). */
export type HintOutcome = 'queued' | 'already' | 'full';

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
  /** Brings a followed task's next poll forward to `at` (a push said something changed). */
  hint(taskId: string, at: number): HintOutcome;
  /** Fetches a task nobody follows in the batch due at `at`; null when the hint queue is full. */
  probe(taskId: string, at: number): Promise<FetchResult> | null;
  /** Hints and probes waiting for their fetch. */
  pendingHints(): number;
  forget(taskId: string): void;
  start(): void;
  stop(): void;
}

export function createPollLoop(deps: PollLoopDeps): PollLoop {
  const { clock, scheduler, options: o, fetcher } = deps;
  const dues = new Map<string, Due>();
  /** Followed tasks whose poll a hint brought forward and that are not being fetched yet. */
  const hinted = new Set<string>();
  const probes = new Map<string, Probe>();
  const pending = () => hinted.size + [...probes.values()].filter((p) => !p.fetching).length;
  let timer: TimerHandle | null = null;
  let timerAt = Infinity;
  let running = false;
  /** When a tick last held a batch back for more ids (-Infinity: the last tick held none). */
  let heldAt = -Infinity;
  /**
   * Requests the loop's polls have out or waiting in the fetcher. At fetchConcurrency no poll starts:
   * one would only wait behind them, and the ids due meanwhile go together once one comes back
   * instead of a short batch each (members' requests go first in the API budget, so polls can wait).
   */
  let requestsOut = 0;
  const saturated = () => requestsOut >= o.fetchConcurrency;

  /** `wait`: how long past `at` the poll may wait for a fuller batch (0: it goes when due). */
  const set = (taskId: string, at: number, action: Due['action'], early: EarlyPollFacts | null, wait = 0) => {
    const due = dues.get(taskId);
    if (due?.fetching && action === 'poll') return;
    const latestAt = at + wait;
    if (due) Object.assign(due, { dueAt: at, latestAt, action, early });
    else dues.set(taskId, { taskId, dueAt: at, latestAt, action, early, fetching: false, rehint: false });
    // Saturated, schedule() passes over every poll (the next answer reschedules): a rescan could not
    // move the timer. Without this check each answer's next poll rescanned every task, since a
    // saturated loop often has no timer: at 10,000 in flight that was 15 % of the bot's CPU.
    if (action === 'poll' && saturated()) return;
    // Moving one task later needs no rescan (O(tasks)) unless it is now due before the timer, or there is no timer.
    if (timer === null || at < timerAt) schedule();
  };

  /**
   * One timer for all tasks: set for the earliest due time, or, while a batch is held back for more
   * ids, a window after the tick that held it (the batch may have filled by then: not at every task's
   * due time) unless one of its tasks may wait no longer before that.
   */
  function schedule(): void {
    if (!running) return;
    let latest = Infinity;
    let due = Infinity;
    const full = saturated();
    for (const d of dues.values()) {
      // Saturated, polls wait for an answer (it calls schedule); results still go on time.
      if (d.fetching || (full && d.action === 'poll')) continue;
      if (d.latestAt < latest) latest = d.latestAt;
      if (d.dueAt < due) due = d.dueAt;
    }
    if (!full) for (const p of probes.values()) if (!p.fetching && p.dueAt < latest) latest = p.dueAt;
    const next = Math.min(latest, Math.max(due, heldAt + o.batchWindowMs));
    if (next === Infinity || (timer !== null && timerAt <= next)) return;
    if (timer !== null) scheduler.clearTimeout(timer);
    timerAt = next;
    timer = scheduler.setTimeout(tick, Math.max(0, next - clock.now()));
  }

  function tick(): void {
    timer = null;
    timerAt = Infinity;
    const batchable = fetcher.batchSupported();
    const { results, toFetch, mustGo } = pickDue(dues.values(), clock.now(), o, batchable);
    for (const d of results) {
      d.dueAt = Infinity;
      d.latestAt = Infinity;
      deps.onResultDue(d.taskId);
    }
    const full = saturated();
    const probing = full ? [] : takeProbes(clock.now() + o.batchWindowMs);
    // A batch that is not full waits for more ids, unless one of them may wait no longer (a probe never
    // waits). One request per id gains nothing by waiting.
    const go = !full && (mustGo || probing.length > 0 || !batchable || toFetch.length >= o.batchSize);
    const fetching = go ? toFetch : [];
    heldAt = go || full || toFetch.length === 0 ? -Infinity : clock.now();
    for (const d of fetching) {
      d.fetching = true;
      hinted.delete(d.taskId);
    }
    if (fetching.length > 0 || probing.length > 0) deps.trackWork(poll(fetching, probing));
    schedule();
  }

  function takeProbes(horizon: number): Array<[string, Probe]> {
    const out: Array<[string, Probe]> = [];
    for (const [taskId, p] of probes)
      if (!p.fetching && p.dueAt <= horizon) {
        p.fetching = true;
        out.push([taskId, p]);
      }
    return out;
  }

  async function poll(list: Due[], probing: Array<[string, Probe]> = []): Promise<void> {
    const ids = [...new Set([...list.map((d) => d.taskId), ...probing.map(([taskId]) => taskId)])];
    const sentAt = clock.now();
    const dueOf = new Map(list.map((d) => [d.taskId, d]));
    const probeOf = new Map(probing);
    // Each request's answer is applied when it comes back, not once the whole poll is back: a saturated
    // loop polls thousands of due ids at once, and waiting for its last batch held the first batches'
    // answers (their tasks, about a quarter of the heap at 10,000 in flight) and delayed their updates.
    const size = fetcher.batchSupported() ? o.batchSize : 1;
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
    requestsOut += chunks.length;
    const answer = (taskId: string, result: FetchResult) => {
      const p = probeOf.get(taskId);
      if (p) {
        if (probes.get(taskId) === p) probes.delete(taskId);
        for (const reply of p.answers) reply(result);
      }
      const d = dueOf.get(taskId);
      if (!d) return;
      d.fetching = false;
      // Forgotten (or followed again) while the fetch ran: the answer is about a follow that is over.
      if (!running || dues.get(taskId) !== d) return;
      deps.onPolled(taskId, result);
      keepCadence(taskId, clock.now() - sentAt);
      if (d.rehint) {
        d.rehint = false;
        hint(taskId, clock.now() + o.batchWindowMs);
      }
    };
    await Promise.all(
      chunks.map(async (chunk) => {
        let results: Map<string, FetchResult>;
        try {
          results = await fetcher.fetch(chunk);
        } catch (error) {
          results = new Map(chunk.map((taskId) => [taskId, { kind: 'failed', error }]));
        } finally {
          requestsOut--;
        }
        for (const taskId of chunk) answer(taskId, results.get(taskId) ?? { kind: 'unknown' });
        schedule();
      }),
    );
  }

  /**
   * A normal interval runs from when the poll was sent, not from its answer: on a busy machine (or a
   * slow API) a 300 ms answer would otherwise push every later poll back, and the cadence drift.
   * Backoffs (no early facts) and results are left as set.
   */
  function keepCadence(taskId: string, answerMs: number): void {
    const next = dues.get(taskId);
    if (!next || answerMs <= 0 || next.action !== 'poll' || next.early === null || next.dueAt === Infinity) return;
    next.dueAt = Math.max(clock.now(), next.dueAt - answerMs);
    next.latestAt = Math.max(next.dueAt, next.latestAt - answerMs);
  }

  function hint(taskId: string, at: number): HintOutcome {
    const d = dues.get(taskId);
    // Not followed here, or its result is on its way (held): nothing to bring forward.
    if (!d || d.action !== 'poll') return 'already';
    if (d.fetching) {
      d.rehint = true;
      return 'queued';
    }
    if (d.dueAt <= at) return 'already';
    if (!hinted.has(taskId) && pending() >= o.maxPendingHints) return 'full';
    hinted.add(taskId);
    set(taskId, at, 'poll', d.early);
    return 'queued';
  }

  return {
    // Backing off (no early facts): the wait is the point, and the poll goes when due.
    pollAt: (taskId, at, early) => set(taskId, at, 'poll', early, early === null ? 0 : batchWait(o, at - clock.now())),
    resultAt: (taskId, at) => set(taskId, at, 'result', null),
    hold: (taskId) => set(taskId, Infinity, 'result', null),
    hint,
    probe(taskId, at) {
      const known = probes.get(taskId);
      if (!known && pending() >= o.maxPendingHints) return null;
      const p = known ?? { dueAt: at, answers: [], fetching: false };
      probes.set(taskId, p);
      const answered = new Promise<FetchResult>((resolve) => p.answers.push(resolve));
      if (timer === null || at < timerAt) schedule();
      return answered;
    },
    pendingHints: pending,
    forget(taskId) {
      dues.delete(taskId);
      hinted.delete(taskId);
    },
    start() {
      running = true;
      schedule();
    },
    stop() {
      running = false;
      // Nobody will fetch them now: whoever waits hears "failed" and gives up.
      for (const p of probes.values())
        if (!p.fetching) for (const answer of p.answers) answer({ kind: 'failed', error: new Error('stopped') });
      probes.clear();
      hinted.clear();
      if (timer !== null) scheduler.clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * What a tick does: results due to be sent again, the tasks to fetch (due ones, plus early ones that
 * fit), and whether one of the due ones may wait no longer (its latest time has come).
 */
function pickDue(dues: Iterable<Due>, now: number, o: ResolvedTrackerOptions, batchable: boolean) {
  const horizon = now + o.batchWindowMs;
  const due: Due[] = [];
  const early: Due[] = [];
  const results: Due[] = [];
  let mustGo = false;
  for (const d of dues) {
    if (d.fetching || d.dueAt === Infinity) continue;
    if (d.dueAt <= horizon) {
      if (d.action === 'result') results.push(d);
      else {
        due.push(d);
        if (d.latestAt <= now) mustGo = true;
      }
    } else if (d.action === 'poll' && isEarly(d, now, o)) early.push(d);
  }
  return { results, toFetch: fillBatch(due, early, o.batchSize, batchable), mustGo };
}

const isEarly = (d: Due, now: number, o: ResolvedTrackerOptions) =>
  d.early !== null && o.earlyPollFraction > 0 && d.dueAt <= now + pollInterval(o, d.early, now) * o.earlyPollFraction;
