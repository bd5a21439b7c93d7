// Runs the naive poller over a scenario's planned tasks: its own Midjourney stand-in (so its requests
// are counted at the HTTP level), its own child process, each task created on the stand-in at its
// planned submit time and handed to the side. The bot runs the same plan through /imagine (bot-run.ts).
import { fork } from 'node:child_process';
import { createMjStandIn } from '../test/support/mj/index.js';
import { planBotTasks, type BotScenarioSpec } from './bot-plan.js';
import {
  PROGRESS_STEPS,
  channelIdOf,
  taskMinutes,
  type BenchTask,
  type FromSide,
  type PlannedTask,
  type SideConfig,
  type SideStats,
  type ToSide,
} from './scenario.js';

export interface NaiveResult {
  spec: BotScenarioSpec;
  taskMinutes: number;
  stats: SideStats | null;
  /** What its stand-in received: every request, and the task reads (fetch) among them. */
  mjRequests: number;
  mjPolls: number;
  failure: string | null;
}

export interface NaiveOptions {
  fastPollMs: number;
  discordLatencyMs: number;
  /** The compiled bench/side.js and the node flags to run it with. */
  side: { path: string; execArgv: string[] };
  log(line: string): void;
}

/** Wall time allowed after the last submit: the longest task plus polls and slack. */
const TAIL_SLACK_MS = 60_000;

/** The bot scenario's own plan (same seed, same timelines, same submit times), as the naive side takes it. */
function naivePlan(spec: BotScenarioSpec): PlannedTask[] {
  return planBotTasks(spec).map((t) => ({
    index: t.index,
    channelId: channelIdOf(spec, t.index),
    submitAtMs: t.submitAtMs,
    queuedMs: t.queuedMs,
    runMs: t.runMs,
  }));
}

export async function runNaive(spec: BotScenarioSpec, o: NaiveOptions): Promise<NaiveResult> {
  const mj = await createMjStandIn({
    clock: { now: () => Date.now() },
    logRequests: false,
    timeline: { queuedStatus: 'SUBMITTED', progressSteps: [...PROGRESS_STEPS], outcome: 'SUCCESS' },
  });
  const plan = naivePlan(spec);
  const result: NaiveResult = {
    spec,
    taskMinutes: taskMinutes(plan),
    stats: null,
    mjRequests: 0,
    mjPolls: 0,
    failure: null,
  };
  const child = fork(o.side.path, [], { execArgv: o.side.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const config: SideConfig = {
      side: 'naive',
      scenario: spec.name,
      mjBaseUrl: mj.baseUrl,
      mjApiKey: mj.apiKey,
      fastPollMs: o.fastPollMs,
      discordLatencyMs: o.discordLatencyMs,
      bucketLimit: 5,
      bucketWindowMs: 5_000,
      maxWaitMs: spec.queuedMs[1] + spec.runMs[1] + TAIL_SLACK_MS,
    };
    let ready: () => void = () => {};
    const isReady = new Promise<void>((resolve) => (ready = resolve));
    const answers = new Promise<SideStats>((resolve, reject) => {
      child.on('message', (m: FromSide) => {
        if (m.type === 'result') resolve(m.stats);
        else if (m.type === 'failed') reject(new Error(`${spec.name}/naive: ${m.error}`));
        else ready();
      });
      child.on('exit', (code) => reject(new Error(`${spec.name}/naive exited (code ${code}) before reporting`)));
    });
    answers.catch(() => undefined);
    child.send({ type: 'config', config } satisfies ToSide);
    await Promise.race([isReady, answers]);
    o.log(`  naive ${spec.name}: submitting ${plan.length} tasks over ${spec.rampMs / 1000} s`);
    const start = Date.now();
    let next = 0;
    while (next < plan.length) {
      const elapsed = Date.now() - start;
      const wave: BenchTask[] = [];
      while (next < plan.length && plan[next]!.submitAtMs <= elapsed) {
        const p = plan[next++]!;
        const prompt = `bench ${spec.name} task ${p.index}`;
        const id = mj.createTask({ prompt, timeline: { queuedMs: p.queuedMs, runMs: p.runMs } });
        wave.push({ id, prompt, channelId: p.channelId, createdAt: Date.now(), queuedMs: p.queuedMs, runMs: p.runMs });
      }
      if (wave.length > 0) child.send({ type: 'tasks', tasks: wave } satisfies ToSide);
      if (next < plan.length) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.send({ type: 'no-more-tasks' } satisfies ToSide);
    result.stats = await answers;
  } catch (err) {
    result.failure = err instanceof Error ? err.message : String(err);
  } finally {
    result.mjRequests = mj.countRequests();
    result.mjPolls = mj.countRequests('fetch');
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill();
          resolve();
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await mj.close();
  }
  return result;
}
