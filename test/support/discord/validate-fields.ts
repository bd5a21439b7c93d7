// Field-level checks shared by the message, component and modal validators: Discord's form-error
// codes and messages for lengths, urls, emoji and custom ids.
import { isSnowflake } from './snowflake.js';
import type { Violation } from './http-errors.js';

export type Path = Array<string | number>;

export const FLAG_EPHEMERAL = 1 << 6;
export const FLAG_LOADING = 1 << 7;
export const FLAG_IS_COMPONENTS_V2 = 1 << 15;

export class Violations {
  readonly list: Violation[] = [];
  add(path: Path, code: string, message: string): void {
    this.list.push({ path, code, message });
  }
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Discord counts characters as code points. */
export const charCount = (value: string): number => Array.from(value).length;

/** Checks a string field; returns its length (0 when absent or invalid). */
export function checkString(
  v: Violations,
  path: Path,
  value: unknown,
  { min = 0, max, required = false }: { min?: number; max: number; required?: boolean },
): number {
  if (value === undefined || value === null) {
    if (required) v.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return 0;
  }
  if (typeof value !== 'string') {
    v.add(path, 'BASE_TYPE_STRING', 'Must be a string.');
    return 0;
  }
  const length = charCount(value);
  if (required && length === 0 && min > 0) v.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
  else if (length < min || length > max) {
    if (min > 0) v.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    else v.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }
  return length;
}

export function checkArrayLength(v: Violations, path: Path, value: unknown, min: number, max: number): unknown[] {
  if (!Array.isArray(value)) {
    v.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return [];
  }
  if (value.length < min || value.length > max) {
    if (min > 0) v.add(path, 'BASE_TYPE_BAD_LENGTH', `Must be between ${min} and ${max} in length.`);
    else v.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }
  return value;
}

export function checkUrl(v: Violations, path: Path, value: unknown, schemes: string[], maxLength = 2048): void {
  if (checkString(v, path, value, { max: maxLength, required: true }) === 0) return;
  let scheme: string;
  try {
    scheme = new URL(value as string).protocol.replace(/:$/, '');
  } catch {
    v.add(path, 'URL_TYPE_INVALID_URL', 'Not a well formed URL.');
    return;
  }
  if (!schemes.includes(scheme)) {
    const allowed = schemes.map((s) => `'${s}'`).join(', ');
    v.add(path, 'URL_TYPE_INVALID_SCHEME', `Scheme "${scheme}" is not supported. Scheme must be one of (${allowed}).`);
  }
}

// A whole unicode emoji (keycaps, flags, ZWJ sequences, skin tones); MJ's custom names like
// "upscale_1" or shortcodes like ":arrow_up:" do not match.
const UNICODE_EMOJI =
  /^(?:\p{RI}\p{RI}|[#*0-9]\uFE0F?\u20E3|(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})[\uFE0F\p{EMod}]?[\u{E0020}-\u{E007F}]*(?:\u200D(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})[\uFE0F\p{EMod}]?)*)$/u;

export function isUnicodeEmoji(name: string): boolean {
  return UNICODE_EMOJI.test(name);
}

export function checkEmoji(v: Violations, path: Path, emoji: unknown): void {
  if (!isObject(emoji)) {
    v.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return;
  }
  if (emoji.id !== undefined && emoji.id !== null) {
    if (!isSnowflake(emoji.id)) v.add([...path, 'id'], 'BUTTON_COMPONENT_INVALID_EMOJI', 'Invalid emoji');
    return;
  }
  if (typeof emoji.name !== 'string' || !isUnicodeEmoji(emoji.name)) {
    v.add([...path, 'name'], 'BUTTON_COMPONENT_INVALID_EMOJI', 'Invalid emoji');
  }
}

export function checkCustomId(v: Violations, path: Path, customId: unknown, customIds: Set<string>): void {
  const length = checkString(v, path, customId, { min: 1, max: 100, required: true });
  if (length === 0 || typeof customId !== 'string') return;
  if (customIds.has(customId))
    v.add(path, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
  customIds.add(customId);
}
