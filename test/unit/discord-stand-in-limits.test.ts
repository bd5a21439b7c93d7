// The Discord stand-in's global limit (discord-api-docs developers/topics/rate-limits.mdx, "Global
// Rate Limit"): every bot-token route counts, over any window; the interaction endpoints do not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordStandIn, type DiscordStandIn } from '../support/discord/index.js';

describe('Discord stand-in: the global limit', () => {
  let discord: DiscordStandIn;
  beforeAll(async () => {
    discord = await createDiscordStandIn({ globalLimit: { limit: 5, windowMs: 60_000 } });
  });
  afterAll(async () => {
    await discord.close();
  });

  it('answers a global 429 past the limit on bot-token routes, and never on interaction routes', async () => {
    const bot = { authorization: `Bot ${discord.token}` };
    const channel = `${discord.apiBase}/v10/channels/${discord.defaults.channelId}`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(channel, { headers: bot })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(3);
    expect(refused[0]?.headers.get('x-ratelimit-global')).toBe('true');
    expect(refused[0]?.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await refused[0]?.json()).toMatchObject({ global: true, message: 'You are being rate limited.' });
    expect(discord.countGlobal429()).toBe(3);
    expect(discord.count429()).toBe(3);

    // An interaction callback carries no bot token and is not bound to the global limit: it gets its own answer.
    const callback = await fetch(`${discord.apiBase}/v10/interactions/1234567890123456789/nope/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 5 }),
    });
    expect(callback.status).toBe(404);
    expect(((await callback.json()) as { code: number }).code).toBe(10062);
    expect(discord.count429()).toBe(3);
  });
});
