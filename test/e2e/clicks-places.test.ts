// Where the bot works and who is paused, end to end: servers outside ALLOWED_GUILD_IDS and direct
// messages get a short private refusal and no API request; commands are registered for servers only;
// a member whose prompts the API refused as banned BANNED_PROMPT_LIMIT times in the window is paused
// (told why and until when) and allowed again once the window has rolled on (the bot's clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagineDefinition } from '../../src/discord/commands/definitions.js';
import type { Harness } from '../support/harness.js';
import { defaultGuildSpec } from '../support/discord/world.js';
import { createOffsetClock, GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { answerOf } from './support-clicks.js';

const OTHER_GUILD = '1180000000000009000';
const OTHER_CHANNEL = '1180000000000009001';
const VISITOR = '1180000000000009100';

describe('ALLOWED_GUILD_IDS and direct messages', () => {
  let h: Harness;

  beforeAll(async () => {
    const other = {
      id: OTHER_GUILD,
      name: 'Another server',
      ownerId: VISITOR,
      channels: [{ id: OTHER_CHANNEL, name: 'general' }],
      members: [{ user: { id: VISITOR, username: 'visitor', global_name: null }, roles: [] }],
    };
    const home = defaultGuildSpec();
    // DISCORD_GUILD_ID empty: commands are global, so the other server has them too.
    h = await startTrackingHarness({
      discord: { guilds: [home, other] },
      env: { DISCORD_GUILD_ID: '', ALLOWED_GUILD_IDS: home.id },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('registers every command for server contexts only', () => {
    const registered = h.discord.commands();
    expect(registered.map((c) => c.name).sort()).toEqual([
      'blend',
      'describe',
      'imagine',
      'mjsettings',
      'mjtask',
      'mjupdates',
      'mjusage',
      'shorten',
    ]);
    for (const command of registered) expect(command.contexts, command.name).toEqual([0]);
    expect(() => h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a cat' }, dm: true })).toThrow(
      /servers only/,
    );
  });

  it('refuses /imagine and /mjtask in a server not listed, privately and without any API request', async () => {
    const since = h.mj.requests.length;
    for (const [name, options] of [
      ['imagine', { prompt: 'a visitor’s cat' }],
      ['mjtask', { id: '1730621826053455' }],
    ] as const) {
      const interaction = h.discord.slashCommand({
        name,
        options,
        user: VISITOR,
        guildId: OTHER_GUILD,
        channelId: OTHER_CHANNEL,
      });
      const answer = await answerOf(h, interaction.id);
      expect(answer.ephemeral).toBe(true);
      expect(answer.text).toBe('🚫 This bot is not set up to work in this server. Nothing was submitted.');
    }
    expect(h.mj.requests.slice(since)).toEqual([]);
  });

  it('refuses a direct message (a command registered by an older version) without any API request', async () => {
    h.discord.registerCommands([{ ...imagineDefinition, contexts: [0, 1] }]);
    const since = h.mj.requests.length;
    const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a cat in a DM' }, dm: true });
    const answer = await answerOf(h, interaction.id);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/^🚫 This bot only works in servers, not in direct messages\./);
    expect(h.mj.requests.slice(since)).toEqual([]);
  });

  it('still works in the listed server', async () => {
    const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a cat at home' } });
    expect((await answerOf(h, interaction.id)).text).toMatch(/^✅ \/imagine submitted/);
  });
});

describe('banned prompts pause a member', () => {
  let h: Harness;
  const clock = createOffsetClock();
  const imagine = async (prompt: string, user?: string) =>
    answerOf(
      h,
      h.discord.slashCommand({ name: 'imagine', options: { prompt }, ...(user !== undefined ? { user } : {}) }).id,
    );

  beforeAll(async () => {
    h = await startTrackingHarness({
      mj: { bannedWords: ['forbidden'] },
      clock,
      env: { ...GUARDS_OFF, BANNED_PROMPT_LIMIT: '3', BANNED_PROMPT_WINDOW_HOURS: '24' },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('after 3 banned prompts in 24 h the member is paused, told until when; others are not', async () => {
    // The clock runs on in real time: the first ban is recorded somewhere between these two moments.
    const firstSent = clock.now();
    let firstAnswered = firstSent;
    for (let i = 0; i < 3; i++) {
      expect((await imagine(`forbidden thing ${i}`)).text).toMatch(/banned/i);
      if (i === 0) firstAnswered = clock.now();
      clock.advance(60_000);
    }
    const since = h.mj.requests.length;
    const paused = await imagine('a harmless cat');
    expect(paused.ephemeral).toBe(true);
    // Paused until the first ban is 24 h old, shown in whole seconds.
    const until = Number(/<t:(\d+):f>/.exec(paused.text)?.[1]);
    expect(until).toBeGreaterThanOrEqual(Math.ceil((firstSent + 24 * 3_600_000) / 1000));
    expect(until).toBeLessThanOrEqual(Math.ceil((firstAnswered + 24 * 3_600_000) / 1000));
    expect(paused.text).toBe(
      `⏸️ The API refused 3 prompts of yours as banned recently, so your submits are paused until <t:${until}:f> (<t:${until}:R>). Nothing was submitted. Too many banned prompts can get the bot's shared Midjourney account blocked.`,
    );
    expect(h.mj.requests.slice(since)).toEqual([]);
    const other = h.discord.addMember({ username: 'other-member' }).id;
    expect((await imagine('a harmless dog', other)).text).toMatch(/^✅ \/imagine submitted/);
  });

  it('is allowed again once the window has rolled on', async () => {
    clock.advance(24 * 3_600_000);
    expect((await imagine('a harmless cat, later')).text).toMatch(/^✅ \/imagine submitted/);
  });
});
