// One bot scenario: the real bot, as `npm start` runs it (compiled src/main.ts under node with the
// start script's flags, configured by its environment only), against the HTTP Discord stand-in (with
// Discord's global limit and per-channel buckets) and the Midjourney stand-in, both in this process.
// Members run /imagine through the gateway as planned; the observer reads the stand-in's request record.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDiscordStandIn, type DiscordStandIn } from '../test/support/discord/index.js';
import { defaultGuildSpec } from '../test/support/discord/world.js';
import type { MjStandIn } from '../test/support/mj/index.js';
import { standInEnv } from '../test/support/stand-in-env.js';
import { createBotObserver, type BotObservation } from './bot-observer.js';
import { planBotTasks, promptFor, type BotScenarioSpec } from './bot-plan.js';
import { startBot, type RunningBot } from './bot-process.js';
import { createPlannedMjStandIn, playPlan } from './play.js';
import { meterProcess } from './proc-meter.js';
import { traceSummary, traceTasks, writeTrace } from './trace.js';

/** Discord's documented global limit, enforced by the stand-in as a sliding 1 s window. */
export const DISCORD_GLOBAL_LIMIT = { limit: 50, windowMs: 1_000 };
/** What issue 14 asks the bot to stay under, with room below Discord's 50. */
export const BOT_GLOBAL_TARGET = 45;
/** The bot's default poll interval (POLL_FAST_MS = POLL_SLOW_MS = 3000, src/config/load.ts). */
export const DEFAULT_POLL_MS = 3_000;
/** new-api refreshes its copy of a task every 15 s (the stand-in's default, Calcium-Ion/new-api). */
const NEWAPI_REFRESH_MS = 15_000;

export interface BotRunOptions {
  /** The compiled src/main.js and the node flags of `npm start`. */
  bot: { path: string; execArgv: string[] };
  /** A temp folder the caller removes (the bot's database goes in it). */
  workDir: string;
  log(line: string): void;
}

export interface BotScenarioResult {
  spec: BotScenarioSpec;
  observation: BotObservation | null;
  failure: string | null;
  /** What the Midjourney stand-in received, by kind. */
  mj: { polls: number; submits: number; images: number; all: number };
  /** Σ (queued + running) over the tasks the bot started, in minutes: the denominator of requests per task-minute. */
  taskMinutes: number;
  /** At ready (nothing followed), the largest sampled while tasks ran, and the kernel's high-water mark (start-up included). */
  rss: { idleMb: number; peakMb: number; startupPeakMb: number; highWaterMb: number };
  cpuSeconds: number;
  /**
   * The bot's busiest 5 s of CPU (1.0 = one core, all a Node process's main thread can give) and
   * how busy this process's own event loop (both stand-ins, the members) was over the run: near 1.0
   * on either side, what was measured is the machine, not the bot's design.
   */
  busiestCpuShare: number;
  harnessLoopBusy: number;
  wallSeconds: number;
  /** warn/error lines the bot logged, by message. */
  problems: Record<string, number>;
}

const snowflake = (base: bigint, seed: number, i: number) => String(base + BigInt(seed) * 100_000n + BigInt(i));

export function guildFor(spec: BotScenarioSpec) {
  const guild = defaultGuildSpec();
  const channels = Array.from({ length: spec.channels }, (_, i) => ({
    id: snowflake(1_300_000_000_000_000_000n, spec.seed, i),
    name: `bench-${i}`,
  }));
  const members = Array.from({ length: spec.members }, (_, i) => ({
    user: { id: snowflake(1_310_000_000_000_000_000n, spec.seed, i), username: `painter-${i}`, global_name: null },
  }));
  return { ...guild, channels: [...guild.channels, ...channels], members: [...(guild.members ?? []), ...members] };
}

export async function runBotScenario(spec: BotScenarioSpec, o: BotRunOptions): Promise<BotScenarioResult> {
  const plan = planBotTasks(spec);
  const observer = createBotObserver({
    plan,
    refreshMs: spec.dialect === 'newapi' ? NEWAPI_REFRESH_MS : null,
    pollMs: DEFAULT_POLL_MS,
    busyPerSecond: BOT_GLOBAL_TARGET,
  });
  const result: BotScenarioResult = {
    spec,
    observation: null,
    failure: null,
    mj: { polls: 0, submits: 0, images: 0, all: 0 },
    taskMinutes: 0,
    rss: { idleMb: 0, peakMb: 0, startupPeakMb: 0, highWaterMb: 0 },
    cpuSeconds: 0,
    busiestCpuShare: 0,
    harnessLoopBusy: 0,
    wallSeconds: 0,
    problems: {},
  };
  let startedAt = Number.POSITIVE_INFINITY;
  const minutes: number[] = [];
  let discord: DiscordStandIn | null = null;
  let mj: MjStandIn | null = null;
  let bot: RunningBot | null = null;
  const wallStart = Date.now();
  /** BENCH_TRACE=<file.json>: where each result's time went (bench/trace.ts); keeps the stand-in's request log. */
  const traceFile = process.env.BENCH_TRACE
    ? `${process.env.BENCH_TRACE.replace(/\.json$/, '')}-${spec.name.replace(/[^A-Za-z0-9]+/g, '-')}.json`
    : undefined;
  const appliedAt = new Map<string, number>();
  try {
    discord = await createDiscordStandIn({
      guilds: [guildFor(spec)],
      globalLimit: DISCORD_GLOBAL_LIMIT,
      keepRequestBodies: false,
    });
    discord.beforeAnswer((r) => observer.request(r));
    mj = await createPlannedMjStandIn({
      plan,
      observer,
      startedAt: () => startedAt,
      dialect: spec.dialect,
      onCreated: (task, queuedMs) => minutes.push((queuedMs + task.runMs) / 60_000),
      logRequests: traceFile !== undefined,
    });
    const dir = join(o.workDir, spec.name.replace(/[^A-Za-z0-9]+/g, '-'));
    mkdirSync(dir, { recursive: true });
    const env: Record<string, string> = {
      ...standInEnv(discord, mj, join(dir, 'bot.sqlite')),
      // What an admin sets: the Bearer default for new-api, mj-api-secret for a proxy.
      ...(spec.dialect === 'newapi' ? {} : { MJ_AUTH_HEADER: 'mj-api-secret' }),
      LOG_LEVEL: 'info',
      ...spec.env,
    };
    bot = startBot(o.bot.path, o.bot.execArgv, dir, env, (entry) => {
      // When the bot applied each task's SUCCESS (its own log line), for the trace.
      if (
        traceFile &&
        entry.event === 'task.transition' &&
        entry.status === 'SUCCESS' &&
        typeof entry.time === 'number'
      )
        appliedAt.set(String(entry.taskId), entry.time);
    });
    await withTimeout(bot.ready, 60_000, 'the bot to be ready');
    const meter = meterProcess(bot.pid);
    result.rss.idleMb = meter.idleRssMb;
    result.rss.startupPeakMb = meter.startupPeakRssMb;

    const members = guildFor(spec).members.slice(-spec.members);
    const channels = guildFor(spec).channels.slice(-spec.channels);
    o.log(`  ${spec.name}: ${spec.tasks} × /imagine over ${spec.rampMs / 1000} s in ${spec.channels} channels`);
    const loopBefore = performance.eventLoopUtilization();
    const stoppedAt = await playPlan(spec, plan, {
      dispatch: (task) =>
        discord!.slashCommand({
          name: 'imagine',
          options: { prompt: promptFor(spec, task.index) },
          user: members[task.member]!.user.id,
          channelId: channels[task.channel]!.id,
        }),
      started: () => observer.started(),
      resultsLeft: () => observer.resultsLeft(),
      onStart: (at) => (startedAt = at),
    });
    const used = meter.stop();
    result.rss.peakMb = used.peakRssMb;
    result.rss.highWaterMb = used.highWaterMb;
    result.cpuSeconds = used.cpuSeconds;
    result.busiestCpuShare = used.busiestCpuShare;
    result.harnessLoopBusy = performance.eventLoopUtilization(loopBefore).utilization;
    result.observation = observer.result(stoppedAt);
    if (traceFile) {
      const traces = traceTasks(
        plan,
        observer.timeline(),
        mj.requests,
        appliedAt,
        spec.dialect === 'newapi' ? NEWAPI_REFRESH_MS : null,
      );
      writeTrace(traceFile, traces);
      for (const line of traceSummary(traces)) o.log(`  ${spec.name} trace: ${line}`);
    }
    const left = result.observation.tasksStarted - result.observation.resultsShown;
    o.log(
      `  ${spec.name}: ${result.observation.resultsShown}/${result.observation.tasksStarted} results shown${left > 0 ? ` (${left} still waiting when the run stopped)` : ''}; ${((stoppedAt - startedAt) / 1000).toFixed(0)} s`,
    );
  } catch (err) {
    result.failure = err instanceof Error ? err.message : String(err);
  } finally {
    await bot?.stop();
    if (mj) {
      result.mj = {
        polls: mj.countRequests('fetch') + mj.countRequests('list-by-condition') + mj.countRequests('list'),
        submits: mj.countRequests('imagine'),
        images: mj.countRequests('images'),
        all: mj.countRequests(),
      };
    }
    await discord?.close();
    await mj?.close();
  }
  result.taskMinutes = minutes.reduce((a, b) => a + b, 0);
  result.problems = bot?.problems ?? {};
  result.wallSeconds = (Date.now() - wallStart) / 1000;
  return result;
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms / 1000} s`)), ms)),
    ),
  ]);
}
