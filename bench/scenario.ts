// What the benchmark shares: a task's shown states and when it enters each, which state a message
// shows (read with the renderer's own reader), latency summaries, and the messages that pass between
// the orchestrator and the naive side's process (naive-phase.ts ↔ side.ts). Pure.
import { MjTaskSchema } from '../src/mj/schema.js';
import { shownStateOf } from '../src/render/task-content.js';
import { renderTask } from '../src/render/task-message.js';

/** Midjourney's own progress steps while IN_PROGRESS; SUCCESS (100%) follows the last one. */
export const PROGRESS_STEPS = [0, 15, 31, 46, 62, 78, 93] as const;
/** Shown states of one task: waiting, each progress step, done. */
export const STATE_COUNT = PROGRESS_STEPS.length + 2;

/** Every task is someone's: the result mentions this member (a snowflake, as the renderer expects). */
export const BENCH_REQUESTER_ID = '1200000000000000001';

/** The naive poller (the bot itself is not a side: it runs as `npm start` runs it, bench/bot-run.ts). */
export type SideKind = 'naive';

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
  /** The bot's default poll interval (3 s): the naive poller fetches every task this often. */
  fastPollMs: number;
  /** Simulated Discord round trip (ms); the bucket counts a request when it arrives, half-way. */
  discordLatencyMs: number;
  bucketLimit: number;
  bucketWindowMs: number;
  /** After the last task arrived, report after this long even if some tasks are not finished. */
  maxWaitMs: number;
}

export type ToSide =
  | { type: 'config'; config: SideConfig }
  | { type: 'tasks'; tasks: BenchTask[] }
  | { type: 'no-more-tasks' };

export type FromSide = { type: 'ready' } | { type: 'result'; stats: SideStats } | { type: 'failed'; error: string };

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
  mjCalls: { errors: number; callsWhileArriving: number; callsAfter: number };
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

export function channelIdOf(scenario: { seed: number; channels: number }, index: number): string {
  // Snowflake-shaped ids, distinct per scenario so a side never mixes two layouts.
  return String(1_300_000_000_000_000_000n + BigInt(scenario.seed) * 1_000_000n + BigInt(index % scenario.channels));
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

/**
 * The bracketed state the renderer writes for each shown state (waiting, each step, done), learnt by
 * rendering a task in that state and reading it back with the renderer's own reader, so the bench
 * follows whatever the messages look like.
 */
const TAG_OF_STATE: readonly (string | null)[] = Array.from({ length: STATE_COUNT }, (_, state) => {
  const status = state === 0 ? 'SUBMITTED' : state === STATE_COUNT - 1 ? 'SUCCESS' : 'IN_PROGRESS';
  const progress = state === 0 ? '0%' : state === STATE_COUNT - 1 ? '100%' : `${PROGRESS_STEPS[state - 1]}%`;
  const task = MjTaskSchema.parse({ id: '1700000000000000', action: 'IMAGINE', prompt: 'x', status, progress });
  return shownStateOf(renderTask(task, { requesterId: BENCH_REQUESTER_ID }).content);
});

/** The shown state (0 waiting, 1..7 the steps, 8 done) a message's content stands for, or null. */
export function shownState(content: string | null | undefined): number | null {
  const tag = shownStateOf(content);
  if (tag === null) return null;
  const state = TAG_OF_STATE.indexOf(tag);
  return state === -1 ? null : state;
}

export function summarize(samples: number[]): LatencySummary {
  if (samples.length === 0) return { count: 0, p50: null, p95: null, p99: null, max: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] as number };
}
