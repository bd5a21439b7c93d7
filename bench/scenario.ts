// What one benchmark scenario is: N tasks with seeded, realistic timelines, where each task is shown
// (channel), and the messages that pass between the orchestrator (run.ts) and a side (side.ts).
// Everything here is pure, so every side of a scenario gets exactly the same tasks and clock.
import { seededRandom } from '../test/support/seeded-random.js';

/** Midjourney's own progress steps while IN_PROGRESS; SUCCESS (100%) follows the last one. */
export const PROGRESS_STEPS = [0, 15, 31, 46, 62, 78, 93] as const;
/** Shown states of one task: waiting, each progress step, done. */
export const STATE_COUNT = PROGRESS_STEPS.length + 2;

/** Every task is someone's: the result mentions this member (a snowflake, as the renderer expects). */
export const BENCH_REQUESTER_ID = '1200000000000000001';

export type SideKind = 'naive' | 'tracker-poll' | 'tracker-push';

export interface ScenarioSpec {
  /** Name shown in the table, e.g. "N=1000". */
  name: string;
  tasks: number;
  /** Tasks are spread round-robin over this many channels. */
  channels: number;
  /** Submits arrive evenly over this long (ms), so batching meets a stream, not one burst. */
  rampMs: number;
  /** Queued for a uniform time in [min, max] ms, then running for a uniform time in [min, max] ms. */
  queuedMs: readonly [number, number];
  runMs: readonly [number, number];
  seed: number;
  sides: readonly SideKind[];
}

/** One task as planned before it exists on the stand-in. */
export interface PlannedTask {
  index: number;
  channelId: string;
  /** Offset of its submit from the scenario start (ms). */
  submitAtMs: number;
  queuedMs: number;
  runMs: number;
}

/** One task as a side learns it: created on the side's stand-in at `createdAt` (epoch ms). */
export interface BenchTask {
  id: string;
  /** What the member typed: the first state shown is the submit's (status "", this prompt), as in the bot. */
  prompt: string;
  channelId: string;
  createdAt: number;
  queuedMs: number;
  runMs: number;
}

export interface SideConfig {
  side: SideKind;
  scenario: string;
  mjBaseUrl: string;
  mjApiKey: string;
  /** The bot's defaults for a proxy: POLL_FAST_MS 3000, POLL_SLOW_MS 15000. The naive poller uses fastPollMs. */
  fastPollMs: number;
  slowPollMs: number;
  /** Simulated Discord round trip (ms); the bucket counts a request when it arrives, half-way. */
  discordLatencyMs: number;
  bucketLimit: number;
  bucketWindowMs: number;
  /** A temp folder the orchestrator removes at the end (the tracker's database goes in it). */
  workDir: string;
  /** Extra TrackerOptions (src/tracking/poll-policy.ts) for trying a setting; the bot's defaults otherwise. */
  trackerOptions: Record<string, number>;
  /** After the last task arrived, report after this long even if some tasks are not finished. */
  maxWaitMs: number;
}

export type ToSide =
  | { type: 'config'; config: SideConfig }
  | { type: 'tasks'; tasks: BenchTask[] }
  | { type: 'no-more-tasks' };

export type FromSide =
  | { type: 'ready'; notifyUrl: string | null }
  | { type: 'result'; stats: SideStats }
  | { type: 'failed'; error: string };

export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface SideStats {
  side: SideKind;
  scenario: string;
  tasksFollowed: number;
  /** Tasks whose final state ("Done") reached Discord. */
  tasksFinished: number;
  /** Shown states (after the task was followed) out of all states that happened after it was followed. */
  statesShown: number;
  statesTotal: number;
  sends: number;
  edits: number;
  deletes: number;
  rateLimited: number;
  /** Most Discord requests that arrived in any 1 s (all channels): Discord's global limit is 50/s. */
  peakDiscordPerSecond: number;
  /** Status change on the stand-in's timeline → the Discord request that shows it has completed. */
  changeToEdit: LatencySummary;
  /** Push sides only: the notifyHook POST arrived → the Discord request that shows it has completed. */
  pushToEdit: LatencySummary | null;
  mjCalls: { errors: number; callsWhileArriving: number; callsAfter: number; listCalls: number; listIds: number };
  /** warn/error lines the side logged, by message. */
  problems: Record<string, number>;
  rssBaselineMb: number;
  rssPeakMb: number;
  heapPeakMb: number;
  /** V8's heap as reserved (used + not yet collected + free), and memory held outside it (Buffers, native). */
  heapTotalPeakMb: number;
  externalPeakMb: number;
  /** Largest heap left after a forced full GC; only with --side-node-args=--expose-gc. */
  liveHeapPeakMb: number | null;
  cpuSeconds: number;
  wallSeconds: number;
}

export function channelIdOf(scenario: ScenarioSpec, index: number): string {
  // Snowflake-shaped ids, distinct per scenario so a side never mixes two layouts.
  return String(1_300_000_000_000_000_000n + BigInt(scenario.seed) * 1_000_000n + BigInt(index % scenario.channels));
}

export function planTasks(scenario: ScenarioSpec): PlannedTask[] {
  const random = seededRandom(scenario.seed);
  const between = ([lo, hi]: readonly [number, number]) => Math.round(lo + (hi - lo) * random());
  const out: PlannedTask[] = [];
  for (let index = 0; index < scenario.tasks; index++) {
    const submitAtMs = scenario.tasks <= 1 ? 0 : Math.round((scenario.rampMs * index) / (scenario.tasks - 1));
    out.push({
      index,
      channelId: channelIdOf(scenario, index),
      submitAtMs,
      queuedMs: between(scenario.queuedMs),
      runMs: between(scenario.runMs),
    });
  }
  return out;
}

/**
 * When the task enters shown state `state` (0 waiting, 1..7 the progress steps, 8 done), epoch ms.
 * Mirrors the stand-in's timeline (test/support/mj/task-view.ts): the steps split runMs evenly.
 */
export function stateEnteredAt(task: Pick<BenchTask, 'createdAt' | 'queuedMs' | 'runMs'>, state: number): number {
  if (state <= 0) return task.createdAt;
  const runStart = task.createdAt + task.queuedMs;
  if (state >= STATE_COUNT - 1) return runStart + task.runMs;
  return runStart + Math.ceil(((state - 1) * task.runMs) / PROGRESS_STEPS.length);
}

/** Task-minutes in flight: the denominator of "MJ requests per minute per task", identical on every side. */
export function taskMinutes(tasks: readonly PlannedTask[]): number {
  return tasks.reduce((sum, t) => sum + (t.queuedMs + t.runMs) / 60_000, 0);
}

/** The shown state a rendered message stands for: its content ends "(Waiting to start)", "(31%)" or "(Done)". */
export function shownState(content: string): number | null {
  const m = /\(([^()]*)\)$/.exec(content);
  if (!m) return null;
  const text = m[1] as string;
  if (text === 'Waiting to start') return 0;
  if (text === 'Done') return STATE_COUNT - 1;
  const pct = /^(\d{1,3})%$/.exec(text);
  if (!pct) return null;
  const step = PROGRESS_STEPS.indexOf(Number(pct[1]) as (typeof PROGRESS_STEPS)[number]);
  return step === -1 ? null : step + 1;
}

export function summarize(samples: number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] as number };
}
