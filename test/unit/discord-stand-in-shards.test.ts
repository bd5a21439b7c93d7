// The Discord stand-in's sharding, as Discord documents it: IDENTIFY names [shard, count], a wrong
// pair is closed 4010 and an unsharded connection to a sharded bot 4011, READY lists only the
// shard's guilds, and each guild's events travel on its own shard.
import { once } from 'node:events';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordStandIn, type DiscordStandIn } from '../support/discord/index.js';
import { defaultGuildSpec } from '../support/discord/world.js';

const SECOND_GUILD = '1180000000004194404'; // shard 0 of 2; the default guild is on shard 1

interface Frame {
  op: number;
  t?: string;
  d?: { shard?: unknown; guilds?: Array<{ id: string }>; id?: string };
}

/** Opens a raw gateway connection and identifies with `shard` (omitted when undefined). */
async function identify(standIn: DiscordStandIn, shard?: [number, number]) {
  const ws = new WebSocket(`${standIn.gatewayUrl}/?v=10&encoding=json`);
  const frames: Frame[] = [];
  ws.on('message', (raw) => frames.push(JSON.parse(String(raw)) as Frame));
  await once(ws, 'open');
  ws.send(
    JSON.stringify({ op: 2, d: { token: standIn.token, intents: 1, properties: {}, ...(shard ? { shard } : {}) } }),
  );
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  return { ws, frames, closed };
}

describe('Discord stand-in shards', () => {
  let standIn: DiscordStandIn;
  beforeAll(async () => {
    standIn = await createDiscordStandIn({
      shards: 2,
      guilds: [defaultGuildSpec(), { id: SECOND_GUILD, channels: [{ id: '1180000000004194500', name: 'art' }] }],
    });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('recommends its shard count on /gateway/bot', async () => {
    const answer = await fetch(`${standIn.apiBase}/v10/gateway/bot`, {
      headers: { Authorization: `Bot ${standIn.token}` },
    });
    expect(await answer.json()).toMatchObject({ shards: 2, session_start_limit: { max_concurrency: 16 } });
  });

  it.each([
    ['a shard beyond the count', [2, 2] as [number, number], 4010],
    ['a count other than the bot’s', [0, 3] as [number, number], 4011],
    ['no shard at all', undefined, 4011],
  ])('closes %s', async (_what, shard, code) => {
    const { closed } = await identify(standIn, shard);
    expect(await closed).toBe(code);
  });

  it('gives each shard READY with its own guilds and routes each guild’s events to its shard', async () => {
    const zero = await identify(standIn, [0, 2]);
    const one = await identify(standIn, [1, 2]);
    await standIn.waitFor(() => standIn.shardStatus().every((s) => s.connected), 2000, 'both shards');
    await standIn.waitFor(
      () => [zero, one].every((s) => s.frames.some((f) => f.t === 'GUILD_CREATE')),
      2000,
      'READY and GUILD_CREATE on both',
    );
    const readyOf = (frames: Frame[]) => frames.find((f) => f.t === 'READY')!.d!;
    expect(readyOf(zero.frames)).toMatchObject({ shard: [0, 2], guilds: [{ id: SECOND_GUILD }] });
    expect(readyOf(one.frames)).toMatchObject({ shard: [1, 2], guilds: [{ id: standIn.defaults.guildId }] });
    const guildCreates = (frames: Frame[]) => frames.filter((f) => f.t === 'GUILD_CREATE').map((f) => f.d!.id);
    expect(guildCreates(zero.frames)).toEqual([SECOND_GUILD]);
    expect(guildCreates(one.frames)).toEqual([standIn.defaults.guildId]);

    standIn.addChannel({ name: 'new-in-default' });
    standIn.addChannel({ name: 'new-in-second', guildId: SECOND_GUILD });
    await standIn.waitFor(
      () => [zero, one].every((s) => s.frames.some((f) => f.t === 'CHANNEL_CREATE')),
      2000,
      'a channel event on each shard',
    );
    const channelEvents = (frames: Frame[]) =>
      frames.filter((f) => f.t === 'CHANNEL_CREATE').map((f) => (f.d as { guild_id?: string }).guild_id);
    expect(channelEvents(zero.frames)).toEqual([SECOND_GUILD]);
    expect(channelEvents(one.frames)).toEqual([standIn.defaults.guildId]);

    standIn.disconnectClient({ shard: 0 });
    await zero.closed;
    expect(standIn.shardStatus().map((s) => s.connected)).toEqual([false, true]);
    one.ws.close();
    await one.closed;
  });
});
