// MjTask → the Discord message that shows it, like Midjourney's own bot: content
// `**prompt** - <@user> (status)`, an embed with status, progress bar, times, image and a footer that
// carries the task id, and the task's buttons. Pure and time-independent: the same task and options
// always give the same payload, so the publisher can skip edits by comparing renders.
//
// Every string the API sent (prompt, action, status, failReason, id) is shown as plain text: redacted
// first (RenderOptions.redact, before any cut, so a truncation cannot leave half a secret behind),
// then markdown-escaped with mentions and masked links made inert, in the content line, title,
// description and fields alike (the footer, which Discord shows without markdown, gets inert()).
// Button labels are plain text in Discord: only redacted. Whatever the task JSON, the result is a
// payload Discord accepts; the renderer never throws.
import { ButtonStyle, ComponentType, type APIEmbed, type APIEmbedField } from 'discord-api-types/v10';
import { isSnowflake } from '../config/snowflake.js';
import { encodeEditPromptId } from './custom-ids.js';
import { EDIT_PROMPT_LABEL } from './modal-ticket.js';
import { escapeAndFit, taskFooter } from './task-message-codec.js';
import { isValidTaskId } from '../mj/task-id.js';
import { progressPercent } from '../mj/task.js';
import type { MjTask } from '../mj/schema.js';
import { shownButtons, type DialectCapabilities } from '../mj/capabilities.js';
import { renderButtons, type ButtonRow } from './buttons.js';
import { modelLine, redactedTask, videoOf } from './task-facts.js';
import {
  ACTION_ROWS_MAX,
  EMBED_DESCRIPTION_MAX,
  EMBED_FIELD_VALUE_MAX,
  EMBED_FOOTER_TEXT_MAX,
  EMBED_IMAGE_URL_MAX,
  EMBED_TITLE_MAX,
  EMBED_TOTAL_MAX,
  MESSAGE_CONTENT_MAX,
  oneLine,
  safeHttpUrl,
  truncate,
} from './limits.js';

export interface RenderOptions {
  /** Discord user id to mention (and the only one allowed to be pinged). */
  requesterId?: string;
  /** Show the image as `attachment://<name>` (the caller uploads the file) instead of linking the URL. */
  imageAttachmentName?: string;
  /** Extra line such as 'Position in queue: 2' or 'Timed out after 60 min'. */
  note?: string;
  /** The bot stopped following the task before it ended: shown as "Timed out", with the last state seen. */
  timedOut?: boolean;
  /**
   * Removes the bot's secrets from a text (src/redact.ts). Applied to every API string and the note
   * before anything is escaped or cut; the REST seam redacts again, as the net.
   */
  redact?: (text: string) => string;
  /** What the server can run: its buttons are filtered (and built, for nzk) from these. Absent: as sent. */
  capabilities?: DialectCapabilities;
}

export interface TaskMessagePayload {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  allowed_mentions: { parse: []; users: string[] };
}

/** Longest prompt echoed in the content line; the embed carries the full prompt. */
export const CONTENT_PROMPT_MAX = 300;

export const STATUS_COLORS = {
  waiting: 0x95a5a6,
  running: 0x3498db,
  modal: 0xf1c40f,
  success: 0x2ecc71,
  failure: 0xe74c3c,
  cancelled: 0x607d8b,
} as const;

export function progressBar(percent: number): string {
  const p = Number.isFinite(percent) ? Math.min(100, Math.max(0, Math.round(percent))) : 0;
  const filled = Math.floor(p / 10);
  return '▰'.repeat(filled) + '▱'.repeat(10 - filled) + ` ${p}%`;
}

/** What a member reads for the task's state. */
export function statusText(task: Pick<MjTask, 'status' | 'progress'>): string {
  switch (task.status) {
    case '':
    case 'NOT_START':
    case 'SUBMITTED':
      return 'Waiting to start';
    case 'IN_PROGRESS':
      return `Running (${progressPercent(task)}%)`;
    case 'MODAL':
      return 'Waiting for your input';
    case 'SUCCESS':
      return 'Done';
    case 'FAILURE':
      return 'Failed';
    case 'CANCEL':
      return 'Cancelled';
    default:
      return truncate(oneLine(task.status), 64);
  }
}

export function statusColor(status: string): number {
  switch (status) {
    case '':
    case 'NOT_START':
    case 'SUBMITTED':
      return STATUS_COLORS.waiting;
    case 'MODAL':
      return STATUS_COLORS.modal;
    case 'SUCCESS':
      return STATUS_COLORS.success;
    case 'FAILURE':
      return STATUS_COLORS.failure;
    case 'CANCEL':
      return STATUS_COLORS.cancelled;
    default:
      return STATUS_COLORS.running;
  }
}

const ACTION_TITLES: Readonly<Record<string, string>> = {
  IMAGINE: 'Imagine',
  UPSCALE: 'Upscale',
  UPSCALE_HD: 'Upscale (HD)',
  VARIATION: 'Variation',
  LOW_VARIATION: 'Vary (Subtle)',
  HIGH_VARIATION: 'Vary (Strong)',
  REROLL: 'Re-roll',
  INPAINT: 'Vary (Region)',
  OUTPAINT: 'Zoom Out',
  ZOOM: 'Zoom',
  CUSTOM_ZOOM: 'Custom Zoom',
  PAN: 'Pan',
  DESCRIBE: 'Describe',
  BLEND: 'Blend',
  SHORTEN: 'Shorten',
  VIDEO: 'Video',
  VIDEO_EXTEND: 'Video (Extend)',
  MODAL: 'Remix',
  ACTION: 'Action',
};

export function actionTitle(action: string): string {
  const key = action.trim().toUpperCase();
  if (key === '') return 'Midjourney task';
  const known = ACTION_TITLES[key];
  if (known !== undefined) return known;
  const words = key.toLowerCase().replace(/_+/g, ' ').trim();
  return truncate(words.charAt(0).toUpperCase() + words.slice(1), EMBED_TITLE_MAX);
}

function promptOf(task: MjTask): string {
  const finalPrompt = task.properties['finalPrompt'];
  for (const candidate of [task.prompt, task.promptEn, typeof finalPrompt === 'string' ? finalPrompt : '']) {
    if (candidate.trim() !== '') return candidate.trim();
  }
  return '';
}

const TIMED_OUT = 'Timed out';

function contentLine(task: MjTask, requesterId: string | null, timedOut: boolean): string {
  const prompt = oneLine(promptOf(task));
  const status = timedOut ? TIMED_OUT : task.status === 'IN_PROGRESS' ? `${progressPercent(task)}%` : statusText(task);
  const mention = requesterId !== null ? ` - <@${requesterId}>` : '';
  const tail = `${mention} (${escapeAndFit(status, 80)})`;
  // The action stands in for an empty prompt, escaped like it, so no API text reads as a mention
  // beside the one the bot wrote.
  const shown = escapeAndFit(
    prompt === '' ? actionTitle(task.action) : prompt,
    Math.min(CONTENT_PROMPT_MAX, MESSAGE_CONTENT_MAX - tail.length - 4),
  );
  return `**${shown}**${tail}`;
}

function discordTime(ms: number | null): string | null {
  return ms !== null && Number.isFinite(ms) && ms > 0 ? `<t:${Math.floor(ms / 1000)}:R>` : null;
}

function statusFieldValue(task: MjTask, timedOut: boolean): string {
  const text = statusText(task);
  // No bar either: the progress it would show is a stale reading, not where the task is.
  if (timedOut) return `${TIMED_OUT} (last seen: ${escapeAndFit(text, 100)})`;
  switch (task.status) {
    case 'FAILURE':
    case 'CANCEL':
    case 'MODAL':
      // No bar: an aggregator reports "100%" on failure, which must never read as done.
      return text;
    default:
      return `${escapeAndFit(text, 100)}\n${progressBar(progressPercent(task))}`;
  }
}

function embedFields(task: MjTask, note: string, timedOut: boolean): APIEmbedField[] {
  const fields: APIEmbedField[] = [{ name: 'Status', value: statusFieldValue(task, timedOut), inline: false }];
  if (task.status === 'FAILURE' || (task.status === 'CANCEL' && task.failReason.trim() !== '')) {
    const reason =
      task.failReason.trim() === ''
        ? 'No reason was given.'
        : escapeAndFit(task.failReason.trim(), EMBED_FIELD_VALUE_MAX);
    fields.push({ name: 'Reason', value: reason, inline: false });
  }
  const submitted = discordTime(task.submitTime);
  if (submitted !== null) fields.push({ name: 'Submitted', value: submitted, inline: true });
  const finished = discordTime(task.finishTime);
  if (finished !== null) fields.push({ name: 'Finished', value: finished, inline: true });
  const model = modelLine(task);
  if (model !== '') fields.push({ name: 'Model', value: escapeAndFit(model, 200), inline: true });
  if (note !== '') fields.push({ name: 'Note', value: escapeAndFit(note, EMBED_FIELD_VALUE_MAX), inline: false });
  return fields;
}

function imageFor(task: MjTask, attachmentName: string | undefined): string | null {
  if (attachmentName !== undefined && /^[A-Za-z0-9._-]{1,100}$/.test(attachmentName))
    return `attachment://${attachmentName}`;
  // A video shows its thumbnail (an embed cannot play an mp4); the link button opens the video.
  return safeHttpUrl(videoOf(task)?.thumbnail ?? task.imageUrl, EMBED_IMAGE_URL_MAX);
}

/**
 * A MODAL task waits for a prompt that only the member can give. Behind an aggregator (new-api
 * rewrites code 21 to 1) this shows only on the first poll after its refresh, when the click was long
 * answered, so the message that says "Waiting for your input" also offers the form (handled by
 * edit-prompt-button.ts). Vary (Region) also needs a mask, which a form cannot collect: no button.
 */
function promptRows(task: MjTask): ButtonRow[] {
  if (task.status !== 'MODAL' || !isValidTaskId(task.id) || /INPAINT|REGION/i.test(task.action)) return [];
  const kind = /ZOOM/i.test(task.action) ? 'zoom' : 'prompt';
  const button = {
    type: ComponentType.Button as const,
    style: ButtonStyle.Primary as const,
    custom_id: encodeEditPromptId(kind, task.id),
    label: EDIT_PROMPT_LABEL,
  };
  return [{ type: ComponentType.ActionRow, components: [button] }];
}

/**
 * Text for places Discord shows without markdown (the footer): one line, with the characters that
 * start a mention or a link separated by a zero-width space, so nothing there reads as one either.
 */
function inert(text: string, max: number): string {
  return truncate(oneLine(text).replace(/[<>@[\]]/g, '$&\u200b'), max);
}

export function renderTask(original: MjTask, opts: RenderOptions = {}): TaskMessagePayload {
  const redact = opts.redact ?? ((text: string) => text);
  const task = opts.redact ? redactedTask(original, redact) : original;
  const requesterId = isSnowflake(opts.requesterId) ? opts.requesterId : null;
  const title = escapeAndFit(actionTitle(task.action), EMBED_TITLE_MAX);
  const timedOut = opts.timedOut === true;
  const fields = embedFields(task, oneLine(redact(opts.note ?? '')), timedOut);
  const footer = inert(taskFooter(redact(task.id)), EMBED_FOOTER_TEXT_MAX);

  const used = title.length + footer.length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  const descriptionBudget = Math.min(EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX - used);
  const description = escapeAndFit(promptOf(task), descriptionBudget);

  const color = timedOut ? STATUS_COLORS.cancelled : statusColor(task.status);
  const embed: APIEmbed = { title, color, fields, footer: { text: footer } };
  if (description !== '') embed.description = description;
  const image = imageFor(task, opts.imageAttachmentName);
  if (image !== null) embed.image = { url: image };

  const buttons = opts.capabilities ? shownButtons(task, opts.capabilities) : task.buttons;
  const mjRows = renderButtons(buttons, {
    // The link is for the finished image; progress previews are short-lived ephemeral attachments.
    imageUrl: task.status === 'SUCCESS' ? task.imageUrl : null,
    videoUrl: task.status === 'SUCCESS' ? (videoOf(task)?.url ?? null) : null,
  });
  // The form button goes first, but never pushes one of the task's own buttons out.
  const components = [...(mjRows.length < ACTION_ROWS_MAX ? promptRows(task) : []), ...mjRows];

  return {
    content: contentLine(task, requesterId, timedOut),
    embeds: [embed],
    components,
    allowed_mentions: { parse: [], users: requesterId !== null ? [requesterId] : [] },
  };
}
