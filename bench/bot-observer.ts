// What a member would have seen, read off the Discord stand-in's request record while the bot runs:
// every request's arrival (and whether it counts against Discord's global limit), every 429, and the
// first moment each state of each task reached Discord, through any route (channel message, the
// interaction's callback or its webhook). Messages are read with the renderer's own readers
// (readTaskIdFromMessage, promptFromMessage, shownStateOf via scenario.shownState), never by their prose.
import { promptFromMessage, readTaskIdFromMessage } from '../src/render/task-message-codec.js';
import type { RecordedRequest } from '../test/support/discord/index.js';
import { indexOfPrompt, servedAt, type PlannedBotTask } from './bot-plan.js';
import { STATE_COUNT, shownState, summarize, type LatencySummary } from './scenario.js';
import type { TracedTask } from './trace.js';

const FINAL = STATE_COUNT - 1;

/** Which kind of Discord request it was, for the report's request mix. */
export type RequestKind =
  | 'channel create'
  | 'channel edit'
  | 'channel delete'
  | 'interaction callback'
  | 'interaction webhook'
  | 'other';

export function requestKind(method: string, path: string): RequestKind {
  if (/^\/interactions\//.test(path)) return 'interaction callback';
  if (/^\/webhooks\//.test(path)) return 'interaction webhook';
  if (/^\/channels\/\d+\/messages$/.test(path) && method === 'POST') return 'channel create';
  if (/^\/channels\/\d+\/messages\/\d+$/.test(path))
    return method === 'PATCH' ? 'channel edit' : method === 'DELETE' ? 'channel delete' : 'other';
  return 'other';
}

type MessageLike = Parameters<typeof readTaskIdFromMessage>[0] & Parameters<typeof promptFromMessage>[0];

/** The message a request created or edited: the body itself, or an interaction callback's data. */
function messageOf(r: RecordedRequest): MessageLike | null {
  if (r.method !== 'POST' && r.method !== 'PATCH') return null;
  const body = r.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return null;
  const message = /\/callback$/.test(r.path) ? body.data : body;
  return message && typeof message === 'object' ? message : null;
}

export interface BotObservation {
  tasksPlanned: number;
  /** Tasks the bot submitted (the stand-in created them). */
  tasksStarted: number;
  /** Started tasks whose finished state reached Discord before the run stopped. */
  resultsShown: number;
  /** SUCCESS served → first shown as finished; unshown results count as (stop − SUCCESS), a lower bound. */
  resultLag: LatencySummary;
  resultLagCensored: number;
  /** Every served state change → the first message showing it or a later state (stale states coalesced away count against the later one). */
  changeToShown: LatencySummary;
  /** The same, for changes served in a second in which the bot sent fewer than `busyPerSecond` counted requests. */
  changeToShownUnderLimit: LatencySummary;
  /** Each task's first served progress state (IN_PROGRESS) → shown. */
  firstProgress: LatencySummary;
  changesCensored: number;
  requests: number;
  requestsByKind: Record<RequestKind, number>;
  /** Requests that count against the global limit: most in one calendar second, and in any 1 s window. */
  countedPeakPerSecond: number;
  countedPeakSliding: number;
  countedTotal: number;
  /** Seconds with counted requests (for the average). */
  countedSeconds: number;
  rateLimited: { global: number; route: number };
  /** Results shown per second over the seconds in which results were waiting the whole second. */
  resultsThroughput: { perSecond: number; seconds: number } | null;
  /** Most tasks in flight at once (submitted, not yet SUCCESS on the timeline). */
  peakInFlight: number;
  /** Each task's first message (submit → its first state on Discord). */
  submitToFirstMessage: LatencySummary;
  /** Result messages created beyond one per task (a result posted twice: by two instances, or after a crash). */
  duplicateResults: number;
}

export interface BotObserverOptions {
  plan: readonly PlannedBotTask[];
  /** new-api's refresh period, or null for a proxy (states are served as they happen). */
  refreshMs: number | null;
  /** A result counts as waiting from one poll after it was served (before, the bot cannot know it). */
  pollMs: number;
  /** A second with this many counted requests or more is "at the limit". */
  busyPerSecond: number;
}

export function createBotObserver(o: BotObserverOptions) {
  const n = o.plan.length;
  const createdAt = new Float64Array(n).fill(Number.NaN);
  const queuedMs = new Float64Array(n);
  const shownAt = new Float64Array(n * STATE_COUNT).fill(Number.NaN);
  /**
   * The messages each task's result created. A create Discord folds by its nonce (enforce_nonce: the
   * same author, the same nonce, within minutes) returns the message already there, so a repeated
   * send after a takeover is no duplicate a member sees: only distinct message ids count.
   */
  const resultMessages = new Map<number, Set<string>>();
  const indexOfTask = new Map<string, number>();
  const counted: number[] = [];
  const byKind: Record<RequestKind, number> = {
    'channel create': 0,
    'channel edit': 0,
    'channel delete': 0,
    'interaction callback': 0,
    'interaction webhook': 0,
    other: 0,
  };
  const limited = { global: 0, route: 0 };
  let requests = 0;

  const indexOf = (message: MessageLike, taskId: string): number | null => {
    const known = indexOfTask.get(taskId);
    if (known !== undefined) return known;
    const index = indexOfPrompt(promptFromMessage(message));
    if (index === null || index >= n) return null;
    indexOfTask.set(taskId, index);
    return index;
  };

  return {
    /** The stand-in created planned task `index` at `at` with this queue time. */
    created(index: number, at: number, queued: number): void {
      if (index < 0 || index >= n || !Number.isNaN(createdAt[index])) return;
      createdAt[index] = at;
      queuedMs[index] = queued;
    },
    request(r: RecordedRequest): void {
      requests++;
      byKind[requestKind(r.method, r.path)]++;
      if (r.countsTowardGlobal) counted.push(r.realAt);
      if (r.status === 429) {
        if ((r.responseBody as { global?: unknown } | undefined)?.global === true) limited.global++;
        else limited.route++;
        return;
      }
      if (r.status < 200 || r.status >= 300) return;
      const message = messageOf(r);
      if (!message) return;
      const taskId = readTaskIdFromMessage(message);
      const state = shownState(typeof message.content === 'string' ? message.content : null);
      if (taskId === null || state === null) return;
      const index = indexOf(message, taskId);
      if (index === null) return;
      const i = index * STATE_COUNT + state;
      if (Number.isNaN(shownAt[i])) shownAt[i] = r.realAt;
      if (state === FINAL && r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)) {
        const created = (r.responseBody as { id?: unknown } | undefined)?.id;
        let ids = resultMessages.get(index);
        if (!ids) resultMessages.set(index, (ids = new Set()));
        ids.add(typeof created === 'string' ? created : `unknown-${ids.size}`);
      }
    },
    /** Tasks started whose result has not been shown yet. */
    resultsLeft(): number {
      let left = 0;
      for (let t = 0; t < n; t++)
        if (!Number.isNaN(createdAt[t]) && Number.isNaN(shownAt[t * STATE_COUNT + FINAL])) left++;
      return left;
    },
    /** Plan indexes of the started tasks whose result has not been shown. */
    unshown(): number[] {
      const left: number[] = [];
      for (let t = 0; t < n; t++)
        if (!Number.isNaN(createdAt[t]) && Number.isNaN(shownAt[t * STATE_COUNT + FINAL])) left.push(t);
      return left;
    },
    /** Per planned task: its id on the stand-in, when it was created, and when each state was first shown (NaN: never). */
    timeline(): TracedTask[] {
      const idOf = new Map<number, string>();
      for (const [taskId, index] of indexOfTask) idOf.set(index, taskId);
      return Array.from({ length: n }, (_, t) => ({
        index: t,
        taskId: idOf.get(t) ?? null,
        createdAt: createdAt[t] as number,
        queuedMs: queuedMs[t] as number,
        shownAt: Array.from(shownAt.subarray(t * STATE_COUNT, (t + 1) * STATE_COUNT)),
      }));
    },
    started(): number {
      let started = 0;
      for (let t = 0; t < n; t++) if (!Number.isNaN(createdAt[t])) started++;
      return started;
    },
    result(stoppedAt: number): BotObservation {
      const perSecond = new Map<number, number>();
      for (const at of counted) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
      const sorted = Float64Array.from(counted).sort();
      let sliding = 0;
      for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
        while ((sorted[hi] as number) - (sorted[lo] as number) >= 1000) lo++;
        sliding = Math.max(sliding, hi - lo + 1);
      }
      const busy = (at: number) => (perSecond.get(Math.floor(at / 1000)) ?? 0) >= o.busyPerSecond;

      const lags: number[] = [];
      let lagCensored = 0;
      const changes: number[] = [];
      const changesUnder: number[] = [];
      const first: number[] = [];
      const firstMessage: number[] = [];
      let changesCensored = 0;
      let started = 0;
      let shown = 0;
      const due: number[] = [];
      const done: number[] = [];
      const life: Array<[number, number]> = [];
      for (let t = 0; t < n; t++) {
        const created = createdAt[t] as number;
        if (Number.isNaN(created)) continue;
        started++;
        const timing = {
          createdAt: created,
          queuedMs: queuedMs[t] as number,
          runMs: (o.plan[t] as PlannedBotTask).runMs,
        };
        const shownOf = (s: number) => shownAt[t * STATE_COUNT + s] as number;
        const firstShown = Math.min(
          ...Array.from({ length: STATE_COUNT }, (_, s) => shownOf(s)).filter((x) => !Number.isNaN(x)),
        );
        if (Number.isFinite(firstShown)) firstMessage.push(firstShown - created);
        const success = servedAt(timing, FINAL, o.refreshMs) as number;
        life.push([created, success]);
        const finalAt = shownOf(FINAL);
        due.push(success + o.pollMs);
        done.push(Number.isNaN(finalAt) ? Number.POSITIVE_INFINITY : finalAt);
        if (Number.isNaN(finalAt)) {
          lagCensored++;
          lags.push(Math.max(0, stoppedAt - success));
        } else {
          shown++;
          lags.push(finalAt - success);
        }
        // Each served change: the first message showing it or any later state.
        let laterShown = Number.POSITIVE_INFINITY;
        const freshest: number[] = new Array<number>(STATE_COUNT);
        for (let s = FINAL; s >= 0; s--) {
          const at = shownOf(s);
          if (!Number.isNaN(at)) laterShown = Math.min(laterShown, at);
          freshest[s] = laterShown;
        }
        let firstProgressDone = false;
        for (let s = 1; s < STATE_COUNT; s++) {
          const served = servedAt(timing, s, o.refreshMs);
          if (served === null) continue;
          const at = freshest[s] as number;
          if (!Number.isFinite(at)) {
            changesCensored++;
            continue;
          }
          const lag = Math.max(0, at - served);
          changes.push(lag);
          if (!busy(served)) changesUnder.push(lag);
          if (!firstProgressDone && s < FINAL) {
            firstProgressDone = true;
            first.push(lag);
          }
        }
      }

      // Results throughput while they wait: seconds in which some result was due (one poll after it
      // was served) from before the second began and still not shown when it ended.
      let throughput: BotObservation['resultsThroughput'] = null;
      if (started > 0) {
        const shownPerSecond = new Map<number, number>();
        for (const at of done)
          if (Number.isFinite(at))
            shownPerSecond.set(Math.floor(at / 1000), (shownPerSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
        const from = Math.floor(Math.min(...due) / 1000);
        const last = done.some((at) => !Number.isFinite(at)) ? stoppedAt : Math.max(...done);
        const to = Math.floor(Math.min(stoppedAt, last) / 1000);
        let seconds = 0;
        let results = 0;
        for (let sec = from; sec < to; sec++) {
          const begin = sec * 1000;
          const end = begin + 1000;
          let waiting = false;
          for (let t = 0; t < due.length && !waiting; t++)
            waiting = (due[t] as number) <= begin && (done[t] as number) >= end;
          if (!waiting) continue;
          seconds++;
          results += shownPerSecond.get(sec) ?? 0;
        }
        if (seconds > 0) throughput = { perSecond: results / seconds, seconds };
      }

      // Peak in flight: a sweep over (submit +1, SUCCESS −1).
      const edges = life
        .flatMap(([a, b]) => [[a, 1] as const, [b, -1] as const])
        .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      let inFlight = 0;
      let peakInFlight = 0;
      for (const [, d] of edges) peakInFlight = Math.max(peakInFlight, (inFlight += d));

      return {
        tasksPlanned: n,
        tasksStarted: started,
        resultsShown: shown,
        resultLag: summarize(lags),
        resultLagCensored: lagCensored,
        changeToShown: summarize(changes),
        changeToShownUnderLimit: summarize(changesUnder),
        firstProgress: summarize(first),
        changesCensored,
        requests,
        requestsByKind: { ...byKind },
        countedPeakPerSecond: Math.max(0, ...perSecond.values()),
        countedPeakSliding: sliding,
        countedTotal: counted.length,
        countedSeconds: perSecond.size,
        rateLimited: { ...limited },
        resultsThroughput: throughput,
        peakInFlight,
        submitToFirstMessage: summarize(firstMessage),
        duplicateResults: [...resultMessages.values()].reduce((sum, ids) => sum + ids.size - 1, 0),
      };
    },
  };
}

export type BotObserver = ReturnType<typeof createBotObserver>;
