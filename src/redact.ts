// Every configured secret (bot token, API key, webhook secret) out of any text the bot shows, in every
// way a secret can be written on its way here: as is, URL-encoded (either hex case, or only some
// characters), JSON- or `\uXXXX`-escaped (also char by char), HTML character references, with
// markdown backslashes in between, and cut short by a truncation. Pure: no I/O, one compiled pattern
// per secret, built once by createRedactor.

export const REDACTED = '[redacted]';

/** Shorter values would blank ordinary words; real tokens and keys are far longer. */
export const MIN_SECRET_LENGTH = 6;

/**
 * A secret's first characters still count as the secret when a truncation left them at the end of a
 * field or before an ellipsis: this many or more.
 */
export const MIN_CUT_PREFIX = 8;

export interface Redactor {
  /** `text` with every secret, and every cut-off start of one, replaced by REDACTED. */
  text: (text: string) => string;
  /**
   * A JSON document with every string in it (keys and values) redacted like `text`, still valid
   * JSON. Text that is not JSON is redacted as text. Returned unchanged when nothing was found.
   */
  json: (body: string) => string;
}

/** One hex digit in either case: encoders differ (encodeURIComponent upper, others lower). */
function hexDigits(value: number, width: number): string {
  return [...value.toString(16).padStart(width, '0')]
    .map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d))
    .join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function utf8Bytes(char: string): number[] {
  return [...new TextEncoder().encode(char)];
}

/** Every way one character of a secret may be written: literal, \uXXXX, %XX…, &#N; / &#xH;. */
function charPattern(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const units = [...Array(char.length).keys()].map((i) => `\\\\u${hexDigits(char.charCodeAt(i), 4)}`).join('');
  const percent = utf8Bytes(char)
    .map((b) => `%${hexDigits(b, 2)}`)
    .join('');
  const forms = [escapeRegExp(char), units, percent, `&#0*${code};`, `&#[xX]0*${hexDigits(code, 1)};`];
  // A few backslashes first: markdown escapes (`\_`), JSON escapes (`\"`, `\\`), double escaping.
  // Bounded, so a long run of backslashes costs linear time, not quadratic.
  return `\\\\{0,4}(?:${forms.join('|')})`;
}

const ELLIPSIS_FORMS = ['…', `\\\\u${hexDigits(0x2026, 4)}`, '%[eE]2%80%[aA]6', '&#8230;', '&hellip;', '\\.\\.\\.'];
/** What a cut may leave of the next character's encoding: `\`, `\u00`, `%7`, `&#x`… */
const PARTIAL_CHAR = '(?:\\\\{1,4}(?:u[0-9a-fA-F]{0,3})?|%[0-9a-fA-F]?|&(?:#[xX]?[0-9a-fA-F]{0,6})?)?';

interface SecretPatterns {
  whole: RegExp;
  /** The secret's start (MIN_CUT_PREFIX characters or more) right before an ellipsis or the end. */
  cut: RegExp | null;
}

function patternsFor(secret: string): SecretPatterns {
  const chars = [...secret].map(charPattern);
  const whole = new RegExp(chars.join(''), 'g');
  if (chars.length < MIN_CUT_PREFIX) return { whole, cut: null };
  // Nested optional groups (a(?:b(?:c)?)?) keep the pattern linear in the secret's length; greedy, so
  // the longest cut-off start is taken.
  let rest = '';
  for (let i = chars.length - 1; i >= MIN_CUT_PREFIX; i--) rest = `(?:${chars[i]}${rest})?`;
  const head = chars.slice(0, MIN_CUT_PREFIX).join('');
  return { whole, cut: new RegExp(`${head}${rest}${PARTIAL_CHAR}(?=${ELLIPSIS_FORMS.join('|')}|$)`, 'g') };
}

export function createRedactor(secrets: ReadonlyArray<string | null | undefined>): Redactor {
  const usable = [...new Set(secrets)]
    .filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
    // Longest first, so a secret that contains another is replaced whole.
    .sort((a, b) => b.length - a.length);
  const patterns = usable.map(patternsFor);

  const text = (input: string): string => {
    let out = input;
    for (const { whole } of patterns) out = out.replace(whole, REDACTED);
    for (const { cut } of patterns) if (cut) out = out.replace(cut, REDACTED);
    return out;
  };

  const json = (body: string): string => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return text(body);
    }
    let changed = false;
    const walk = (value: unknown): unknown => {
      if (typeof value === 'string') {
        const redacted = text(value);
        if (redacted !== value) changed = true;
        return redacted;
      }
      if (Array.isArray(value)) return value.map(walk);
      if (value !== null && typeof value === 'object') {
        const out: Record<string, unknown> = {};
        // defineProperty, not assignment: a "__proto__" key stays a key.
        for (const [key, inner] of Object.entries(value))
          Object.defineProperty(out, walk(key) as string, { value: walk(inner), enumerable: true, writable: true });
        return out;
      }
      return value;
    };
    const redacted = walk(parsed);
    // Untouched bodies are sent byte for byte as discord.js wrote them.
    return changed ? JSON.stringify(redacted) : body;
  };

  return { text, json };
}
