// API text is shown as plain text: markdown escaped, no masked links, no mentions, in every field,
// and a secret is redacted before any cut. Hostile tasks, one concern each.
import { describe, expect, it } from 'vitest';
import { promptFromMessage, unescapeEmbedPrompt } from '../../src/render/task-message-codec.js';
import { MjTaskSchema, type MjTask } from '../../src/mj/schema.js';
import { createRedactor, REDACTED } from '../../src/redact.js';
import { renderTask, type TaskMessagePayload } from '../../src/render/task-message.js';
import { validateMessagePayload } from '../support/discord-limits.js';

/** User mentions Discord would read in the content: `<@id>` not preceded by a backslash. */
function readableMentions(payload: { content?: string | null }): string[] {
  return [...(payload.content ?? '').matchAll(/(?<!\\)<@!?(\d{17,20})>/g)].map((m) => m[1]!);
}

const REQUESTER = '123456789012345678';
const OTHER = '987654321098765432';
const SECRET = 'whsec_Zq8Xv93kLmNoPqRsTuVw0123';

const task = (over: Record<string, unknown> = {}): MjTask =>
  MjTaskSchema.parse({ id: '1730621826053455', action: 'IMAGINE', status: 'FAILURE', prompt: 'cat', ...over });

/** Every text Discord would render with markdown: content, title, description, field values. */
function markdownTexts(p: TaskMessagePayload): string[] {
  const embed = p.embeds[0];
  return [p.content, embed?.title ?? '', embed?.description ?? '', ...(embed?.fields ?? []).map((f) => f.value)];
}

const MASKED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\(/;
const LOUD_MENTION = /(?<!\\)@(?:everyone|here)|(?<!\\)<[@#]/;

describe('API text as plain text', () => {
  it('shows a masked link in failReason, prompt, action and note as text, not a link', () => {
    const link = '[Verify your account](https://evil.example/login)';
    const payload = renderTask(task({ failReason: link, prompt: `see ${link}`, action: link }), { note: link });
    for (const text of markdownTexts(payload)) expect(text).not.toMatch(MASKED_LINK);
    const reason = payload.embeds[0]!.fields!.find((f) => f.name === 'Reason')!.value;
    expect(reason).toBe('\\[Verify your account\\](<https://evil.example/login)>');
    expect(validateMessagePayload(payload)).toEqual([]);
  });

  it('leaves every mention inert, in every field', () => {
    const loud = `<@${OTHER}> <@!${OTHER}> <@&${OTHER}> <#${OTHER}> @everyone @here`;
    const payload = renderTask(task({ failReason: loud, prompt: loud, action: loud, status: loud }), {
      note: loud,
      requesterId: REQUESTER,
    });
    const [content, ...rest] = markdownTexts(payload);
    for (const text of rest) expect(text).not.toMatch(LOUD_MENTION);
    // The content keeps exactly one readable mention: the requester's, written by the bot.
    expect(content!.replace(`<@${REQUESTER}>`, '')).not.toMatch(LOUD_MENTION);
    expect(readableMentions(payload)).toEqual([REQUESTER]);
    expect(payload.allowed_mentions).toEqual({ parse: [], users: [REQUESTER] });
  });

  it('an empty prompt with a mention as the action is not read as the requester (M4)', () => {
    const payload = renderTask(task({ prompt: '', action: `<@${OTHER}>`, status: 'SUCCESS' }), {
      requesterId: REQUESTER,
    });
    expect(payload.content).toBe(`**\\<@${OTHER}\\>** - <@${REQUESTER}>\n-# Task 1730621826053455`);
    expect(readableMentions(payload)).toEqual([REQUESTER]);
    expect(readableMentions(renderTask(task({ prompt: '', action: `<@${OTHER}>` })))).toEqual([]);
  });

  it('escapes markdown in the action shown for an empty prompt and shows no id line for an id that is not one', () => {
    const payload = renderTask(task({ prompt: '', action: '**LOUD**_[x](https://e.x)', id: `<@${OTHER}> @everyone` }));
    expect(payload.content).toBe('**\\*\\*loud\\*\\* \\[x\\](<https://e.x)>** - (Failed)');
    expect(payload.content).not.toMatch(/<@|(?<!\\)@everyone/);
  });

  it('reads an escaped @everyone back exactly, so a prefilled form keeps the prompt', () => {
    const prompt = 'hi @everyone and @here, \\@x a@b.c';
    const payload = renderTask(task({ prompt }));
    expect(payload.content.split('\n')[0]).toBe('**hi \\@everyone and \\@here, \\\\@x a@b.c** - (Failed)');
    expect(unescapeEmbedPrompt('hi \\@everyone and \\@here, \\\\@x a@b.c')).toBe(prompt);
    expect(promptFromMessage(payload)).toBe(prompt);
  });
});

describe('a renderer that never throws (M3)', () => {
  it('renders a prompt of 130k characters, cut to what Discord accepts', () => {
    const payload = renderTask(task({ prompt: 'a <b> '.repeat(22_000), failReason: '*'.repeat(200_000) }));
    expect(validateMessagePayload(payload)).toEqual([]);
    expect(payload.content.split('\n')[0]!.endsWith('…** - (Failed)')).toBe(true);
    expect(payload.content.length).toBeLessThanOrEqual(2000);
  });
});

describe('redaction before the cut', () => {
  const redact = createRedactor([SECRET]).text;

  it('redacts a secret in failReason, prompt, action, note, labels and image URL', () => {
    const payload = renderTask(
      task({
        failReason: `bad hook https://bot.example/notify/${SECRET}`,
        prompt: encodeURIComponent(SECRET),
        action: SECRET,
        status: 'SUCCESS',
        imageUrl: `https://cdn.example/${SECRET}.png`,
        buttons: [{ customId: 'MJ::JOB::upsample::1::u', label: SECRET }],
      }),
      { note: `${SECRET.slice(0, 20)}…`, redact },
    );
    expect(JSON.stringify(payload)).not.toContain(SECRET.slice(0, 8));
    expect(JSON.stringify(payload)).toContain(REDACTED);
  });

  it('a secret the cut would leave only a few characters of is gone too', () => {
    // Cut at 1024: without redaction first, "whsec" would be left before the ellipsis.
    const failReason = `${'a'.repeat(1018)}${SECRET}`;
    const shown = (opts = {}) =>
      renderTask(task({ failReason }), opts).embeds[0]!.fields!.find((f) => f.name === 'Reason')!.value;
    expect(shown()).toContain('whsec');
    expect(shown({ redact })).not.toContain('whs');
    expect(shown({ redact }).endsWith('…')).toBe(true);
  });
});
