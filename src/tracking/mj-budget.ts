// One request budget towards the Midjourney API, shared by everything that asks it: members' requests
// (submits, /mjtask look-ups) go first, polls and push re-reads after them. At most `maxPerSecond`
// requests start in any one-second window (a sliding window, not a bucket: a bucket would let twice as
// many through around a burst), and an HTTP 429 on any route pauses
// every request for its Retry-After, or a wait that doubles while 429s keep coming (new-api's
// per-token concurrency gate answers 429 on fetch and list too).
// At most `maxInFlight` requests are out at once (background ones at most `backgroundInFlight`, so
// polls never hold every connection), so nothing queues unseen in the HTTP client, where its deadline
// would run out before it was even sent. A member's request that cannot start within `memberWaitMs`
// is not sent at all and fails as 'busy': the member learns at once that nothing was sent (nor paid
// for), instead of a timeout that may or may not have reached the API.
import type { Clock } from '../clock.js';
import type { MjApi } from '../mj/api.js';
import { isMjApiError, MjApiError } from '../mj/errors.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface MjBudgetOptions {
  maxPerSecond: number;
  clock: Clock;
  scheduler: Scheduler;
  /** Requests out at once. Default 16. */
  maxInFlight?: number;
  /** Background requests (polls, re-reads) out at once. Default 4. */
  backgroundInFlight?: number;
  /** The API client's deadline for one request (MJ_TIMEOUT_MS). Default 15 s. */
  requestTimeoutMs?: number;
  /**
   * How long a member's request may wait to start before it fails as 'busy'. Default half the request
   * timeout, so a member's whole answer (wait, then the request) stays within 1.5 × MJ_TIMEOUT_MS.
   */
  memberWaitMs?: number;
  /** First pause after a 429 without Retry-After (doubling up to maxPauseMs). Default 1 s. */
  pauseMs?: number;
  /** Default 30 s. */
  maxPauseMs?: number;
}

export const DEFAULT_MAX_IN_FLIGHT = 16;
export const DEFAULT_BACKGROUND_IN_FLIGHT = 4;

export type MjPriority = 'member' | 'background';

export interface MjBudget {
  /** The API for what members wait on: submits and look-ups; served before any background request. */
  readonly member: MjApi;
  /** The API for polls and push re-reads. */
  readonly background: MjApi;
  /**
   * Waits for a token and a place among the requests out; resolves with the function that gives the
   * place back (call it once the request is over). A member's wait past memberWaitMs rejects ('busy').
   */
  take(priority: MjPriority): Promise<() => void>;
  /** Requests waiting for a token. */
  waiting(): number;
  /** Requests out now. */
  inFlight(): number;
  /** Requests that may start in any one-second window now. */
  maxPerSecond(): number;
  /**
   * A new rate (at least 1): this instance's part of MJ_MAX_REQUESTS_PER_SECOND next to the other
   * instances on the database (discord/share-keeper.ts). A smaller one holds from the requests already
   * started within the last second; a larger one lets waiting requests start at once.
   */
  setMaxPerSecond(perSecond: number): void;
  /** Pending takes are released, later ones go at once (shutdown must not hang on the budget). */
  close(): void;
}

interface Waiter {
  start(): void;
  /** Set for a member's request: its deadline timer. */
  deadline: TimerHandle | null;
}

export function createMjBudget(mj: MjApi, options: MjBudgetOptions): MjBudget {
  const { clock, scheduler } = options;
  let rate = Math.max(1, options.maxPerSecond);
  const maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
  const backgroundMax = Math.max(1, Math.min(maxInFlight, options.backgroundInFlight ?? DEFAULT_BACKGROUND_IN_FLIGHT));
  const memberWaitMs = options.memberWaitMs ?? Math.round((options.requestTimeoutMs ?? 15_000) / 2);
  const basePause = options.pauseMs ?? 1_000;
  const maxPause = options.maxPauseMs ?? 30_000;
  const queues: Record<MjPriority, Waiter[]> = { member: [], background: [] };
  const out: Record<MjPriority, number> = { member: 0, background: 0 };
  /** Start times of the last `rate` requests, oldest first. */
  const started: number[] = [];
  let pausedUntil = 0;
  let nextPause = basePause;
  let timer: TimerHandle | null = null;
  let closed = false;

  /** How long until one more request may start by the rate (0 = now). */
  const wait = (now: number) => {
    if (now < pausedUntil) return pausedUntil - now;
    return started.length < rate ? 0 : Math.max(0, (started[0] ?? now) + 1000 - now);
  };
  const inFlight = () => out.member + out.background;
  /** The queue whose head may start now by the places out (members first), or null. */
  const nextQueue = (): MjPriority | null => {
    if (inFlight() >= maxInFlight) return null;
    if (queues.member.length > 0) return 'member';
    return queues.background.length > 0 && out.background < backgroundMax ? 'background' : null;
  };
  const waiting = () => queues.member.length + queues.background.length;

  function drain(): void {
    if (timer !== null) scheduler.clearTimeout(timer);
    timer = null;
    const now = clock.now();
    let priority: MjPriority | null;
    while (wait(now) === 0 && (priority = nextQueue()) !== null) {
      started.push(now);
      if (started.length > rate) started.shift();
      queues[priority].shift()!.start();
    }
    // Waiting on the rate: come back when a token frees. Waiting on a place: a release calls drain.
    if (nextQueue() !== null) timer = scheduler.setTimeout(drain, Math.max(1, wait(now)));
  }

  const take = (priority: MjPriority): Promise<() => void> => {
    if (closed) return Promise.resolve(() => {});
    return new Promise<() => void>((resolve, reject) => {
      const waiter: Waiter = {
        deadline: null,
        start() {
          if (waiter.deadline !== null) scheduler.clearTimeout(waiter.deadline);
          out[priority] += 1;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            out[priority] -= 1;
            if (!closed) drain();
          });
        },
      };
      // The bound is for the bot's own congestion: a pause the API asked for (429) does not count, so
      // a member waiting through one gets the whole bound again once it is over. The bound is counted
      // from the later of the queueing and the pause's end: a pause ending just before the deadline
      // (its drain timer and this one due together) must not turn into a refusal.
      let boundFrom = clock.now();
      const expire = () => {
        drain(); // whatever may start now starts before any refusal
        if (!queues.member.includes(waiter)) return;
        const now = clock.now();
        boundFrom = Math.max(boundFrom, pausedUntil);
        const left = boundFrom + memberWaitMs - now;
        if (left > 0) {
          waiter.deadline = scheduler.setTimeout(expire, left);
          return;
        }
        queues.member.splice(queues.member.indexOf(waiter), 1);
        reject(new MjApiError('busy', `Not sent: no place towards the Midjourney API within ${memberWaitMs} ms.`));
      };
      if (priority === 'member') waiter.deadline = scheduler.setTimeout(expire, memberWaitMs);
      queues[priority].push(waiter);
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
      const release = await take(priority);
      try {
        const answer = await call();
        nextPause = basePause;
        return answer;
      } catch (error) {
        onAnswer(error);
        throw error;
      } finally {
        release();
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
    inFlight,
    maxPerSecond: () => rate,
    setMaxPerSecond(perSecond) {
      rate = Math.max(1, Math.floor(perSecond));
      // Only the last `rate` starts bound the next one (see wait).
      if (started.length > rate) started.splice(0, started.length - rate);
      if (!closed) drain();
    },
    close() {
      closed = true;
      if (timer !== null) scheduler.clearTimeout(timer);
      timer = null;
      for (const waiter of [...queues.member.splice(0), ...queues.background.splice(0)]) waiter.start();
    },
  };
}
