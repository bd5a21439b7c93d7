// MjTask → the Discord message that shows it, like Midjourney's own bot: the content line
// `**prompt** - Image #N <@user> (46%) (fast)` with a `-# Task <id>` subtext line (task-content.ts),
// the image on its own (attached full size, or an embed image while only a URL is known), an embed
// only for what the line cannot say (a failure's reason, how it ran, Describe's prompts, a note),
// and the task's buttons. Pure and time-independent: the same task and options always give the same
// payload, so the publisher can skip edits by comparing renders.
//
// Every string the API sent (prompt, action, status, failReason, id) is shown as plain text: redacted
// first (RenderOptions.redact, before any cut, so a truncation cannot leave half a secret behind),
// then markdown-escaped with mentions and masked links made inert, in the content line, description
// and fields alike. Button labels are plain text in Discord: only redacted. Whatever the task JSON,
// the result is a payload Discord accepts; the renderer never throws.
import { ButtonStyle, ComponentType, type APIEmbed, type APIEmbedField } from 'discord-api-types/v10';
import { isSnowflake } from '../config/snowflake.js';
import { ENGLISH, type Translate } from '../i18n/index.js';
import { encodeEditPromptId } from './custom-ids.js';
import { escapeAndFit, taskIdLine } from './task-message-codec.js';
import { isValidTaskId } from '../mj/task-id.js';
import type { MjTask } from '../mj/schema.js';
import { shownButtons, type DialectCapabilities } from '../mj/capabilities.js';
import { renderButtons, type ButtonRow } from './buttons.js';
import { detailsButtonFor, seedButtonFor } from './own-buttons.js';
import { modelLine, redactedTask, seedOf, videoOf } from './task-facts.js';
import { contentLine, promptOf } from './task-content.js';
import { isShorten, isTextResult, shortenedPromptLines } from '../mj/text-results.js';
import {
  ACTION_ROWS_MAX,
  EMBED_DESCRIPTION_MAX,
  EMBED_FIELD_VALUE_MAX,
  EMBED_IMAGE_URL_MAX,
  EMBED_TOTAL_MAX,
  oneLine,
  safeHttpUrl,
} from './limits.js';

export interface RenderOptions {
  /** Discord user id to mention (and the only one allowed to be pinged). */
  requesterId?: string;
  /** Show the image as `attachment://<name>` (the caller uploads the file) instead of linking the URL. */
  imageAttachmentName?: string;
  /** Extra line such as 'Position in queue: 2' or 'Timed out after 60 min'. */
  note?: string;
  /**
   * The bot's own words for why the task ended (the API lost it, its answers could not be read),
   * shown in place of the task's failReason. A failReason from the server is always shown verbatim.
   */
  reason?: string;
  /** The bot stopped following the task before it ended: shown as "(Timed out)". */
  timedOut?: boolean;
  /**
   * Removes the bot's secrets from a text (src/redact.ts). Applied to every API string and the note
   * before anything is escaped or cut; the REST seam redacts again, as the net.
   */
  redact?: (text: string) => string;
  /** What the server can run: its buttons are filtered (and built, for nzk) from these. Absent: as sent. */
  capabilities?: DialectCapabilities;
  /** The language of the message (the server's channel language); default English. */
  t?: Translate;
}

export interface TaskMessagePayload {
  content: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  allowed_mentions: { parse: []; users: string[] };
}

export const STATUS_COLORS = {
  waiting: 0x95a5a6,
  running: 0x3498db,
  modal: 0xf1c40f,
  success: 0x2ecc71,
  failure: 0xe74c3c,
  cancelled: 0x607d8b,
} as const;

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

/**
 * What the embed adds to the content line: why it failed, how it ran, the bot's note. A finished
 * task whose image is attached says how it ran only when that includes its seed: Midjourney's own
 * result is the line and the picture, nothing under it.
 */
function embedFields(
  task: MjTask,
  words: { note: string; reason: string },
  attached: boolean,
  t: Translate,
): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  const given = words.reason !== '' ? words.reason : task.failReason.trim();
  if (task.status === 'FAILURE' || (task.status === 'CANCEL' && given !== '')) {
    // The server's reason, verbatim: only the field's name and the bot's own words are translated.
    const reason = given === '' ? t('task.no_reason') : escapeAndFit(given, EMBED_FIELD_VALUE_MAX);
    fields.push({ name: t('task.field_reason'), value: reason, inline: false });
  }
  const model = task.status === 'SUCCESS' && attached && seedOf(task) === '' ? '' : modelLine(task, t);
  if (model !== '') fields.push({ name: t('task.field_model'), value: escapeAndFit(model, 200), inline: true });
  if (words.note !== '')
    fields.push({ name: t('task.field_note'), value: escapeAndFit(words.note, EMBED_FIELD_VALUE_MAX), inline: false });
  return fields;
}

/**
 * Describe's prompts link artists as `[Name](https://…)`: shown as the plain name (a masked link
 * from the API must not become clickable, and the raw markdown reads as noise).
 */
export function withoutMaskedLinks(text: string): string {
  return text.replace(/\[([^[\]\n]{1,200})\]\(\s*<?https?:\/\/[^\s()<>]{1,2000}>?\s*\)/g, '$1');
}

/**
 * A text result's answer, cleaned of links: Describe's prompts one per line; a finished Shorten's
 * shortened prompts alone (its analysis is behind "Show details"), the prompt it shortens until then.
 */
function answerText(task: MjTask): string {
  const shortened = isShorten(task) && task.status === 'SUCCESS' ? shortenedPromptLines(task) : [];
  if (shortened.length > 0) return shortened.join('\n');
  const prompts = promptOf(task);
  return withoutMaskedLinks(prompts !== '' ? prompts : task.description);
}

/** Whether the caller attaches the image (under a name Discord accepts), so no embed needs to show it. */
function isAttached(attachmentName: string | undefined): boolean {
  return attachmentName !== undefined && /^[A-Za-z0-9._-]{1,100}$/.test(attachmentName);
}

/** The image the embed shows; null when there is none or when it is attached (Discord shows it full size). */
function imageFor(task: MjTask, attachmentName: string | undefined): string | null {
  if (isAttached(attachmentName)) return null;
  // A video shows its thumbnail (an embed cannot play an mp4); the link button opens the video.
  return safeHttpUrl(videoOf(task)?.thumbnail ?? task.imageUrl, EMBED_IMAGE_URL_MAX);
}

/**
 * A MODAL task waits for a prompt that only the member can give. Behind an aggregator (new-api
 * rewrites code 21 to 1) this shows only on the first poll after its refresh, when the click was long
 * answered, so the message that says "Waiting for your input" also offers the form (handled by
 * edit-prompt-button.ts). Vary (Region) also needs a mask, which a form cannot collect: no button.
 */
function promptRows(task: MjTask, t: Translate): ButtonRow[] {
  if (task.status !== 'MODAL' || !isValidTaskId(task.id) || /INPAINT|REGION/i.test(task.action)) return [];
  const kind = /ZOOM/i.test(task.action) ? 'zoom' : 'prompt';
  const button = {
    type: ComponentType.Button as const,
    style: ButtonStyle.Primary as const,
    custom_id: encodeEditPromptId(kind, task.id),
    label: t('form.edit_prompt_button'),
  };
  return [{ type: ComponentType.ActionRow, components: [button] }];
}

export function renderTask(original: MjTask, opts: RenderOptions = {}): TaskMessagePayload {
  const redact = opts.redact ?? ((text: string) => text);
  const task = opts.redact ? redactedTask(original, redact) : original;
  const requesterId = isSnowflake(opts.requesterId) ? opts.requesterId : null;
  const timedOut = opts.timedOut === true;
  const t = opts.t ?? ENGLISH;
  const words = { note: oneLine(redact(opts.note ?? '')), reason: oneLine(opts.reason ?? '') };
  const fields = embedFields(task, words, isAttached(opts.imageAttachmentName), t);

  const embed: APIEmbed = { color: timedOut ? STATUS_COLORS.cancelled : statusColor(task.status) };
  if (fields.length > 0) embed.fields = fields;
  if (isTextResult(task)) {
    const used = fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    const description = escapeAndFit(answerText(task), Math.min(EMBED_DESCRIPTION_MAX, EMBED_TOTAL_MAX - used));
    if (description !== '') embed.description = description;
  }
  const image = imageFor(task, opts.imageAttachmentName);
  if (image !== null) embed.image = { url: image };
  const hasContent = embed.fields !== undefined || embed.description !== undefined || embed.image !== undefined;

  const buttons = opts.capabilities ? shownButtons(task, opts.capabilities) : task.buttons;
  const mjRows = renderButtons(buttons, {
    // The link is for the finished image; progress previews are short-lived ephemeral attachments.
    imageUrl: task.status === 'SUCCESS' ? task.imageUrl : null,
    videoUrl: task.status === 'SUCCESS' ? (videoOf(task)?.url ?? null) : null,
    ownButtons: [...seedButtonFor(task, opts.capabilities, t), ...detailsButtonFor(task, t)],
    t,
  });
  // The form button goes first, but never pushes one of the task's own buttons out.
  const components = [...(mjRows.length < ACTION_ROWS_MAX ? promptRows(task, t) : []), ...mjRows];

  return {
    content: contentLine(task, requesterId, timedOut, taskIdLine(redact(task.id), t), t),
    embeds: hasContent ? [embed] : [],
    components,
    allowed_mentions: { parse: [], users: requesterId !== null ? [requesterId] : [] },
  };
}
