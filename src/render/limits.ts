// Discord's message, component and modal limits (developers/resources/message.mdx "Embed Limits",
// developers/components/reference.mdx), in one place, and the text helpers that keep within them.
//
// Lengths: Discord counts "characters". Measuring in UTF-16 code units (String#length) is never less
// than counting code points, so a string that fits by `.length` fits under either reading. The
// helpers below measure by `.length` and cut only on code-point boundaries.

export const CUSTOM_ID_MAX = 100;
export const ACTION_ROWS_MAX = 5;
export const BUTTONS_PER_ROW_MAX = 5;
export const BUTTON_LABEL_MAX = 80;
export const LINK_BUTTON_URL_MAX = 512;

export const MESSAGE_CONTENT_MAX = 2000;
export const EMBEDS_PER_MESSAGE_MAX = 10;
export const EMBED_TITLE_MAX = 256;
export const EMBED_DESCRIPTION_MAX = 4096;
export const EMBED_FIELDS_MAX = 25;
export const EMBED_FIELD_NAME_MAX = 256;
export const EMBED_FIELD_VALUE_MAX = 1024;
export const EMBED_FOOTER_TEXT_MAX = 2048;
export const EMBED_AUTHOR_NAME_MAX = 256;
/** Sum of title, description, field names and values, footer text and author name over all embeds. */
export const EMBED_TOTAL_MAX = 6000;
/** Not documented by Discord; URLs longer than this are refused in practice, so the renderer drops them. */
export const EMBED_IMAGE_URL_MAX = 2048;

export const MODAL_TITLE_MAX = 45;
export const MODAL_CUSTOM_ID_MAX = 100;
export const TEXT_INPUT_LABEL_MAX = 45;
export const TEXT_INPUT_PLACEHOLDER_MAX = 100;
export const TEXT_INPUT_VALUE_MAX = 4000;

export const ELLIPSIS = '…';

/** Number of Unicode code points (what a person would call characters, roughly). */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `text` with every unpaired surrogate (broken UTF-16, not encodable as UTF-8) replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/** True when the UTF-16 unit at `i` is the low half of a surrogate pair (cutting there would split it). */
function isLowSurrogateAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code >= 0xdc00 && code <= 0xdfff && i > 0 && isHighSurrogate(text.charCodeAt(i - 1));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The longest prefix of `text` of at most `max` UTF-16 units that does not split a surrogate pair. */
export function cutAt(text: string, max: number): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  let end = max;
  if (isLowSurrogateAt(text, end)) end -= 1;
  return text.slice(0, end);
}

/**
 * `text` (made well-formed) when it fits in `max` units; otherwise a prefix ending in '…' that fits. Never splits a
 * surrogate pair, and drops a dangling zero-width joiner or variation selector before the ellipsis
 * so no half emoji sequence is left behind.
 */
export function truncate(raw: string, max: number, ellipsis: string = ELLIPSIS): string {
  const text = wellFormed(raw);
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max <= ellipsis.length) return cutAt(text, max);
  const head = cutAt(text, max - ellipsis.length).replace(/(?:\u200d|\ufe0e|\ufe0f)+$/u, '');
  return head + ellipsis;
}

/** `text` with line breaks and tabs turned into spaces, runs of spaces collapsed, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The normalised URL when `raw` is an absolute http(s) URL of at most `max` characters once
 * normalised, else null. Anything else (javascript:, data:, relative, garbage) is refused.
 */
export function safeHttpUrl(raw: string | null | undefined, max: number): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '') return null;
  const href = url.href;
  return href.length <= max ? href : null;
}
