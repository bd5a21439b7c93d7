import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ButtonStyle } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { resolveButtonCustomId, shortButtonKey } from '../../src/mj/custom-id.js';
import { MjTaskListSchema, MjTaskSchema, type MjTask } from '../../src/mj/schema.js';
import { renderTask, STATUS_COLORS, type TaskMessagePayload } from '../../src/render/task-message.js';
import { statusText } from '../../src/render/task-content.js';
import { promptFromMessage, readTaskIdFromMessage } from '../../src/render/task-message-codec.js';
import { validateMessagePayload } from '../support/discord-limits.js';
import { seededRandom } from '../support/seeded-random.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mj');
const REQUESTER = '123456789012345678';

/** Every task object in the fixtures: fetch responses, list-by-condition arrays, notify payloads. */
function fixtureTasks(): Array<[string, MjTask]> {
  const out: Array<[string, MjTask]> = [];
  for (const file of readdirSync(FIXTURES)
    .filter((f) => /^(fetch|list|notify)-.*\.json$/.test(f))
    .sort()) {
    const json: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
    if (Array.isArray(json)) MjTaskListSchema.parse(json).forEach((t, i) => out.push([`${file}[${i}]`, t]));
    else out.push([file, MjTaskSchema.parse(json)]);
  }
  return out;
}

const task = (over: Record<string, unknown> = {}): MjTask =>
  MjTaskSchema.parse({
    id: '1730621826053455',
    action: 'IMAGINE',
    status: 'SUCCESS',
    progress: '100%',
    prompt: 'pig --v 6.1',
    ...over,
  });
const customIds = (p: TaskMessagePayload) =>
  p.components.flatMap((r) => r.components).flatMap((c) => ('custom_id' in c ? [c.custom_id] : []));
const fieldValue = (p: TaskMessagePayload, name: string) => p.embeds[0]?.fields?.find((f) => f.name === name)?.value;
const ID_LINE = '\n-# Task 1730621826053455';

describe('renderTask on the fixtures', () => {
  const tasks = fixtureTasks();

  it('has fixtures to render', () => {
    expect(tasks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(tasks)('%s renders a valid message with every customId verbatim', (_, t) => {
    const payload = renderTask(t, { requesterId: REQUESTER });
    expect(validateMessagePayload(payload)).toEqual([]);
    expect(customIds(payload)).toEqual(t.buttons.map((x) => x.customId));
    expect(readTaskIdFromMessage(payload)).toBe(t.id);
    expect(payload.allowed_mentions).toEqual({ parse: [], users: [REQUESTER] });
    expect(payload.content).toContain(`<@${REQUESTER}>`);
    // A finished task shows no state, like Midjourney; its id is the last, small line.
    expect(payload.content).not.toContain('(Done)');
    expect(payload.content.split('\n').at(-1)).toMatch(/^-# Task \S+$/);
    expect(payload.embeds[0]?.title).toBeUndefined();
    expect(payload.embeds[0]?.footer).toBeUndefined();
    expect(payload.embeds[0]?.color).toBe(STATUS_COLORS.success);
    expect(payload.embeds[0]?.image?.url).toBe(new URL(t.imageUrl!).href);
    expect(payload.components.at(-1)?.components.at(-1)).toMatchObject({ style: 5, label: 'Open image' });
  });

  it('renders the seed example like Midjourney', () => {
    const seed = tasks.find(([name]) => name === 'fetch-imagine-success-seed-example.json')![1];
    const payload = renderTask(seed, { requesterId: REQUESTER });
    expect(payload.content).toBe(`**pig --v 6.1** - <@${REQUESTER}>${ID_LINE}`);
    // The prompt and the state are said once, in the content line: the embed only shows the image.
    expect(payload.embeds).toEqual([{ color: STATUS_COLORS.success, image: { url: seed.imageUrl } }]);
    expect(promptFromMessage(payload)).toBe('pig --v 6.1');
    // U1–U4 🔄 | V1–V4 and the link beside them, not on a row of its own.
    expect(payload.components.map((r) => r.components.length)).toEqual([5, 5]);
  });

  it('uses promptEn when the prompt is empty and wraps URLs so they do not unfurl', () => {
    const dmx = tasks.find(([name]) => name.startsWith('fetch-imagine-success-dmxapi'))![1];
    const payload = renderTask({ ...dmx, prompt: '' });
    expect(payload.content).toMatch(/^\*\*<http:\/\/upload\.mjdjourney\.top\/\S+\.png> This is a video screenshot/);
  });
});

describe('renderTask states', () => {
  it.each([
    ['', 'Waiting to start', STATUS_COLORS.waiting],
    ['NOT_START', 'Waiting to start', STATUS_COLORS.waiting],
    ['SUBMITTED', 'Waiting to start', STATUS_COLORS.waiting],
    ['IN_PROGRESS', 'Running (46%)', STATUS_COLORS.running],
    ['MODAL', 'Waiting for your input', STATUS_COLORS.modal],
    ['SUCCESS', 'Done', STATUS_COLORS.success],
    ['FAILURE', 'Failed', STATUS_COLORS.failure],
    ['CANCEL', 'Cancelled', STATUS_COLORS.cancelled],
    ['WEIRD_NEW', 'WEIRD_NEW', STATUS_COLORS.running],
  ])('status %j → %s', (status, text, color) => {
    const t = task({ status, progress: '46%', imageUrl: 'https://x.y/a.png' });
    expect(statusText(t)).toBe(text);
    const payload = renderTask(t);
    expect(payload.embeds[0]?.color).toBe(color);
    // The state is said once, in the content line (Midjourney's "(46%)"; none once done). Markdown
    // escapes (WEIRD\\_NEW) are invisible once Discord renders it.
    const shown = status === 'SUCCESS' ? '' : status === 'IN_PROGRESS' ? ' (46%)' : ` (${text})`;
    expect(payload.content.replace(/\\(.)/g, '$1')).toBe(
      `**pig --v 6.1**${shown === '' ? '' : ' -'}${shown}${ID_LINE}`,
    );
    expect(JSON.stringify(payload.embeds)).not.toContain(text);
    expect(validateMessagePayload(payload)).toEqual([]);
  });

  it('shows progress like Midjourney while running', () => {
    const payload = renderTask(
      task({
        status: 'IN_PROGRESS',
        progress: '31%',
        imageUrl: 'https://cdn.discordapp.com/ephemeral-attachments/1/2/x_step_3.jpeg',
        buttons: [],
      }),
      { requesterId: REQUESTER },
    );
    expect(payload.content).toBe(`**pig --v 6.1** - <@${REQUESTER}> (31%)${ID_LINE}`);
    expect(payload.embeds[0]?.fields).toBeUndefined();
    expect(payload.embeds[0]?.image?.url).toContain('ephemeral-attachments');
    // No link to a short-lived preview.
    expect(payload.components).toEqual([]);
  });

  it('shows a task the bot gave up on as timed out, without the stale progress', () => {
    const payload = renderTask(task({ status: 'IN_PROGRESS', progress: '15%', buttons: [] }), {
      requesterId: REQUESTER,
      timedOut: true,
      note: 'Timed out: the task did not finish within 60 min.',
    });
    expect(payload.content).toBe(`**pig --v 6.1** - <@${REQUESTER}> (Timed out)${ID_LINE}`);
    expect(JSON.stringify(payload)).not.toContain('15%');
    expect(payload.embeds[0]?.color).toBe(STATUS_COLORS.cancelled);
    expect(fieldValue(payload, 'Note')).toBe('Timed out: the task did not finish within 60 min.');
    expect(validateMessagePayload(payload)).toEqual([]);
  });

  it('never shows 100% on a failure and shows the reason verbatim, truncated', () => {
    const reason = '上游任务超时（超过1小时）'.repeat(200);
    const payload = renderTask(task({ status: 'FAILURE', progress: '100%', failReason: reason, buttons: [] }));
    expect(validateMessagePayload(payload)).toEqual([]);
    expect(JSON.stringify(payload)).not.toContain('100%');
    const shown = fieldValue(payload, 'Reason')!;
    expect(shown.length).toBeLessThanOrEqual(1024);
    expect(shown.endsWith('…')).toBe(true);
    expect(reason.startsWith(shown.slice(0, -1))).toBe(true);
    expect(fieldValue(renderTask(task({ status: 'FAILURE', failReason: '' })), 'Reason')).toBe('No reason was given.');
  });

  it('handles options: attachment image, note, no requester', () => {
    const t = task({ imageUrl: 'https://x.y/a.png', buttons: [{ customId: 'MJ::JOB::upsample::1::u', label: 'U1' }] });
    const payload = renderTask(t, {
      imageAttachmentName: 'task-1.png',
      note: 'Position in queue: 2',
    });
    // Attached: Discord shows the file itself, full size, so the embed does not show it again.
    expect(payload.embeds[0]?.image).toBeUndefined();
    expect(fieldValue(payload, 'Note')).toBe('Position in queue: 2');
    expect(payload.content).toBe(`**pig --v 6.1**${ID_LINE}`);
    expect(payload.allowed_mentions).toEqual({ parse: [], users: [] });
    // A name that would break attachment:// falls back to the URL; a bogus requester is not mentioned.
    const other = renderTask(t, { imageAttachmentName: '../x y.png', requesterId: '<@everyone>' });
    expect(other.embeds[0]?.image?.url).toBe('https://x.y/a.png');
    expect(other.allowed_mentions.users).toEqual([]);
    expect(other.content).not.toContain('<@');
  });
});

describe('renderTask on hostile tasks', () => {
  it('survives a 10,000-character prompt full of markdown, emoji and URLs', () => {
    const prompt = '**bold** _x_ `code` ||spoiler|| <@1> @everyone # 😀👨‍👩‍👧‍👦 https://e.x/a_b.png 猫 \n'
      .repeat(200)
      .slice(0, 10_000);
    const payload = renderTask(task({ prompt }), { requesterId: REQUESTER, note: 'n'.repeat(5000) });
    expect(validateMessagePayload(payload)).toEqual([]);
    expect(payload.content.length).toBeLessThanOrEqual(2000);
    const bold = /^\*\*(.+…)\*\* - <@123456789012345678>\n-# Task 1730621826053455$/s.exec(payload.content);
    // Every markdown character of the prompt is escaped, so the bold span cannot be broken open.
    expect(bold?.[1]).toMatch(/\\\*\\\*bold/);
    expect(bold?.[1]?.replace(/<https?:\/\/[^\s<>]+>/g, '')).not.toMatch(/(?<!\\)[*_`|]/);
    expect(bold?.[1]).not.toContain('\n');
    expect(payload.embeds[0]?.description).toBeUndefined();
    expect(payload.allowed_mentions.parse).toEqual([]);
  });

  it('keeps every embed part within the 6000 total when all of them are long', () => {
    const payload = renderTask(
      task({
        status: 'FAILURE',
        action: 'DESCRIBE',
        prompt: 'p'.repeat(10_000),
        failReason: '失败'.repeat(2000),
        submitTime: 1,
        finishTime: 2,
      }),
      { note: 'n'.repeat(3000) },
    );
    expect(validateMessagePayload(payload)).toEqual([]);
    const e = payload.embeds[0]!;
    const total =
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.footer?.text.length ?? 0) +
      (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(total).toBeGreaterThan(5900);
  });

  it('survives 30 buttons with every kind of junk', () => {
    const long = `MJ::JOB::upsample_v9_long_${'x'.repeat(100)}::1::u`;
    const buttons = [
      ...Array.from({ length: 24 }, (_, i) => ({
        customId: `MJ::JOB::variation::${i}::u`,
        label: '',
        emoji: ['upscale_1', ':heart:', 'ὐ4', '🇯🇵', '👨‍👩‍👧‍👦', ''][i % 6],
        style: i,
      })),
      { customId: 'MJ::JOB::variation::0::u', label: 'dup' },
      { customId: '', label: 'no id' },
      { customId: long, label: 'L'.repeat(300), style: 7 },
      { label: 'missing id' },
      { customId: 'MJ::BOOKMARK::u', emoji: '❤️' },
      null,
    ];
    const payload = renderTask(task({ buttons, imageUrl: 'https://x.y/a.png' }));
    expect(validateMessagePayload(payload)).toEqual([]);
    expect(payload.components).toHaveLength(5);
    expect(new Set(customIds(payload)).size).toBe(customIds(payload).length);
  });

  it('keys a 150-character customId resolvably', () => {
    const long = 'MJ::JOB::' + 'z'.repeat(141);
    expect(long).toHaveLength(150);
    const t = task({ buttons: [{ customId: long, label: 'Long' }] });
    const payload = renderTask(t);
    expect(customIds(payload)).toEqual([shortButtonKey(long)]);
    expect(resolveButtonCustomId(customIds(payload)[0]!, t)).toBe(long);
  });

  it('survives missing fields, an empty status and a javascript: image', () => {
    const bare = MjTaskSchema.parse({ id: 'abc_123' });
    const payload = renderTask(bare);
    expect(validateMessagePayload(payload)).toEqual([]);
    expect(payload.embeds).toEqual([]);
    expect(payload.content).toBe('**Midjourney task** - (Waiting to start)\n-# Task abc\\_123');
    expect(readTaskIdFromMessage(payload)).toBe('abc_123');

    const evil = renderTask(task({ imageUrl: 'javascript:alert(1)', status: 'SUCCESS' }));
    expect(evil.embeds[0]?.image).toBeUndefined();
    expect(JSON.stringify(evil)).not.toContain('javascript:');
  });
});

describe('readTaskIdFromMessage', () => {
  it('reads the -# Task line of the content, unescaping the id', () => {
    expect(readTaskIdFromMessage({ content: '**a** - <@1>\n-# Task 1730621826053455' })).toBe('1730621826053455');
    expect(readTaskIdFromMessage({ content: '**a**\n-# Task a-b\\_c', embeds: [] })).toBe('a-b_c');
    // The line wins over an old footer; a malformed line falls back to it.
    const both = { content: '**a**\n-# Task 1', embeds: [{ footer: { text: 'Task 2' } }] };
    expect(readTaskIdFromMessage(both)).toBe('1');
    expect(readTaskIdFromMessage({ ...both, content: '**a**\n-# Task a/b' })).toBe('2');
    for (const content of ['', '-# Task ', '-# task 1', '# Task 1', `-# Task ${'1'.repeat(65)}`, 'Task 1'])
      expect(readTaskIdFromMessage({ content })).toBeNull();
  });

  it('reads the footer of messages posted by older versions and refuses anything else', () => {
    expect(readTaskIdFromMessage({ embeds: [{ footer: { text: 'Task 1730621826053455' } }] })).toBe('1730621826053455');
    expect(readTaskIdFromMessage({ embeds: [{ footer: null }, { footer: { text: 'Task a-b_c' } }] })).toBe('a-b_c');
    for (const bad of [
      {},
      { embeds: null },
      { embeds: [] },
      { embeds: [{}] },
      { embeds: [{ footer: { text: null } }] },
      { embeds: [{ footer: { text: 'Task ' } }] },
      { embeds: [{ footer: { text: 'Task a/b' } }] },
      { embeds: [{ footer: { text: 'task 1' } }] },
      { embeds: [{ footer: { text: `Task ${'1'.repeat(65)}` } }] },
    ]) {
      expect(readTaskIdFromMessage(bad as Parameters<typeof readTaskIdFromMessage>[0])).toBeNull();
    }
  });
});

describe('renderTask property loop', () => {
  const random = seededRandom(20261101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const int = (max: number) => Math.floor(random() * max);
  const ALPHABET = [
    'a',
    'Z',
    ' ',
    '\n',
    '*',
    '_',
    '`',
    '|',
    '<',
    '>',
    '#',
    '@',
    '\\',
    '猫',
    '😀',
    '👨‍👩‍👧‍👦',
    '🇯🇵',
    '\u200d',
    '\ufe0f',
    'https://e.x/p_q.png ',
    '--ar 16:9 ',
    '\ud83d',
  ];
  const text = (max: number) => Array.from({ length: int(max) }, () => pick(ALPHABET)).join('');
  const PATTERNS = [
    'MJ::JOB::upsample::N::U',
    'MJ::JOB::variation::N::U',
    'MJ::JOB::reroll::0::U::SOLO',
    'MJ::JOB::upsample_v6r1_2x_creative::1::U::SOLO',
    'MJ::Inpaint::1::U::SOLO',
    'MJ::Outpaint::50::1::U::SOLO',
    'MJ::CustomZoom::U',
    'MJ::JOB::pan_left::1::U::SOLO',
    'MJ::BOOKMARK::U',
    'MJ::Job::PicReader::N',
    'MJ::Picread::Retry',
    'weird-id-N',
    'MJ::JOB::' + 'y'.repeat(120) + 'N',
  ];
  const EMOJI = ['', '🔄', 'upscale_1', ':x:', 'ὐ4', '1️⃣', '🖌️', '🇺🇳', 'text', '👍🏽', '\u200d'];
  const STATUSES = ['', 'NOT_START', 'SUBMITTED', 'IN_PROGRESS', 'MODAL', 'SUCCESS', 'FAILURE', 'CANCEL', 'ODD'];
  const URLS = [
    null,
    'https://cdn.discordapp.com/a/b/c.png?ex=1',
    'http://x.y/z.webp',
    'javascript:alert(1)',
    'data:image/png;base64,AAA',
    'https://x.y/' + 'a'.repeat(600),
    'https://x.y/' + 'b'.repeat(3000),
    'not a url',
  ];

  it('renders 400 random tasks into valid messages', () => {
    for (let n = 0; n < 400; n++) {
      const uuid = `${n.toString(16).padStart(8, '0')}-4f70-4034-9128-f3ff1ac634fa`;
      const buttons = Array.from({ length: int(35) }, () => ({
        customId: pick(PATTERNS)
          .replace('N', String(int(6)))
          .replace('U', uuid),
        label: random() < 0.5 ? '' : text(120),
        emoji: pick(EMOJI),
        style: int(10) - 1,
        type: 2,
      }));
      const t = MjTaskSchema.parse({
        id: random() < 0.9 ? String(1_700_000_000_000_000 + n) : `id with spaces ${n}`,
        action: pick(['IMAGINE', 'UPSCALE', '', 'SOMETHING_NEW', 'x'.repeat(300)]),
        status: pick(STATUSES),
        progress: pick(['', '0%', '46%', '100%', 'abc']),
        prompt: random() < 0.2 ? '' : text(random() < 0.1 ? 12_000 : 200),
        promptEn: text(50),
        failReason: text(random() < 0.2 ? 3000 : 50),
        imageUrl: pick(URLS),
        submitTime: random() < 0.5 ? null : 1_700_000_000_000 + n,
        finishTime: random() < 0.5 ? 0 : 1_700_000_100_000 + n,
        buttons,
      });
      const payload = renderTask(t, {
        requesterId: random() < 0.7 ? REQUESTER : undefined,
        note: random() < 0.3 ? text(2000) : undefined,
        imageAttachmentName: random() < 0.2 ? 'img.png' : undefined,
      });
      const problems = validateMessagePayload(payload);
      expect(problems, `task #${n}`).toEqual([]);
      if (/^\d+$/.test(t.id)) expect(readTaskIdFromMessage(payload)).toBe(t.id);

      // Every distinct button that fits is shown, each resolvable back to its MJ customId.
      const distinct = [...new Set(t.buttons.map((x) => x.customId).filter((c) => c !== ''))];
      // The bot's own "Edit prompt & submit" button (MODAL tasks) is not one of the task's MJ buttons.
      const shown = customIds(payload).filter((id) => !id.startsWith('mjedit:'));
      const capacity = payload.components.some((r) => r.components.some((c) => c.style === ButtonStyle.Link)) ? 20 : 25;
      if (distinct.length <= capacity) expect(shown).toHaveLength(distinct.length);
      for (const id of shown) expect(distinct).toContain(resolveButtonCustomId(id, t) ?? id);
    }
  });
});
