// Which MJ button emojis can be shown on a Discord button. The proxy keeps only `emoji.name`, which
// is either a unicode emoji ("🔄") or the *name* of Midjourney's own custom emoji ("upscale_1").
// Discord refuses a button whose emoji name is not a unicode emoji (BUTTON_COMPONENT_INVALID_EMOJI)
// and the bot cannot use Midjourney's custom emojis, so names are mapped or dropped.

/**
 * Midjourney's custom emoji names seen in the proxy's buttons, mapped to the nearest unicode emoji.
 * - `upscale_1` (id 940147353879478324) sits on "Upscale (2x/4x/Subtle/Creative)": ⏫ rather than
 *   ⬆️, because ⬆️ is already Pan Up on the same message.
 */
export const MJ_CUSTOM_EMOJI_TO_UNICODE: Readonly<Record<string, string>> = Object.freeze({
  upscale_1: '⏫',
});

// One emoji, as Discord's emoji picker would produce it:
// - keycap: digit/#/* + optional VS16 + U+20E3 ("1️⃣");
// - flag: two regional indicators ("🇯🇵");
// - subdivision flag: black flag + tag letters + cancel tag ("🏴󠁧󠁢󠁳󠁣󠁴󠁿");
// - a pictograph with optional variation selector and skin tone, joined by ZWJ to at most three more
//   (the longest real sequences, families and couples, have four parts).
const PICTO = '\\p{Extended_Pictographic}[\\uFE0E\\uFE0F]?\\p{Emoji_Modifier}?\\uFE0F?';
const SINGLE_EMOJI = new RegExp(
  '^(?:' +
    '[0-9#*]\\uFE0F?\\u20E3' +
    '|\\p{Regional_Indicator}{2}' +
    '|\\u{1F3F4}[\\u{E0020}-\\u{E007E}]{1,8}\\u{E007F}' +
    `|${PICTO}(?:\\u200D${PICTO}){0,3}` +
    ')$',
  'u',
);

/** True when `text` is exactly one unicode emoji (no text, no custom emoji name, no shortcode). */
export function isUnicodeEmoji(text: string): boolean {
  return text.length > 0 && text.length <= 32 && SINGLE_EMOJI.test(text);
}

/**
 * The Discord button emoji for an MJ emoji string, or null when it cannot be shown:
 * a unicode emoji is kept; a known MJ custom emoji name (also written `:name:` or `<:name:id>`) is
 * mapped; anything else (":heart:", "upscale_9", plain text, FORK's broken "\u1F504" = "ὐ4") is dropped.
 */
export function toButtonEmoji(raw: string | null | undefined): { name: string } | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '') return null;
  if (isUnicodeEmoji(text)) return { name: text };
  const custom = /^<a?:([A-Za-z0-9_]+):\d+>$/.exec(text) ?? /^:?([A-Za-z0-9_]+):?$/.exec(text);
  const name = custom?.[1];
  if (name !== undefined && Object.prototype.hasOwnProperty.call(MJ_CUSTOM_EMOJI_TO_UNICODE, name)) {
    const mapped = MJ_CUSTOM_EMOJI_TO_UNICODE[name];
    if (mapped !== undefined) return { name: mapped };
  }
  return null;
}
