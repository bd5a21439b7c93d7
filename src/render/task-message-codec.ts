// The message is the database: everything a click needs after a restart is read back from the task
// message the bot rendered. This module owns both directions of that contract: the footer that
// carries the task id, the escaped prompt, and the "used" look of a clicked button.
// Who may act on a task is never read from the message (its mention is display only): see
// submit/may-spend.ts. Pure.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
} from 'discord-api-types/v10';
import { ENGLISH, LANGUAGES, type Translate } from '../i18n/index.js';
import { isValidTaskId } from '../mj/task-id.js';
import { ELLIPSIS, cutAt, wellFormed } from './limits.js';

/** The word before the id ("Task", "任务") in every language: a message keeps its id whichever wrote it. */
const ID_WORDS = [...new Set(Object.values(LANGUAGES).map((m) => m['task.id_word']))]
  .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');
const FOOTER_PATTERN = new RegExp(`^(?:${ID_WORDS}) ([A-Za-z0-9_-]{1,64})$`);
/** `-# Task <id>` (Discord's small subtext line), '_' escaped so an id never reads as italics. */
const ID_LINE_PATTERN = new RegExp(`^-# (?:${ID_WORDS}) ((?:[A-Za-z0-9-]|\\\\_){1,128})$`, 'm');

/** The footer text older versions put on every task message (and the Edit prompt reply's); still read. */
export function taskFooter(taskId: string, t: Translate = ENGLISH): string {
  return `${t('task.id_word')} ${taskId}`;
}

/** The last line of a task message's content, carrying its id; '' for an id that is not one. */
export function taskIdLine(taskId: string, t: Translate = ENGLISH): string {
  return isValidTaskId(taskId) ? `-# ${t('task.id_word')} ${taskId.replace(/_/g, '\\_')}` : '';
}

type MessageLike = {
  content?: string | null;
  embeds?: ReadonlyArray<{ footer?: { text?: string | null } | null } | null> | null;
};

function idFromContent(content: unknown): string | null {
  if (typeof content !== 'string') return null;
  const m = ID_LINE_PATTERN.exec(content);
  const id = m?.[1]?.replace(/\\_/g, '_');
  return id !== undefined && isValidTaskId(id) ? id : null;
}

/**
 * The task id carried by a message this renderer produced (its `-# Task <id>` line), or by one an
 * older version posted (its embed footer); null when absent or malformed.
 */
export function readTaskIdFromMessage(message: MessageLike | null | undefined): string | null {
  const fromContent = idFromContent(message?.content);
  if (fromContent !== null) return fromContent;
  const embeds = message?.embeds;
  if (!Array.isArray(embeds)) return null;
  for (const embed of embeds as ReadonlyArray<{ footer?: { text?: string | null } | null } | null>) {
    const text = embed?.footer?.text;
    if (typeof text !== 'string') continue;
    const m = FOOTER_PATTERN.exec(text.trim());
    if (m?.[1] !== undefined && isValidTaskId(m[1])) return m[1];
  }
  return null;
}

/**
 * Markdown escapes for text shown in content and embeds. '<' and '>' cover every mention, emoji,
 * timestamp and `</command>`; '[' and ']' every masked link. URLs are wrapped in <> so they do not
 * unfurl, and `@everyone` / `@here` get a backslash so they read as text.
 */
const MARKDOWN_SPECIAL = /[\\*_~`|<>#[\]]/;
const SPECIAL_TOKEN = /https?:\/\/[^\s<>]+|@(?:everyone|here)/g;

/**
 * `text` with markdown neutralised, cut to at most `max` UTF-16 units (with '…' when cut). Built
 * token by token so a cut never leaves half an escape or half a `<url>`.
 */
export function escapeAndFit(raw: string, max: number): string {
  // Escaping only lengthens text, so nothing past max + 2 units can be shown (+2: a cut that would
  // split a surrogate pair still leaves more than max): a huge prompt costs no more than a short one.
  const text = wellFormed(raw.length > max + 2 ? cutAt(raw, max + 2) : raw);
  const pieces: string[] = [];
  let last = 0;
  for (const m of text.matchAll(SPECIAL_TOKEN)) {
    if (m.index > last) escapeChars(text.slice(last, m.index), pieces);
    pieces.push(m[0].startsWith('@') ? `\\${m[0]}` : `<${m[0]}>`);
    last = m.index + m[0].length;
  }
  if (last < text.length) escapeChars(text.slice(last), pieces);

  const total = pieces.reduce((n, p) => n + p.length, 0);
  if (total <= max) return pieces.join('');
  let out = '';
  const budget = max - ELLIPSIS.length;
  for (const piece of pieces) {
    if (out.length + piece.length > budget) break;
    out += piece;
  }
  return max >= ELLIPSIS.length ? out.replace(/(?:\u200d|\ufe0e|\ufe0f)+$/u, '') + ELLIPSIS : '';
}

/** Appends one piece per character (no spread: a long text would overflow the call stack). */
function escapeChars(text: string, out: string[]): void {
  for (const ch of text) out.push(MARKDOWN_SPECIAL.test(ch) ? `\\${ch}` : ch);
}

/**
 * The prompt as the member typed it, from text written by escapeAndFit (markdown characters escaped
 * with '\', URLs wrapped in <>). One pass undoes both, so an escaped '\<' is never mistaken for the
 * start of a wrapped URL.
 */
export function unescapeEmbedPrompt(description: string): string {
  return description.replace(
    /\\([\\*_~`|<>#[\]@])|<(https?:\/\/[^\s<>]+)>/g,
    (_all, escaped: string | undefined, url: string | undefined) => escaped ?? url ?? '',
  );
}

/**
 * The prompt shown by a task message: the bold start of its content on messages that carry a
 * `-# Task` line, else (older messages, the edit-prompt reply) its first embed's description; ''
 * when there is none.
 */
export function promptFromMessage(
  message: {
    content?: string | null;
    embeds?: ReadonlyArray<{ description?: string | null } | null> | null;
  } | null,
): string {
  const content = message?.content;
  if (typeof content === 'string' && idFromContent(content) !== null) {
    const m = /^\*\*(.*)\*\*(?: - |$)/m.exec(content.split('\n')[0] ?? '');
    return m?.[1] !== undefined ? unescapeEmbedPrompt(m[1]).trim() : '';
  }
  const description = message?.embeds?.[0]?.description;
  return typeof description === 'string' ? unescapeEmbedPrompt(description).trim() : '';
}

/**
 * The message's rows with the button whose custom_id is `customId` shown as used (Primary, blue, as
 * Midjourney does) and everything else untouched; null when there is nothing to change (no such
 * button, or it is already Primary), so the caller skips the edit.
 */
export function markButtonUsed(
  rows: ReadonlyArray<APIActionRowComponent<APIComponentInMessageActionRow>>,
  customId: string,
): APIActionRowComponent<APIComponentInMessageActionRow>[] | null {
  let changed = false;
  const out = rows.map((row) => ({
    ...row,
    components: row.components.map((component) => {
      if (component.type !== ComponentType.Button || !('custom_id' in component) || component.custom_id !== customId)
        return component;
      if (component.style === ButtonStyle.Primary) return component;
      changed = true;
      return { ...component, style: ButtonStyle.Primary as const };
    }),
  }));
  return changed ? out : null;
}
