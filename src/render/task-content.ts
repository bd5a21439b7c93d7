// The content line of a task message, as Midjourney's own bot writes it:
// `**prompt** - Image #2 <@member> (46%) (fast)` and, last, a small `-# Task <id>` subtext line that
// carries the task id (readTaskIdFromMessage reads it back). Pure.
import { ENGLISH, LANGUAGES, type Translate } from '../i18n/index.js';
import type { MjTask } from '../mj/schema.js';
import { progressPercent } from '../mj/task.js';
import { parseMjCustomId } from '../mj/custom-id.js';
import { isTextResult } from '../mj/text-results.js';
import { escapeAndFit } from './task-message-codec.js';
import { EMBED_TITLE_MAX, MESSAGE_CONTENT_MAX, oneLine, truncate } from './limits.js';

/** Longest prompt echoed in the content line (Midjourney shows it whole; Discord caps content at 2000). */
export const CONTENT_PROMPT_MAX = 1800;

/** What a member reads for the task's state. */
export function statusText(task: Pick<MjTask, 'status' | 'progress'>, t: Translate = ENGLISH): string {
  switch (task.status) {
    case '':
    case 'NOT_START':
    case 'SUBMITTED':
      return t('task.waiting');
    case 'IN_PROGRESS':
      return t('task.running', { percent: progressPercent(task) });
    case 'MODAL':
      return t('task.modal');
    case 'SUCCESS':
      return t('task.done');
    case 'FAILURE':
      return t('task.failed');
    case 'CANCEL':
      return t('task.cancelled');
    default:
      return truncate(oneLine(task.status), 64);
  }
}

/** The state in brackets, only where Midjourney shows one: a finished task shows none. */
function stateTag(task: MjTask, timedOut: boolean, t: Translate): string | null {
  if (timedOut) return t('task.timed_out');
  if (task.status === 'SUCCESS') return null;
  if (task.status === 'IN_PROGRESS') return `${progressPercent(task)}%`;
  return statusText(task, t);
}

const MODE_KEYS = { FAST: 'task.mode_fast', RELAX: 'task.mode_relax', TURBO: 'task.mode_turbo' } as const;

/** Midjourney's speed as the member's language names it; a mode the bot does not know, as sent. */
export function modeName(mode: string, t: Translate): string {
  const key = Object.hasOwn(MODE_KEYS, mode) ? MODE_KEYS[mode as keyof typeof MODE_KEYS] : null;
  return key !== null ? t(key) : mode.toLowerCase();
}

function modeTag(task: MjTask, t: Translate): string | null {
  return task.mode === null ? null : modeName(task.mode, t);
}

/** 1–4 from a number or a digit string, else null. */
function gridIndex(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 4 ? n : null;
}

/**
 * Which image of the grid an upscale shows (U1–U4 → "Image #N"): the index the server kept (the fork's
 * properties.action_index, trueai-org src/Midjourney.API/Controllers/SubmitController.cs L520-575;
 * else an `index`), else the one in the customId of the button that started it, else "U2" in its
 * description.
 */
export function upscaleIndex(task: MjTask): number | null {
  if (!/^UPSCALE/i.test(task.action.trim())) return null;
  const kept = gridIndex(task.properties['action_index']) ?? gridIndex(task.properties['index']);
  if (kept !== null) return kept;
  for (const key of ['remix_u_custom_id', 'customId']) {
    const customId = task.properties[key];
    if (typeof customId !== 'string') continue;
    const fromId = gridIndex(parseMjCustomId(customId).index);
    if (fromId !== null) return fromId;
  }
  const m = /\bU([1-4])\b/.exec(task.description);
  return m?.[1] !== undefined ? Number(m[1]) : null;
}

const ACTION_TITLES = {
  IMAGINE: 'action.IMAGINE',
  UPSCALE: 'action.UPSCALE',
  UPSCALE_HD: 'action.UPSCALE_HD',
  VARIATION: 'action.VARIATION',
  LOW_VARIATION: 'action.LOW_VARIATION',
  HIGH_VARIATION: 'action.HIGH_VARIATION',
  REROLL: 'action.REROLL',
  INPAINT: 'action.INPAINT',
  OUTPAINT: 'action.OUTPAINT',
  ZOOM: 'action.ZOOM',
  CUSTOM_ZOOM: 'action.CUSTOM_ZOOM',
  PAN: 'action.PAN',
  DESCRIBE: 'action.DESCRIBE',
  BLEND: 'action.BLEND',
  SHORTEN: 'action.SHORTEN',
  VIDEO: 'action.VIDEO',
  VIDEO_EXTEND: 'action.VIDEO_EXTEND',
  MODAL: 'action.MODAL',
  ACTION: 'action.ACTION',
} as const;

/** The action's name in the member's language; an action the bot does not know, as the API wrote it. */
export function actionTitle(action: string, t: Translate = ENGLISH): string {
  const key = action.trim().toUpperCase();
  if (key === '') return t('task.untitled');
  if (Object.hasOwn(ACTION_TITLES, key)) return t(ACTION_TITLES[key as keyof typeof ACTION_TITLES]);
  const words = key.toLowerCase().replace(/_+/g, ' ').trim();
  return truncate(words.charAt(0).toUpperCase() + words.slice(1), EMBED_TITLE_MAX);
}

export function promptOf(task: MjTask): string {
  const finalPrompt = task.properties['finalPrompt'];
  for (const candidate of [task.prompt, task.promptEn, typeof finalPrompt === 'string' ? finalPrompt : '']) {
    if (candidate.trim() !== '') return candidate.trim();
  }
  return '';
}

/**
 * `**prompt** - Image #N <@member> (state) (mode)` then `-# Task <id>`. A Describe's or Shorten's
 * prompts are in the embed, so its line names the action instead.
 */
export function contentLine(
  task: MjTask,
  requesterId: string | null,
  timedOut: boolean,
  idLine: string,
  t: Translate = ENGLISH,
): string {
  const parts: string[] = [];
  const image = upscaleIndex(task);
  if (image !== null) parts.push(t('task.image_number', { index: image }));
  if (requesterId !== null) parts.push(`<@${requesterId}>`);
  for (const tag of [stateTag(task, timedOut, t), modeTag(task, t)])
    if (tag !== null) parts.push(`(${escapeAndFit(tag, 80)})`);
  const tail = parts.length > 0 ? ` - ${parts.join(' ')}` : '';
  const prompt = isTextResult(task) ? '' : oneLine(promptOf(task));
  // The action stands in for an empty prompt, escaped like it, so no API text reads as a mention
  // beside the one the bot wrote.
  const shown = escapeAndFit(
    prompt === '' ? actionTitle(task.action, t) : prompt,
    Math.min(CONTENT_PROMPT_MAX, MESSAGE_CONTENT_MAX - tail.length - idLine.length - 6),
  );
  return `**${shown}**${tail}${idLine === '' ? '' : `\n${idLine}`}`;
}

const BRACKETED_TAG = /\(((?:\\.|[^()\\])*)\)/g;
/** The speed words of every language, so a message keeps its state whichever language wrote it. */
const MODE_WORDS = new Set(
  Object.values(LANGUAGES).flatMap((m) => [m['task.mode_fast'], m['task.mode_relax'], m['task.mode_turbo']]),
);

/**
 * The state a message written by contentLine shows, read back from its first line: the bracketed
 * state ("46%", "Waiting to start", "Timed out", "Failed"), '' when it shows none (a finished task:
 * only a speed mode, or nothing, in brackets), or null when the content is no task content line.
 * The prompt cannot end the bold early: escapeAndFit escapes every '*' (and '\\') in it.
 */
export function shownStateOf(content: string | null | undefined): string | null {
  const first = (content ?? '').split('\n')[0] ?? '';
  if (!first.startsWith('**')) return null;
  // The bold ends at the first "**" that is not an escaped character (escapeAndFit writes '\\*').
  let end = -1;
  for (let i = 2; i < first.length - 1 && end < 0; i++) {
    if (first[i] === '\\') i++;
    else if (first[i] === '*' && first[i + 1] === '*') end = i;
  }
  if (end < 0) return null;
  const rest = first.slice(end + 2);
  if (rest === '') return '';
  if (!rest.startsWith(' - ')) return null;
  // Tags come state first, then mode (contentLine); a lone tag that is a speed mode means no state.
  const tags = [...rest.matchAll(BRACKETED_TAG)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
  const [firstTag] = tags;
  if (firstTag === undefined || (tags.length === 1 && MODE_WORDS.has(firstTag))) return '';
  return firstTag;
}
