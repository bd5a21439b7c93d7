// Runs scenarios side by side: one MJ stand-in per side (so requests are counted per side at the HTTP
// level), one child process per side, and the same tasks submitted to every side at the same instant.
import { fork, type ChildProcess } from 'node:child_process';
import { createMjStandIn, type MjStandIn } from '../test/support/mj/index.js';
import {
  PROGRESS_STEPS,
  planTasks,
  taskMinutes,
  type BenchTask,
  type FromSide,
  type PlannedTask,
  type ScenarioSpec,
  type SideConfig,
  type SideKind,
  type SideStats,
  type ToSide,
} from './scenario.js';

export interface SideResult {
  stats: SideStats;
  mjRequests: number;
  mjRequestsByRoute: Record<string, number>;
}

export interface ScenarioResult {
  spec: ScenarioSpec;
  taskMinutes: number;
  sides: Partial<Record<SideKind, SideResult>>;
  /** Sides that crashed or never reported, with why. */
  failures: string[];
}

export interface PhaseOptions {
  fastPollMs: number;
  slowPollMs: number;
  discordLatencyMs: number;
  /** How often due notifyHook posts are sent (the stand-in's clock is real time here). */
  hookScanMs: number;
  /** Temp folder of the run; tracker sides keep their database under it. */
  workDir: string;
  trackerOptions: Record<string, number>;
  /** The side program: compiled JS under plain node (bench/build.ts), or bench/side.ts under tsx. */
  side: { path: string; execArgv: string[] };
  log(line: string): void;
}

interface RunningChild {
  scenario: ScenarioSpec;
  side: SideKind;
  mj: MjStandIn;
  child: ChildProcess;
  notifyUrl: string | null;
  result: Promise<SideStats>;
}

/**
 * notifyHook posts the stand-in has in flight at once. A proxy's default pool (10) delivers a few
 * hundred posts a second, below the 600+ state changes a second of 10,000 tasks: pushes would wait in
 * the stand-in's queue for tens of seconds and "status change → edit" would time the stand-in, not the
 * bot. With 100 the queue stays empty and the latency is the bot's (the receiver answers each post).
 */
export const HOOK_POOL_SIZE = 100;

/** Wall time allowed after the last submit: the longest task plus polls, delivery and slack. */
const TAIL_SLACK_MS = 60_000;

function startChild(scenario: ScenarioSpec, side: SideKind, mj: MjStandIn, o: PhaseOptions): Promise<RunningChild> {
  const child = fork(o.side.path, [], { execArgv: o.side.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const config: SideConfig = {
    side,
    scenario: scenario.name,
    mjBaseUrl: mj.baseUrl,
    mjApiKey: mj.apiKey,
    fastPollMs: o.fastPollMs,
    slowPollMs: o.slowPollMs,
    discordLatencyMs: o.discordLatencyMs,
    bucketLimit: 5,
    bucketWindowMs: 5_000,
    workDir: o.workDir,
    trackerOptions: o.trackerOptions,
    maxWaitMs: scenario.queuedMs[1] + scenario.runMs[1] + TAIL_SLACK_MS,
  };
  let ready: (url: string | null) => void = () => {};
  let fail: (err: Error) => void = () => {};
  let done: (stats: SideStats) => void = () => {};
  const readyP = new Promise<string | null>((resolve, reject) => ((ready = resolve), (fail = reject)));
  const result = new Promise<SideStats>((resolve, reject) => {
    done = resolve;
    const prev = fail;
    fail = (err) => {
      prev(err);
      reject(err);
    };
  });
  result.catch(() => undefined);
  child.on('message', (m: FromSide) => {
    if (m.type === 'ready') ready(m.notifyUrl);
    else if (m.type === 'result') done(m.stats);
    else fail(new Error(`${scenario.name}/${side}: ${m.error}`));
  });
  child.on('exit', (code) => fail(new Error(`${scenario.name}/${side} exited (code ${code}) before reporting`)));
  child.send({ type: 'config', config } satisfies ToSide);
  return readyP.then((notifyUrl) => ({ scenario, side, mj, child, notifyUrl, result }));
}

/** A clock that reads real time, frozen while one wave of submits is created so every side gets the same start. */
function waveClock() {
  let frozen: number | null = null;
  return {
    now: () => frozen ?? Date.now(),
    freeze: () => (frozen = Date.now()),
    thaw: () => (frozen = null),
  };
}

export async function runPhase(scenarios: readonly ScenarioSpec[], o: PhaseOptions): Promise<ScenarioResult[]> {
  const clock = waveClock();
  const children: RunningChild[] = [];
  const results: ScenarioResult[] = scenarios.map((spec) => ({ spec, taskMinutes: 0, sides: {}, failures: [] }));
  const hookTimer = setInterval(() => {
    for (const c of children) if (c.notifyUrl) c.mj.deliverDueHooks();
  }, o.hookScanMs);
  try {
    for (const scenario of scenarios) {
      for (const side of scenario.sides) {
        const mj = await createMjStandIn({
          clock,
          logRequests: false,
          hookPoolSize: HOOK_POOL_SIZE,
          timeline: { queuedStatus: 'SUBMITTED', progressSteps: [...PROGRESS_STEPS], outcome: 'SUCCESS' },
        });
        children.push(await startChild(scenario, side, mj, o));
      }
    }
    const plans = scenarios.map((s) => planTasks(s));
    scenarios.forEach((s, i) => ((results[i] as ScenarioResult).taskMinutes = taskMinutes(plans[i] as PlannedTask[])));
    o.log(
      `  submitting ${plans.reduce((n, p) => n + p.length, 0)} tasks to each of ${children.length} sides over ${Math.max(...scenarios.map((s) => s.rampMs)) / 1000} s`,
    );
    await submitAll(scenarios, plans, children, clock);
    for (const c of children) c.child.send({ type: 'no-more-tasks' } satisfies ToSide);
    o.log('  all submitted; waiting for every side to see its tasks finish');
    for (const c of children) {
      const r = results[scenarios.indexOf(c.scenario)] as ScenarioResult;
      try {
        const stats = await withTimeout(c.result, c.scenario.queuedMs[1] + c.scenario.runMs[1] + 2 * TAIL_SLACK_MS);
        const byRoute = {
          fetch: c.mj.countRequests('fetch'),
          'list-by-condition': c.mj.countRequests('list-by-condition'),
        };
        r.sides[c.side] = { stats, mjRequests: c.mj.countRequests(), mjRequestsByRoute: byRoute };
      } catch (err) {
        r.failures.push(err instanceof Error ? err.message : String(err));
      }
    }
  } finally {
    clearInterval(hookTimer);
    // A side exits by itself after reporting (and writes its --cpu-prof then); only a stuck one is killed.
    await Promise.all(children.map((c) => exited(c.child, 10_000)));
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill();
    await Promise.all(children.map((c) => c.mj.close()));
  }
  return results;
}

/** Creates each planned task on every side's stand-in at its submit time and hands it to the side. */
async function submitAll(
  scenarios: readonly ScenarioSpec[],
  plans: PlannedTask[][],
  children: RunningChild[],
  clock: ReturnType<typeof waveClock>,
): Promise<void> {
  const start = Date.now();
  const next = plans.map(() => 0);
  for (;;) {
    const elapsed = Date.now() - start;
    let left = 0;
    clock.freeze();
    scenarios.forEach((scenario, si) => {
      const plan = plans[si] as PlannedTask[];
      let i = next[si] as number;
      const wave: PlannedTask[] = [];
      while (i < plan.length && (plan[i] as PlannedTask).submitAtMs <= elapsed) wave.push(plan[i++] as PlannedTask);
      next[si] = i;
      left += plan.length - i;
      if (wave.length === 0) return;
      for (const c of children) {
        if (c.scenario !== scenario) continue;
        const tasks: BenchTask[] = wave.map((p) => {
          const prompt = `bench ${scenario.name} task ${p.index}`;
          const id = c.mj.createTask({
            prompt,
            timeline: { queuedMs: p.queuedMs, runMs: p.runMs },
            ...(c.notifyUrl ? { notifyHook: c.notifyUrl } : {}),
          });
          return { id, prompt, channelId: p.channelId, createdAt: clock.now(), queuedMs: p.queuedMs, runMs: p.runMs };
        });
        c.child.send({ type: 'tasks', tasks } satisfies ToSide);
      }
    });
    clock.thaw();
    if (left === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${ms / 1000} s`)), ms))),
  ]);
}
