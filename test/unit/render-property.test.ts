// Whatever task JSON the API sends, the renderer answers with a message Discord accepts: it never
// throws, nothing the API wrote reads as the requester's mention, and no secret survives (with the
// redaction the bot wires in).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MjTaskSchema } from '../../src/mj/schema.js';
import { heldTask } from '../../src/mj/task.js';
import { createRedactor } from '../../src/redact.js';
import { renderTask, type TaskMessagePayload } from '../../src/render/task-message.js';
import { validateMessagePayload } from '../support/discord-limits.js';

/** User mentions Discord would read in the content: `<@id>` not preceded by a backslash. */
function readableMentions(payload: { content?: string | null }): string[] {
  return [...(payload.content ?? '').matchAll(/(?<!\\)<@!?(\d{17,20})>/g)].map((m) => m[1]!);
}

const REQUESTER = '123456789012345678';
const SECRET = 'whsec_Zq8.Xv-93kLmNoPqRsTuVw0123';
const redact = createRedactor([SECRET]).text;

/** Built once: generating megabytes per run would make the property slow, not stronger. */
const HUGE = [
  'x'.repeat(130_000),
  '<@987654321098765432> '.repeat(7_000),
  '🎉👍🏽🇯🇵'.repeat(20_000),
  '\\*_`|'.repeat(40_000),
  `${'a'.repeat(3_990)}${SECRET}${'b'.repeat(3_000)}`,
];
const HOSTILE = [
  '<@987654321098765432>',
  '<@!987654321098765432>',
  '<@&987654321098765432>',
  '@everyone',
  '@here',
  '[Verify your account](https://evil.example/login)',
  '[x](<https://evil.example>)',
  '\\',
  '\ud800',
  '\udc00x',
  '\u200d',
  '\u0000\u0007\r\n\t',
  '**bold** __u__ ~~s~~ ||spoiler|| `code` # heading > quote',
  SECRET,
  encodeURIComponent(`https://bot.example/notify/${SECRET}`),
  [...SECRET].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
];

const textArb = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  {
    weight: 3,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'grapheme', maxLength: 8 })), { maxLength: 6 })
      .map((parts) => parts.join(' ')),
  },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1000, maxLength: 5000 }) },
);
const valueArb = fc.oneof(textArb, fc.integer(), fc.constant(null), fc.constant(undefined), fc.double());

const buttonArb = fc.record(
  {
    customId: fc.oneof(
      fc.constantFrom('MJ::JOB::upsample::1::u', 'MJ::JOB::variation::2::u', 'MJ::CustomZoom::u', 'MJ::Inpaint::1::u'),
      fc.string({ maxLength: 130 }).map((s) => `MJ::JOB::${s}`),
      textArb,
    ),
    label: valueArb,
    emoji: fc.oneof(fc.constantFrom('🔄', 'upscale_1', '1️⃣', ':x:', '', 'ὐ4'), textArb),
    style: fc.oneof(fc.integer({ min: -2, max: 9 }), valueArb),
    type: valueArb,
  },
  { requiredKeys: [] },
);

const taskArb = fc.record(
  {
    id: fc.oneof(fc.constantFrom('1730621826053455', 'abc_123'), textArb, fc.integer()),
    action: fc.oneof(fc.constantFrom('IMAGINE', 'UPSCALE', 'MODAL', 'CUSTOM_ZOOM', 'INPAINT', ''), textArb),
    status: fc.oneof(
      fc.constantFrom('', 'NOT_START', 'SUBMITTED', 'IN_PROGRESS', 'MODAL', 'SUCCESS', 'FAILURE', 'CANCEL'),
      textArb,
    ),
    progress: fc.oneof(fc.constantFrom('', '0%', '46%', '100%', '999%'), valueArb),
    prompt: valueArb,
    promptEn: valueArb,
    description: valueArb,
    failReason: valueArb,
    imageUrl: fc.oneof(
      fc.constantFrom('https://cdn.example/a.png', `https://cdn.example/${SECRET}.png`, 'javascript:x', ''),
      fc.webUrl(),
      valueArb,
    ),
    submitTime: fc.oneof(fc.integer(), fc.double(), valueArb),
    finishTime: fc.oneof(fc.integer(), valueArb),
    buttons: fc.oneof(fc.array(buttonArb, { maxLength: 40 }), valueArb),
    properties: fc.oneof(fc.record({ finalPrompt: valueArb }), valueArb),
  },
  { requiredKeys: ['id'] },
);

const optionsArb = fc.record(
  {
    requesterId: fc.oneof(fc.constant(REQUESTER), fc.string({ maxLength: 30 })),
    note: textArb,
    disableButtons: fc.boolean(),
    timedOut: fc.boolean(),
    imageAttachmentName: fc.oneof(fc.constant('image.png'), fc.string({ maxLength: 120 })),
    usedCustomIds: fc.array(fc.string({ maxLength: 30 }), { maxLength: 3 }).map((ids) => new Set(ids)),
  },
  { requiredKeys: [] },
);

/** Every string of the payload with markdown backslashes dropped, as a reader would see it. */
function shownText(payload: TaskMessagePayload): string {
  return JSON.stringify(payload, (_key, value: unknown) =>
    typeof value === 'string' ? value.replace(/\\/g, '') : value,
  );
}

describe('renderTask on arbitrary task JSON', () => {
  it('never throws, and always gives a payload Discord accepts that mentions no one but the requester', () => {
    fc.assert(
      fc.property(taskArb, optionsArb, (json, opts) => {
        const task = MjTaskSchema.parse(json);
        for (const redacted of [false, true]) {
          const payload = renderTask(task, redacted ? { ...opts, redact } : opts);
          expect(validateMessagePayload(payload)).toEqual([]);
          const requester = opts.requesterId === REQUESTER ? REQUESTER : null;
          expect(readableMentions(payload)).toEqual(requester === null ? [] : [requester]);
          expect(payload.allowed_mentions).toEqual({ parse: [], users: requester === null ? [] : [REQUESTER] });
          if (redacted) expect(shownText(payload)).not.toContain(SECRET.slice(0, 8));
        }
      }),
      { numRuns: 250, seed: 20261201 },
    );
  });
});

/** Properties a server may send: the ones the renderer reads, beside whatever else. */
const propertiesArb = fc.record(
  {
    finalPrompt: valueArb,
    action_index: fc.oneof(fc.integer({ min: 0, max: 5 }), valueArb),
    index: fc.oneof(fc.integer({ min: 0, max: 5 }), valueArb),
    remix_u_custom_id: fc.oneof(fc.constantFrom('MJ::JOB::upsample::3::u', ''), textArb),
    customId: fc.oneof(fc.constantFrom('MJ::JOB::upsample::2::u', 'MJ::JOB::variation::4::u'), textArb),
    messageContent: textArb,
    nonce: textArb,
  },
  { requiredKeys: [] },
);

describe('a task as the tracker holds it between polls (heldTask)', () => {
  it('renders exactly as the task the API served, whatever state it follows', () => {
    // As JSON brings it: what JSON cannot carry (Infinity, undefined) is gone.
    const servedArb = fc
      .tuple(taskArb, propertiesArb)
      .map(([json, properties]) => JSON.parse(JSON.stringify({ ...json, properties })) as Record<string, unknown>);
    fc.assert(
      fc.property(servedArb, servedArb, fc.boolean(), optionsArb, (beforeJson, json, sameAsBefore, opts) => {
        const before = MjTaskSchema.parse(beforeJson);
        // A repeat of the state before (fresh strings, as each poll's JSON gives) or another state.
        const served = MjTaskSchema.parse(sameAsBefore ? structuredClone(beforeJson) : json);
        const held = heldTask(served, heldTask(before, null));
        for (const redacted of [false, true]) {
          const o = redacted ? { ...opts, redact } : opts;
          expect(renderTask(held, o)).toEqual(renderTask(served, o));
        }
      }),
      { numRuns: 200, seed: 20261207 },
    );
  });

  it('keeps one copy of the text a repeated state brings again, and none of the properties nothing reads', () => {
    const json = {
      id: '1730621826053455',
      status: 'IN_PROGRESS',
      progress: '46%',
      prompt: 'a cat',
      promptEn: 'a cat',
      description: '/imagine a cat',
      state: 'mjtask-bot:1:2:c3',
      properties: { finalPrompt: 'a cat', messageContent: '**a cat** - <@1> (46%) (fast)', nonce: '123' },
    };
    const first = heldTask(MjTaskSchema.parse(json), null);
    const again = heldTask(MjTaskSchema.parse(JSON.parse(JSON.stringify({ ...json, progress: '62%' }))), first);
    expect(again.properties).toEqual({ finalPrompt: 'a cat' });
    expect(again.progress).toBe('62%');
    // Equal strings are the state before's objects: V8 keeps one copy of each.
    expect(Object.is(again.prompt, first.prompt) && Object.is(again.description, first.description)).toBe(true);
    // The signed state is read from a fresh fetch (submit/may-spend.ts), never from a followed task.
    expect(again.state).toBe('');
    // Lists a running task does not have are one shared list, not two per poll.
    expect(Object.is(again.buttons, first.buttons) && Object.is(again.videoUrls, first.videoUrls)).toBe(true);
  });
});
