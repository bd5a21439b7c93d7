// renderTask on the real fixtures and in each state, and reading a task id back from a message. Hostile
// tasks and the property loop: render-task-hostile.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MjTaskListSchema, MjTaskSchema, type MjTask } from '../../src/mj/schema.js';
import { renderTask, STATUS_COLORS, type TaskMessagePayload } from '../../src/render/task-message.js';
import { statusText } from '../../src/render/task-content.js';
import { promptFromMessage, readTaskIdFromMessage } from '../../src/render/task-message-codec.js';
import { validateMessagePayload } from '../support/discord-limits.js';
import { customIds, REQUESTER, task } from './render-task-world.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'mj');

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
