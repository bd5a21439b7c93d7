// /mjtask end to end: the real bot, a local Discord and a local Midjourney API.
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessagePayload } from '../support/discord-limits.js';
import { startHarness, type Harness } from '../support/harness.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/mj');
const taskFixtures = readdirSync(FIXTURES)
  .filter((f) => f.startsWith('fetch-') || f.startsWith('notify-'))
  .map((file) => ({
    file,
    json: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, unknown> & { id: string },
  }));

let h: Harness;

/** Runs /mjtask and returns the interaction's answer once the bot has finished with it. */
async function runMjtask(
  id: string,
  until: (v: Awaited<ReturnType<Harness['discord']['waitForResponse']>>) => boolean,
) {
  const sentAt = Date.now();
  const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id } });
  let view = await h.discord.waitForResponse(interaction.id, 5000);
  const deadline = Date.now() + 5000;
  while (!until(view) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
    view = h.discord.interactionResponses(interaction.id);
  }
  expect(until(view), `the bot's answer to /mjtask ${id}`).toBe(true);
  // Discord's rule is 3 s; the bot acknowledges before any network call, so it is far below.
  expect(view.callbackAt! - sentAt).toBeLessThan(1000);
  return view;
}

/** The public task message: its content ends with the `-# Task <id>` line. */
const shown = (v: { original: { content: string } | null }) => /\n-# Task \S+$/.test(v.original?.content ?? '');
const privateAnswer = (v: {
  followUps: { flags: number }[];
  callbackType: number | null;
  callbackData: { flags?: number } | null;
}) =>
  v.followUps.some((m) => (m.flags & MessageFlags.Ephemeral) !== 0) ||
  (v.callbackType === InteractionResponseType.ChannelMessageWithSource &&
    ((v.callbackData?.flags ?? 0) & MessageFlags.Ephemeral) !== 0);
function privateText(v: {
  followUps: { flags: number; content: string }[];
  callbackData: { content?: string } | null;
}): string {
  return v.followUps.find((m) => (m.flags & MessageFlags.Ephemeral) !== 0)?.content ?? v.callbackData?.content ?? '';
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('/mjtask', () => {
  it('registers its commands in the guild at start with one bulk overwrite', () => {
    const names = h.discord.commands(h.discord.defaults.guildId).map((c) => c.name);
    expect(names).toContain('mjtask');
    expect(h.discord.requestsTo('PUT', /\/applications\/\d+\/guilds\/\d+\/commands$/)).toHaveLength(1);
  });

  it.each(taskFixtures)(
    'shows $file with its image, status and the MJ buttons as Discord buttons',
    async ({ json }) => {
      // Fixtures share ids; each test serves its own copy under a fresh id.
      const id = h.mj.addRawTask({ ...json, id: String(1_800_000_000_000_000 + Math.floor(Math.random() * 1e9)) });
      const view = await runMjtask(id, shown);
      expect(view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource); // deferred at once
      const message = view.original!;
      expect(validateMessagePayload(message)).toEqual([]);
      // The id on one small last line, where clicks read it back after a restart.
      expect(message.content.split('\n').at(-1)).toBe(`-# Task ${id}`);
      const customIds = message.components
        .flatMap((row) => (row.components as { custom_id?: string }[]).map((b) => b.custom_id))
        .filter(Boolean);
      const expected = ((json.buttons as { customId: string }[] | undefined) ?? []).map((b) => b.customId);
      expect(customIds).toEqual(expected);
      if (typeof json.imageUrl === 'string') expect(JSON.stringify(message.embeds[0])).toContain('"image"');
    },
  );

  it('shows a running task with its progress', async () => {
    const id = h.mj.createTask({ prompt: 'a lighthouse at dusk --ar 3:2' });
    h.mj.clock.advance(2_000 + 6_000); // queued 2 s, then a few progress steps
    const view = await runMjtask(id, shown);
    expect(view.original!.content).toMatch(/^\*\*a lighthouse at dusk --ar 3:2\*\* - <@\d+> \(\d+%\)/);
    // The preview shows while it runs.
    expect(JSON.stringify(view.original!.embeds[0]?.image)).toMatch(/https?:/);
  });

  it.each(['empty200', '204', '404', '400'] as const)(
    'answers privately when the id is unknown (%s)',
    async (shape) => {
      h.mj.fault('fetch', { kind: 'unknownId', shape }, 1);
      const view = await runMjtask('1234567890123456', privateAnswer);
      expect(privateText(view)).toMatch(/No task `1234567890123456` was found/);
      expect(view.original).toBeNull(); // the public "thinking…" placeholder is gone
    },
  );

  it('rejects an invalid id at once, without calling the API', async () => {
    const before = h.mj.requests.length;
    const view = await runMjtask('../../admin', privateAnswer);
    expect(view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(privateText(view)).toMatch(/not a valid task ID/);
    // The watched running task above is still polled in the background: only /mjtask's own fetch counts.
    expect(h.mj.requests.slice(before).filter((r) => r.route === 'fetch')).toEqual([]);
  });

  it.each([
    ['a 500', { kind: 'status', status: 500 }, /^💥 The Midjourney API gave an unusable answer: [^.]*\bHTTP 500\b/],
    ['an HTML error page', { kind: 'html', status: 502 }, /HTTP 502/],
    [
      'malformed JSON',
      { kind: 'malformed' },
      /^💥 The Midjourney API gave an unusable answer: malformed JSON \(HTTP 200\)\. Try again in a minute\.$/,
    ],
    ['a timeout', { kind: 'slow', delayMs: 3_000 }, /did not answer within 2 seconds/],
  ] as const)('explains %s privately and keeps serving', async (_name, fault, expected) => {
    h.mj.fault('fetch', fault, 1);
    const view = await runMjtask('1730621826053455', privateAnswer);
    expect(privateText(view)).toMatch(expected);
    // The bot still answers the next command normally.
    const ok = h.mj.createTask({ prompt: 'after a failure' });
    const next = await runMjtask(ok, shown);
    expect(next.original!.content).toMatch(/^\*\*after a failure\*\* - <@\d+> \(Waiting to start\)\n-# Task \d+$/);
  });

  it('never shows the API key or the bot token, in replies or logs', () => {
    const everything = JSON.stringify(h.discord.requests) + h.logLines().join('\n');
    expect(everything).not.toContain(h.mj.apiKey);
    expect(h.logLines().join('\n')).not.toContain(h.discord.token);
  });
});

describe('/mjtask with a wrong API key', () => {
  let wrong: Harness;
  beforeAll(async () => {
    wrong = await startHarness({ env: { MJ_API_KEY: 'sk-wrong-key-0000000' } });
  });
  afterAll(async () => {
    await wrong?.close();
  });

  it('tells the member an admin must fix the key', async () => {
    const id = wrong.mj.createTask({ prompt: 'x' });
    const interaction = wrong.discord.slashCommand({ name: 'mjtask', options: { id } });
    await wrong.discord.waitForResponse(interaction.id, 5000);
    await expect.poll(() => wrong.discord.interactionResponses(interaction.id).followUps.length).toBe(1);
    expect(wrong.discord.interactionResponses(interaction.id).followUps[0]!.content).toMatch(
      /rejected the bot's API key/,
    );
    expect(wrong.logLines().join('\n')).not.toContain('sk-wrong-key-0000000');
  });
});
