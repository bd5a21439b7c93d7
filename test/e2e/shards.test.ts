// Sharding: a bot in two servers that Discord has put on two shards. Unset, one process runs every
// shard Discord recommends; with SHARD_COUNT / SHARD_IDS two processes split them, each answering the
// interactions of its own shard, and /healthz says which instance runs which shard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllBots, spawnBot, type BotProcess } from '../support/bot-process.js';
import { defaultGuildSpec } from '../support/discord/world.js';
import type { GuildSpec } from '../support/discord/index.js';
import { freePort, startHarness, type Harness } from '../support/harness.js';

// Discord puts a guild on shard (id >> 22) % count: with two shards these two land apart.
const OTHER_GUILD: GuildSpec = {
  id: '1180000000004194404',
  name: 'Second server',
  channels: [{ id: '1180000000004194500', name: 'art' }],
  members: [{ user: { id: '1180000000000000300', username: 'tester', global_name: 'Tester' } }],
};

async function healthOf(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

/** Polls /healthz until it answers `status` (every 50 ms, up to 10 s). */
async function healthUntil(port: number, status: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const now = await healthOf(port);
    if (now.status === status || Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Asks /mjtask for a task the API does not know: any answer shows which instance took it. */
async function askIn(h: Harness, guildId: string, channelId: string) {
  const sent = h.discord.slashCommand({ name: 'mjtask', guildId, channelId, options: { id: '1234567890123456' } });
  return h.discord.waitForResponse(sent.id, 8_000).then((view) => ({ id: sent.id, view }));
}

describe('one process, every shard', () => {
  let h: Harness;
  let healthPort: number;
  beforeAll(async () => {
    healthPort = await freePort();
    h = await startHarness({
      discord: { shards: 2, guilds: [defaultGuildSpec(), OTHER_GUILD] },
      // Commands go global: a guild-scoped registration would only exist in one of the two.
      env: { DISCORD_GUILD_ID: '', HEALTH_PORT: String(healthPort), INSTANCE_ID: 'solo' },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('connects both shards Discord recommends and answers in both servers', async () => {
    expect(h.discord.shardOf(h.discord.defaults.guildId)).not.toBe(h.discord.shardOf(OTHER_GUILD.id));
    expect(h.discord.shardStatus().map((s) => s.connected)).toEqual([true, true]);
    const identifies = h.discord.gatewayLog.filter((e) => e.direction === 'received' && e.op === 2);
    expect(identifies.map((e) => e.shard).sort()).toEqual([0, 1]);
    await askIn(h, h.discord.defaults.guildId, h.discord.defaults.channelId);
    await askIn(h, OTHER_GUILD.id, OTHER_GUILD.channels[0]!.id);
  });

  it('reports both shards on /healthz (HEALTH_PORT), and 503 while one is away', async () => {
    const healthy = await healthOf(healthPort);
    expect(healthy.status).toBe(200);
    expect(healthy.body).toMatchObject({
      status: 'ok',
      instance: 'solo',
      shards: [
        { id: 0, status: 'ready' },
        { id: 1, status: 'ready' },
      ],
      database: { ok: true, backend: 'sqlite' },
    });
    // Only health here: without a webhook secret there is no push path to find.
    expect((await fetch(`http://127.0.0.1:${healthPort}/notify/anything`, { method: 'POST' })).status).toBe(404);

    // A shard whose session Discord dropped is unhealthy until discord.js has it back.
    h.discord.disconnectClient({ shard: 1, resumable: false });
    const away = await healthUntil(healthPort, 503);
    expect(away.status).toBe(503);
    expect(away.body).toMatchObject({ status: 'unhealthy', problems: [expect.stringMatching(/^shard 1 is /)] });
    await h.discord.waitFor(() => h.discord.shardStatus()[1]!.connected, 10_000, 'shard 1 back');
    await h.discord.waitFor(async () => (await healthOf(healthPort)).status === 200, 5_000, '/healthz healthy again');
    await askIn(h, h.discord.defaults.guildId, h.discord.defaults.channelId);
  });
});

describe('two processes, one shard each (SHARD_COUNT=2, SHARD_IDS)', () => {
  let h: Harness;
  const bots: Array<{ process: BotProcess; healthPort: number }> = [];
  beforeAll(async () => {
    h = await startHarness({
      startBot: false,
      discord: { shards: 2, guilds: [defaultGuildSpec(), OTHER_GUILD] },
      env: { DISCORD_GUILD_ID: '' },
    });
  });
  afterAll(async () => {
    await killAllBots();
    await h?.close();
  });

  it('each connects only its shard and answers the interactions that shard carries', async () => {
    for (const shard of [0, 1]) {
      const healthPort = await freePort();
      const process = spawnBot({
        ...h.env,
        SHARD_COUNT: '2',
        SHARD_IDS: String(shard),
        INSTANCE_ID: `bot-${shard}`,
        HEALTH_PORT: String(healthPort),
        // Each its own file: sharing tracked tasks between instances needs PostgreSQL, not this test.
        DATABASE_PATH: `${h.env.DATABASE_PATH}.${shard}`,
      });
      bots.push({ process, healthPort });
    }
    await Promise.all(bots.map((b) => b.process.ready(20_000)));
    expect(h.discord.shardStatus().map((s) => s.connected)).toEqual([true, true]);
    for (const [shard, bot] of bots.entries()) {
      expect(bot.process.logs().find((l) => l.event === 'bot.ready')).toMatchObject({
        instance: `bot-${shard}`,
        shards: [shard],
      });
      expect((await healthOf(bot.healthPort)).body).toMatchObject({
        instance: `bot-${shard}`,
        shards: [{ id: shard }],
      });
    }

    const asked = [
      await askIn(h, h.discord.defaults.guildId, h.discord.defaults.channelId),
      await askIn(h, OTHER_GUILD.id, OTHER_GUILD.channels[0]!.id),
    ];
    // Exactly the instance that runs the guild's shard took each interaction (its log line may
    // trail the answer through the pipe: wait for it, then check the other never saw it).
    for (const [i, guildId] of [h.discord.defaults.guildId, OTHER_GUILD.id].entries()) {
      const shard = h.discord.shardOf(guildId);
      const logged = await bots[shard]!.process.waitForLog(
        (l) => l.event === 'interaction' && l.interactionId === asked[i]!.id,
        5_000,
        `instance ${shard} logging the interaction`,
      );
      expect(logged).toMatchObject({ guildId, shard });
      expect(bots[1 - shard]!.process.logs().some((l) => l.interactionId === asked[i]!.id)).toBe(false);
    }
  });

  it('when one instance dies, the other keeps answering on its own shard', async () => {
    const victim = bots[h.discord.shardOf(OTHER_GUILD.id)]!;
    victim.process.kill('SIGKILL');
    await victim.process.exited;
    await h.discord.waitFor(
      () => !h.discord.shardStatus()[h.discord.shardOf(OTHER_GUILD.id)]!.connected,
      5_000,
      'the shard to go quiet',
    );
    const survivor = bots[h.discord.shardOf(h.discord.defaults.guildId)]!;
    await askIn(h, h.discord.defaults.guildId, h.discord.defaults.channelId);
    expect((await healthOf(survivor.healthPort)).status).toBe(200);
  });
});
