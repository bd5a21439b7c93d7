// Two bot processes on one PostgreSQL database (a real PostgreSQL 18 this file starts) and one
// Discord stand-in with two shards: each instance runs one shard (SHARD_COUNT=2, SHARD_IDS=0 / 1) and
// its own notifyHook receiver, with a 3 s lease (LEASE_TTL_MS). Polling is off: tasks move by pushes,
// so what a push does is seen. A double click arriving at both instances submits once; a push sent to
// the instance that does not own the task reaches the owner; 50 tasks started from clicks, then one
// instance is killed with SIGKILL mid-way, one paid submit of it still out: the survivor takes the
// killed one's tasks over once the instance registry counts it out (before their leases expire), finds
// the task of that submit in the API's latest tasks, and every task ends with exactly one result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllBots, spawnBot, type BotProcess } from '../support/bot-process.js';
import { defaultGuildSpec } from '../support/discord/world.js';
import type { GuildSpec, StoredMessage } from '../support/discord/index.js';
import { freePort, startHarness, type Harness } from '../support/harness.js';
import { startSharedDatabase, type SharedDatabase } from '../support/postgres.js';
import { taskIdOf } from '../support/tracking-e2e.js';
import { customIdsOn, showFinishedTaskIn } from './support-clicks.js';

const LEASE_TTL_MS = 3_000;
const SECRET = 'e2e-webhook-secret-0123456789abcdef';
// Discord puts a guild on shard (id >> 22) % 2: these two land apart.
const OTHER_GUILD: GuildSpec = {
  id: '1180000000004194404',
  name: 'Second server',
  channels: [{ id: '1180000000004194500', name: 'art' }],
  members: [{ user: { id: '1180000000000000300', username: 'tester', global_name: 'Tester' } }],
};
const LINK = /https:\/\/discord\.com\/channels\/\d+\/(\d+)\/(\d+)/;

interface Instance {
  process: BotProcess;
  shard: number;
  port: number;
  name: string;
}

let shared: SharedDatabase;
let databaseUrl: string;
let db: SharedDatabase['client'];
let h: Harness;
const instances: Instance[] = [];

beforeAll(async () => {
  shared = await startSharedDatabase();
  databaseUrl = shared.url;
  h = await startHarness({
    startBot: false,
    // A real server's profile, which the spawned bots detect at start (the generic stand-in is none).
    dialect: 'nzk',
    discord: { shards: 2, guilds: [defaultGuildSpec(), OTHER_GUILD] },
    env: {
      DISCORD_GUILD_ID: '',
      DATABASE_URL: databaseUrl,
      LEASE_TTL_MS: String(LEASE_TTL_MS),
      CLICKS_PER_MINUTE: '0',
      MAX_RUNNING_TASKS_PER_MEMBER: '0',
      POLL_FAST_MS: '600000',
      POLL_SLOW_MS: '600000',
      // Results and progress on the channel routes: one POST per message to count.
      PROGRESS_THROUGH_INTERACTION: 'false',
      LOG_LEVEL: 'info',
    },
  });
  instances.push(...(await Promise.all([0, 1].map(startInstance))));
  db = shared.client;
  await shared.connect();
}, 60_000);
afterAll(async () => {
  await killAllBots();
  await h?.close();
  await shared?.close();
});

/**
 * Starts the instance of `shard` with its own receiver. Its port must be known before it starts (the
 * notifyHook URL it submits): one taken by another test between freePort() and the bot's bind is
 * retried with another.
 */
async function startInstance(shard: number): Promise<Instance> {
  const name = `bot-${shard}`;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const process = spawnBot({
      ...h.env,
      SHARD_COUNT: '2',
      SHARD_IDS: String(shard),
      INSTANCE_ID: name,
      WEBHOOK_PORT: String(port),
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    try {
      await process.ready(20_000);
      return { process, shard, port, name };
    } catch (err) {
      if (attempt >= 3 || !process.stderr().includes('EADDRINUSE')) throw err;
    }
  }
}

const guildOf = (shard: number) =>
  [h.discord.defaults.guildId, OTHER_GUILD.id].find((g) => h.discord.shardOf(g) === shard)!;
const channelOf = (guildId: string) =>
  guildId === OTHER_GUILD.id ? OTHER_GUILD.channels[0]!.id : h.discord.defaults.channelId;
const instanceFor = (guildId: string) => instances.find((i) => i.shard === h.discord.shardOf(guildId))!;

async function rows(sql: string, params: unknown[] = []) {
  return (await db.query<Record<string, string | null>>(sql, params)).rows;
}

/**
 * A finished task shown by /mjtask in `guildId` (answered by that shard's instance), with its buttons,
 * in `channelId` (default: a new channel: each channel's budget is 5 messages per 5 s).
 */
async function shownTask(guildId: string, channelId = h.discord.addChannel({ name: 'grid', guildId })) {
  const shown = await showFinishedTaskIn(h, { prompt: 'a source grid' }, { guildId, channelId });
  return { ...shown, buttons: customIdsOn(h.discord.message(shown.channelId, shown.messageId)) };
}

/** The private answer of a click once final (not "thinking…"). */
const answerOf = (interactionId: string) => {
  const original = h.discord.interactionResponses(interactionId).original;
  return original && (original.flags & 128) === 0 ? original.content : null;
};

/** Clicks and waits for the answer linking the new task's progress message: that task's id. */
async function clickToStart(where: { channelId: string; messageId: string }, customId: string, guildId: string) {
  const sent = h.discord.clickButton({ ...where, customId, guildId });
  const linked = await h.discord.waitFor(() => LINK.exec(answerOf(sent.id) ?? ''), 8_000, `the answer to ${customId}`);
  const progress = h.discord.message(linked[1]!, linked[2]!);
  return { taskId: taskIdOf(progress)!, channelId: linked[1]!, progressId: linked[2]! };
}

const resultPostsOf = (taskId: string) =>
  h.discord
    .requestsTo('POST', /^\/channels\/\d+\/messages$/)
    .filter((r) => String((r.body as { nonce?: unknown } | undefined)?.nonce ?? '').startsWith('r'))
    .filter((r) => taskIdOf({ embeds: [], ...(r.body as object) } as unknown as StoredMessage) === taskId);

type Health = { tracker: { leased: number; active: number }; discordShare: number; mjShare: number };
const healthOf = async (instance: Instance) =>
  (await (await fetch(`http://127.0.0.1:${instance.port}/healthz`)).json()) as Health;

describe('two instances, one PostgreSQL database, two shards', () => {
  it('a double click arriving at both instances submits once', async () => {
    const guildId = guildOf(0);
    const source = await shownTask(guildId);
    const customId = source.buttons[0]!;
    const submitsBefore = (await rows(`SELECT task_id FROM tracked_tasks WHERE origin = 'click'`)).length;
    // The same button, once on its guild's shard and once on the other (as while a shard's session
    // moves between instances in a rolling deploy): both instances handle a click on it at once.
    const clicks = [
      h.discord.clickButton({ ...source, customId, guildId }),
      h.discord.clickButton({ ...source, customId, guildId, viaShard: 1 }),
    ];
    const answers = await Promise.all(
      clicks.map((c) => h.discord.waitFor(() => answerOf(c.id), 8_000, `the answer to click ${c.id}`)),
    );
    for (const [n, c] of clicks.entries())
      await instances[n]!.process.waitForLog((l) => l.interactionId === c.id, 5_000, `instance ${n} taking ${c.id}`);
    expect(answers.filter((a) => LINK.test(a) && a.startsWith('✅'))).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('🔁 Already submitted by'))).toHaveLength(1);
    expect((await rows(`SELECT task_id FROM tracked_tasks WHERE origin = 'click'`)).length - submitsBefore).toBe(1);
  });

  it('a push sent to the instance that does not own the task reaches the owner, which re-reads it', async () => {
    const guildId = guildOf(1);
    const owner = instanceFor(guildId);
    const other = instances.find((i) => i !== owner)!;
    // No notifyHook: only the push this test sends tells the bot anything.
    const taskId = h.mj.createTask({ prompt: 'pushed elsewhere', timeline: { queuedMs: 100, runMs: 60_000 } });
    const sent = h.discord.slashCommand({
      name: 'mjtask',
      guildId,
      channelId: channelOf(guildId),
      options: { id: taskId },
    });
    await h.discord.waitFor(() => answerOf(sent.id), 8_000, 'the /mjtask reply');
    // The reply comes first; the follow's row right after it.
    const owned = await h.discord.waitFor(
      async () => (await rows('SELECT lease_owner FROM tracked_tasks WHERE task_id = $1', [taskId]))[0],
      5_000,
      'the task followed',
    );
    expect(owned).toEqual({ lease_owner: owner.name });
    const progress = (await rows('SELECT message_id FROM tracked_tasks WHERE task_id = $1', [taskId]))[0]!.message_id!;
    const before = h.discord.message(channelOf(guildId), progress)?.content;
    h.mj.clock.advance(20_000); // running now, at a new percentage nobody has told the bot about
    const push = await h.mj.pushRaw(`http://127.0.0.1:${other.port}/notify/${SECRET}`, {
      id: taskId,
      status: 'IN_PROGRESS',
    });
    expect(push.status).toBe(200);
    await other.process.waitForLog(
      (l) => l.event === 'notify.push' && l.taskId === taskId && l.result === 'relayed',
      5_000,
      'the push relayed',
    );
    await h.discord.waitFor(
      () => {
        const now = h.discord.message(channelOf(guildId), progress)?.content;
        return now !== before && /\((?:[1-9]\d?)%\)/.test(now ?? '');
      },
      8_000,
      'the progress message showing the re-read state',
    );
  });

  it('50 tasks from clicks, one instance killed mid-way: the survivor finishes its tasks, each result posted once', async () => {
    const started: Array<{ taskId: string; channelId: string; progressId: string; shard: number }> = [];
    for (const shard of [0, 1]) {
      const guildId = guildOf(shard);
      // One click per channel: each posts its task there and marks its button used, under the channel's
      // budget of 5 requests per 5 s.
      const sources = await Promise.all(Array.from({ length: 25 }, () => shownTask(guildId)));
      const buttons = sources.flatMap((s) => s.buttons.slice(0, 1).map((customId) => ({ s, customId }))).slice(0, 25);
      const tasks = await Promise.all(buttons.map(({ s, customId }) => clickToStart(s, customId, guildId)));
      started.push(...tasks.map((t) => ({ ...t, shard })));
    }
    expect(new Set(started.map((t) => t.taskId)).size).toBe(50);
    const health = await Promise.all(instances.map(healthOf));
    const active = await rows(`SELECT lease_owner, COUNT(*) AS n FROM tracked_tasks WHERE phase = 'active' GROUP BY 1`);
    for (const [n, instance] of instances.entries())
      expect(health[n]!.tracker.leased).toBe(Number(active.find((r) => r.lease_owner === instance.name)?.n ?? 0));
    // Discord's global limit (45/s) divided between the two instances alive.
    expect(health.map((s) => s.discordShare)).toEqual([22, 22]);
    // And the API key's limit (MJ_MAX_REQUESTS_PER_SECOND, the harness's 1000) too.
    expect(health.map((s) => s.mjShare)).toEqual([500, 500]);
    // Each task is owned by the instance whose shard took its click.
    const owners = await rows(`SELECT task_id, lease_owner FROM tracked_tasks WHERE task_id = ANY($1::text[])`, [
      started.map((t) => t.taskId),
    ]);
    for (const t of started)
      expect(owners.find((r) => r.task_id === t.taskId)?.lease_owner, t.taskId).toBe(`bot-${t.shard}`);

    h.mj.clock.advance(4_000); // every task running; the pushes reach their owners
    const [survivor, victim] = [instances[0]!, instances[1]!];
    // And one paid submit out when the victim dies: the API takes it, the victim never hears back.
    let answer!: () => void;
    h.mj.fault('imagine', { kind: 'held', until: new Promise<void>((resolve) => (answer = resolve)) }, 1);
    // Taken once the clock below has moved on: finished as soon as it is there (its pushes go to the victim).
    h.mj.nextTask({ timeline: { queuedMs: 0, runMs: 0 } });
    const imagines = h.mj.countRequests('imagine');
    h.discord.slashCommand({
      name: 'imagine',
      guildId: guildOf(victim.shard),
      channelId: channelOf(guildOf(victim.shard)),
      options: { prompt: 'a fox nobody heard of' },
    });
    await h.discord.waitFor(() => h.mj.countRequests('imagine') > imagines, 8_000, 'the held submit at the API');
    victim.process.kill('SIGKILL');
    await victim.process.exited;
    answer();
    h.mj.clock.advance(120_000); // every task finished: the victim's pushes find no one
    // Looked for once the survivor counts the victim out, not once its own answer could no longer come
    // (the click's time + MJ_TIMEOUT_MS 2 s + 5 s): found in the API's latest tasks and followed.
    const found = await survivor.process.waitForLog((l) => l.event === 'submit.recovered', 8_000, 'the lost submit');
    const [click] = await rows(`SELECT at, made_by FROM clicks WHERE id = $1`, [found.clickId]);
    expect(click?.made_by).toBe(victim.name);
    expect(Number(found.time) - Number(click?.at)).toBeLessThan(7_000);
    await h.discord.waitFor(() => resultPostsOf(String(found.taskId)).length > 0, 3 * LEASE_TTL_MS, 'its result');
    expect(resultPostsOf(String(found.taskId))).toHaveLength(1);
    for (const t of started)
      await h.discord.waitFor(
        () => resultPostsOf(t.taskId).length > 0 && h.discord.message(t.channelId, t.progressId) === undefined,
        3 * LEASE_TTL_MS,
        `the result of ${t.taskId}, and its progress message deleted`,
      );
    await survivor.process.waitForLog((l) => l.event === 'tracker.tasks_taken_over', 5_000, 'the takeover log line');
    // Taken over once the registry counted the victim out (1 s of silence), not when its leases ran out.
    await survivor.process.waitForLog(
      (l) => l.event === 'cluster.instances_gone' && String(l.instanceIds) === victim.name,
      5_000,
      'the survivor counting the victim out',
    );
    // The killed instance's part of the global limit is the survivor's now (its row fell silent).
    await survivor.process.waitForLog(
      (l) => l.event === 'discord.share_changed' && l.to === 45,
      5_000,
      'the survivor taking the whole global limit',
    );
    await survivor.process.waitForLog(
      (l) => l.event === 'mj.share_changed' && l.to === 1000,
      5_000,
      'the survivor taking the whole API limit',
    );
    expect(await healthOf(survivor)).toMatchObject({ discordShare: 45, mjShare: 1000 });

    for (const t of started) {
      const posts = resultPostsOf(t.taskId);
      expect(posts, `result POSTs of ${t.taskId}`).toHaveLength(1);
      const shown = h.discord.messages(t.channelId).filter((m) => taskIdOf(m) === t.taskId && !m.interaction_metadata);
      expect(
        shown.map((m) => m.id),
        `messages of ${t.taskId}`,
      ).toEqual([(posts[0]!.responseBody as { id: string }).id]);
    }
    const done = await rows(`SELECT task_id, phase, lease_owner FROM tracked_tasks WHERE task_id = ANY($1::text[])`, [
      started.map((t) => t.taskId),
    ]);
    expect(done.every((r) => r.phase === 'done' && r.lease_owner === survivor.name)).toBe(true);
    expect(done).toHaveLength(50);
    // /healthz counts what the survivor holds: nothing is left running.
    const left = await rows(`SELECT task_id FROM tracked_tasks WHERE phase = 'active'`);
    await h.discord.waitFor(
      async () => (await healthOf(survivor)).tracker.leased === left.length,
      5_000,
      '/healthz to count the leases left',
    );
  }, 60_000);
});
