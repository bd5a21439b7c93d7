// /mjtask end to end: the real bot, a local Discord and a local Midjourney API.
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateMessagePayload } from '../support/discord-limits.js';
import { startHarness, type Harness } from '../support/harness.js';
import { createdAt } from './support-clicks.js';

const FLAG_LOADING = 128;

const FIXTURES = join(import.meta.dirname, '../fixtures/mj');
const taskFixtures = readdirSync(FIXTURES)
  .filter((f) => f.startsWith('fetch-') || f.startsWith('notify-'))
  .map((file) => ({
    file,
    json: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, unknown> & { id: string },
  }));

let h: Harness;

type View = ReturnType<Harness['discord']['interactionResponses']>;
type Message = NonNullable<View['original']>;
const isPrivate = (m: { flags: number }) => (m.flags & MessageFlags.Ephemeral) !== 0;

/** Runs /mjtask on `on` and returns the interaction's answer once `until` holds for it. */
async function runMjtask(id: string, until: (v: View) => boolean, on: Harness = h) {
  const interaction = on.discord.slashCommand({ name: 'mjtask', options: { id } });
  await on.discord.waitForResponse(interaction.id, 5000);
  const view = await on.discord.waitFor(
    () => {
      const v = on.discord.interactionResponses(interaction.id);
      return until(v) ? v : null;
    },
    5000,
    `the bot's answer to /mjtask ${id}`,
  );
  // Discord's rule is 3 s: the bot waits for the API at most MJTASK_ANSWER_BUDGET_MS (2 s) first.
  expect(view.callbackAt! - createdAt(interaction.id)).toBeLessThan(3000);
  // Whatever the answer, no public "thinking…" was ever shown: a deferral is private.
  for (const r of on.discord.requestsTo('POST', new RegExp(`^/interactions/${interaction.id}/`)))
    if ((r.body as { type?: number }).type === InteractionResponseType.DeferredChannelMessageWithSource)
      expect((r.body as { data?: { flags?: number } }).data?.flags).toBe(MessageFlags.Ephemeral);
  return view;
}

/** The public task message of an answer: the reply itself, or (after a private wait) its follow-up. */
function publicTask(v: View): Message | undefined {
  return [v.original, ...v.followUps].find(
    (m): m is Message => m !== null && !isPrivate(m) && /\n-# Task \S+$/.test(m.content),
  );
}
const shown = (v: View) => publicTask(v) !== undefined;

/** The private answer once final (not "thinking…"), and that nothing public was said. */
function privateText(v: View): string | null {
  const m = v.original;
  if (!m || !isPrivate(m) || (m.flags & FLAG_LOADING) !== 0) return null;
  return v.followUps.length === 0 ? m.content : null;
}
const privateAnswer = (v: View) => privateText(v) !== null;

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
      // The API answered within the budget: the task is the reply itself, no "thinking…" before it.
      expect(view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
      const message = view.original!;
      expect(publicTask(view)).toBe(message);
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
    expect(view.original!.content).toMatch(/^\*\*a lighthouse at dusk --ar 3:2\*\* - <@\d+> \(\d+%\)\n-# Task \d+$/);
    // The preview shows while it runs.
    expect(JSON.stringify(view.original!.embeds[0]?.image)).toMatch(/https?:/);
  });

  it.each(['empty200', '204', '404', '400'] as const)(
    'answers privately when the id is unknown (%s)',
    async (shape) => {
      h.mj.fault('fetch', { kind: 'unknownId', shape }, 1);
      const view = await runMjtask('1234567890123456', privateAnswer);
      // One private sentence, as the first answer: nothing public, no "thinking…" at all.
      expect(view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(privateText(view)).toMatch(/^🔍 No task `1234567890123456` was found\./);
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
    expect(publicTask(next)!.content).toMatch(/^\*\*after a failure\*\* - <@\d+> \(Waiting to start\)\n-# Task \d+$/);
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
    const view = await runMjtask(id, privateAnswer, wrong);
    expect(privateText(view)).toMatch(/rejected the bot's API key/);
    expect(wrong.logLines().join('\n')).not.toContain('sk-wrong-key-0000000');
  });
});

describe('/mjtask when the API is slower than MJTASK_ANSWER_BUDGET_MS', () => {
  let slow: Harness;
  beforeAll(async () => {
    slow = await startHarness({ env: { MJTASK_ANSWER_BUDGET_MS: '100' } });
  });
  afterAll(async () => {
    await slow?.close();
  });

  it('thinks privately, then posts the task publicly and removes the private note; the task is followed', async () => {
    const id = slow.mj.createTask({ prompt: 'a slow lighthouse' });
    slow.mj.fault(id, { kind: 'slow', delayMs: 600 }, 1);
    const view = await runMjtask(id, (v) => shown(v) && v.original === null, slow);
    expect(view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const task = publicTask(view)!;
    expect(task.content).toMatch(/^\*\*a slow lighthouse\*\* - <@\d+> \(Waiting to start\)\n-# Task \d+$/);
    // The private "thinking…" said where the task is before the task was posted, then went away.
    const note = slow.discord.requestsTo('PATCH', /\/messages\/@original$/).at(-1)?.body as { content?: string };
    expect(note.content).toBe(`🔎 Task \`${id}\` is posted below.`);
    // The follow-up is the message the tracker edits as the task runs.
    slow.mj.clock.advance(2_000 + 6_000);
    await slow.discord.waitFor(
      () => /\(\d+%\)/.test(slow.discord.message(task.channel_id, task.id)?.content ?? ''),
      5000,
      'the follow-up edited with progress',
    );
  });

  it('a slow error is said privately in place of the private "thinking…"', async () => {
    slow.mj.fault('fetch', { kind: 'slow', delayMs: 400 }, 1);
    slow.mj.fault('fetch', { kind: 'unknownId', shape: '404' }, 1);
    const view = await runMjtask('1234567890123457', privateAnswer, slow);
    expect(view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(privateText(view)).toMatch(/^🔍 No task `1234567890123457` was found\./);
  });
});
