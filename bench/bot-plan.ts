// What the bot is put through in one scenario: which member runs /imagine in which channel when, and
// the timeline the Midjourney stand-in gives that task (chosen by its prompt when the bot submits it).
// Pure: the orchestrator (bot-run.ts) plays it, the observer (bot-observer.ts) measures against it.
import type { DialectName } from '../test/support/mj/index.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { STATE_COUNT, stateEnteredAt } from './scenario.js';

export type BotScenarioKind = 'burst' | 'inflight' | 'dialect';

export interface BotScenarioSpec {
  /** Shown in the report, e.g. "burst", "N=1000", "newapi". */
  name: string;
  kind: BotScenarioKind;
  tasks: number;
  /** /imagine runs round-robin in this many channels (each task's updates go to its channel). */
  channels: number;
  /** Members running /imagine, round-robin. */
  members: number;
  seed: number;
  /** The Midjourney server the stand-in imitates (MJ_API_DIALECT stays auto); null: the generic stand-in. */
  dialect: DialectName | null;
  /** /imagine commands arrive evenly over this long (ms). */
  rampMs: number;
  /** Queued, then running, for uniform times in these ranges (ms) … */
  queuedMs: readonly [number, number];
  runMs: readonly [number, number];
  /** … unless the scenario pins every SUCCESS into [finishAtMs, finishAtMs + finishWindowMs] after its start. */
  finish: { atMs: number; windowMs: number } | null;
  /** The bot's environment beyond the stand-ins' addresses; {} keeps every default. */
  env: Record<string, string>;
  /** After the last planned SUCCESS, the bot gets this long to show what is left; then the run stops. */
  tailMs: number;
}

export interface PlannedBotTask {
  index: number;
  channel: number;
  member: number;
  /** When its /imagine is dispatched, after the scenario start (ms). */
  submitAtMs: number;
  runMs: number;
  /** Fixed queue time, or (finish pinned) the SUCCESS offset from the scenario start the queue time is chosen for. */
  queuedMs: number;
  successAtMs: number | null;
}

export function planBotTasks(spec: BotScenarioSpec): PlannedBotTask[] {
  const random = seededRandom(spec.seed);
  const between = ([lo, hi]: readonly [number, number]) => Math.round(lo + (hi - lo) * random());
  return Array.from({ length: spec.tasks }, (_, index) => ({
    index,
    channel: index % spec.channels,
    member: index % spec.members,
    submitAtMs: spec.tasks <= 1 ? 0 : Math.round((spec.rampMs * index) / (spec.tasks - 1)),
    runMs: between(spec.runMs),
    queuedMs: between(spec.queuedMs),
    successAtMs: spec.finish ? spec.finish.atMs + Math.round(spec.finish.windowMs * random()) : null,
  }));
}

/** The prompt a planned task is submitted with; the stand-in and the observer read the index back. */
export function promptFor(spec: Pick<BotScenarioSpec, 'name'>, index: number): string {
  return `bench ${spec.name.replace(/[^A-Za-z0-9]+/g, ' ').trim()} task ${index}`;
}

export function indexOfPrompt(prompt: string): number | null {
  const m = /^bench [A-Za-z0-9 ]+ task (\d+)$/.exec(prompt);
  return m ? Number(m[1]) : null;
}

/** The queue time a task created at `createdAt` gets, so that a pinned SUCCESS lands where planned. */
export function queuedMsFor(task: PlannedBotTask, startedAt: number, createdAt: number): number {
  if (task.successAtMs === null) return task.queuedMs;
  return Math.max(0, startedAt + task.successAtMs - task.runMs - createdAt);
}

/**
 * When the API first serves shown state `state` of a task created at `createdAt` (epoch ms), or null
 * when it never does. A proxy serves each state as it happens (test/support/mj/task-view.ts). new-api
 * serves its own copy, refreshed on every multiple of `refreshMs` after the submit, so a state is
 * served from the first refresh inside it and skipped when no refresh falls inside it.
 */
export function servedAt(
  timing: { createdAt: number; queuedMs: number; runMs: number },
  state: number,
  refreshMs: number | null,
): number | null {
  const entered = stateEnteredAt(timing, state);
  if (refreshMs === null) return entered;
  let refresh = Math.ceil(entered / refreshMs) * refreshMs;
  if (refresh <= timing.createdAt) refresh += refreshMs;
  if (state === STATE_COUNT - 1) return refresh;
  return refresh < stateEnteredAt(timing, state + 1) ? refresh : null;
}
