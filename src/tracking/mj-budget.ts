// One request budget towards the Midjourney API, shared by everything that asks it: members' requests
// (submits, /mjtask look-ups) go first, polls and push re-reads after them. At most `maxPerSecond`
// requests start in any one-second window (a sliding window, not a bucket: a bucket would let twice as
// many through around a burst), and an HTTP 429 on any route pauses
// every request for its Retry-After, or a wait that doubles while 429s keep coming (new-api's
// per-token concurrency gate answers 429 on fetch and list too).
import type { Clock } from '../clock.js';
import type { MjApi } from '../mj/api.js';
import { isMjApiError } from '../mj/errors.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface MjBudgetOptions {
  maxPerSecond: number;
  clock: Clock;
  scheduler: Scheduler;
  /** First pause after a 429 without Retry-After (doubling up to maxPauseMs). Default 1 s. */
  pauseMs?: number;
  /** Default 30 s. */
  maxPauseMs?: number;
}

export type MjPriority = 'member' | 'background';

export interface MjBudget {
  /** The API for what members wait on: submits and look-ups; served before any background request. */
  readonly member: MjApi;
  /** The API for polls and push re-reads. */
  readonly background: MjApi;
  /** Waits for a token; resolves when the request may go. */
  take(priority: MjPriority): Promise<void>;
  /** Requests waiting for a token. */
  waiting(): number;
  /** Pending takes are released, later ones go at once (shutdown must not hang on the budget). */
  close(): void;
}

export function createMjBudget(mj: MjApi, options: MjBudgetOptions): MjBudget {
  const { clock, scheduler } = options;
  const rate = Math.max(1, options.maxPerSecond);
  const basePause = options.pauseMs ?? 1_000;
  const maxPause = options.maxPauseMs ?? 30_000;
  const queues: Record<MjPriority, Array<() => void>> = { member: [], background: [] };
  /** Start times of the last `rate` requests, oldest first. */
  const started: number[] = [];
  let pausedUntil = 0;
  let nextPause = basePause;
  let timer: TimerHandle | null = null;
  let closed = false;

  /** How long until one more request may start (0 = now). */
  const wait = (now: number) => {
    if (now < pausedUntil) return pausedUntil - now;
    return started.length < rate ? 0 : Math.max(0, (started[0] ?? now) + 1000 - now);
  };
  const next = () => queues.member.shift() ?? queues.background.shift();
  const waiting = () => queues.member.length + queues.background.length;

  function drain(): void {
    timer = null;
    const now = clock.now();
    while (waiting() > 0 && wait(now) === 0) {
      started.push(now);
      if (started.length > rate) started.shift();
      next()?.();
    }
    if (waiting() > 0) timer = scheduler.setTimeout(drain, Math.max(1, wait(now)));
  }

  const take = (priority: MjPriority): Promise<void> => {
    if (closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      queues[priority].push(resolve);
      if (timer === null) drain();
    });
  };

  const onAnswer = (error: unknown) => {
    if (!isMjApiError(error) || error.kind !== 'rate_limited') return;
    const pause = Math.max(error.details.retryAfterMs ?? 0, nextPause);
    nextPause = Math.min(maxPause, nextPause * 2);
    pausedUntil = Math.max(pausedUntil, clock.now() + pause);
  };

  const budgeted = (priority: MjPriority): MjApi => {
    const run = async <T>(call: () => Promise<T>): Promise<T> => {
      await take(priority);
      try {
        const answer = await call();
        nextPause = basePause;
        return answer;
      } catch (error) {
        onAnswer(error);
        throw error;
      }
    };
    return {
      fetchTask: (id) => run(() => mj.fetchTask(id)),
      fetchTasks: (ids) => run(() => mj.fetchTasks(ids)),
      submitAction: (req) => run(() => mj.submitAction(req)),
      submitModal: (req) => run(() => mj.submitModal(req)),
      submitImagine: (req) => run(() => mj.submitImagine(req)),
      submitDescribe: (req) => run(() => mj.submitDescribe(req)),
      submitBlend: (req) => run(() => mj.submitBlend(req)),
      submitShorten: (req) => run(() => mj.submitShorten(req)),
      submitVideo: (req) => run(() => mj.submitVideo(req)),
      // Only where the server has it (the original Java proxy): its absence is how callers know.
      ...(mj.submitChange ? { submitChange: (req) => run(() => mj.submitChange!(req)) } : {}),
      ...(mj.fetchImageSeed ? { fetchImageSeed: (id) => run(() => mj.fetchImageSeed!(id)) } : {}),
      ...(mj.recentTasks ? { recentTasks: () => run(() => mj.recentTasks!()) } : {}),
      close: () => mj.close(),
    };
  };

  return {
    member: budgeted('member'),
    background: budgeted('background'),
    take,
    waiting,
    close() {
      closed = true;
      if (timer !== null) scheduler.clearTimeout(timer);
      timer = null;
      for (const release of [...queues.member.splice(0), ...queues.background.splice(0)]) release();
    },
  };
}
