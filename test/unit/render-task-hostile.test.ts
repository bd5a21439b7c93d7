// renderTask on hostile tasks (prompts, buttons, failReasons built to break a message) and a seeded
// property loop over arbitrary tasks: every payload within Discord's limits, its task id readable.
// The fixtures and each state: render-task-message.test.ts.
import { ButtonStyle } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { resolveButtonCustomId, shortButtonKey } from '../../src/mj/custom-id.js';
import { MjTaskSchema } from '../../src/mj/schema.js';
import { renderTask } from '../../src/render/task-message.js';
import { readTaskIdFromMessage } from '../../src/render/task-message-codec.js';
import { validateMessagePayload } from '../support/discord-limits.js';
import { seededRandom } from '../support/seeded-random.js';
import { customIds, REQUESTER, task } from './render-task-world.js';

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
