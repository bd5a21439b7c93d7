// Pure helpers for reading Midjourney API response bodies: JSON that keeps 19-digit ids intact, and
// short, secret-free snippets of whatever the API said, for error messages.
import type { UnusableAnswer } from './errors.js';

/** Keys whose bare integer values are task ids (or, for `result`, a task id or a list of them). */
const ID_KEYS = new Set(['id', 'result']);

/** 16+ digits can exceed Number.MAX_SAFE_INTEGER (2^53 ≈ 9.0e15), so such ids are kept as strings. */
const LARGE_INTEGER = /^\d{16,}$/;

interface Frame {
  array: boolean;
  /** Object: the key whose value is being read. Array: the key the array itself is the value of. */
  key: string | null;
  expectingKey: boolean;
}

/**
 * Puts quotes around bare integers of 16+ digits that are the value of an `id` or `result` key (or an
 * element of a `result` array), so JSON.parse cannot round them. Strings and every other number are
 * left byte-for-byte as they were. Walks the text as JSON tokens, so look-alikes inside strings are safe.
 */
export function quoteLargeIds(text: string): string {
  const stack: Frame[] = [];
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (top && !top.array && top.expectingKey) top.key = text.slice(i + 1, j);
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      // An array inherits the key it is the value of, so `"result":[…]` elements are recognised.
      stack.push({ array: c === '[', key: c === '[' ? (top?.key ?? null) : null, expectingKey: c === '{' });
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      if (top && !top.array) top.expectingKey = true;
    } else if (c === ':') {
      if (top && !top.array) top.expectingKey = false;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && /[0-9eE.+-]/.test(text[j]!)) j++;
      const token = text.slice(i, j);
      if (
        top &&
        LARGE_INTEGER.test(token) &&
        top.key !== null &&
        ID_KEYS.has(top.key) &&
        (!top.array || top.key === 'result')
      ) {
        pieces.push(text.slice(copiedUpTo, i), '"', token, '"');
        copiedUpTo = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  if (copiedUpTo === 0) return text;
  pieces.push(text.slice(copiedUpTo));
  return pieces.join('');
}

export type ParsedBody =
  | { kind: 'empty' } // nothing, whitespace, or a literal `null`
  | { kind: 'html' }
  | { kind: 'malformed' }
  | { kind: 'json'; value: unknown };

export function parseBody(text: string): ParsedBody {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'null') return { kind: 'empty' };
  if (trimmed.startsWith('<')) return { kind: 'html' };
  try {
    return { kind: 'json', value: JSON.parse(quoteLargeIds(trimmed)) as unknown };
  } catch {
    return { kind: 'malformed' };
  }
}

/** The human text an API put in its error body, whatever the dialect ({description}, {message}, {error:{message}}). */
export function apiMessage(value: unknown): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  for (const key of ['description', 'message', 'msg', 'error']) {
    const v = o[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (key === 'error' && v && typeof v === 'object') {
      const nested = (v as Record<string, unknown>).message;
      if (typeof nested === 'string' && nested.trim() !== '') return nested;
    }
  }
  return null;
}

export const SNIPPET_MAX_CHARS = 200;

/**
 * A short, single-line version of `text` safe for an error message: the secret is redacted (an API may
 * echo the key it rejected), tags and control characters removed, whitespace collapsed, then truncated.
 */
export function sanitizeSnippet(text: string, secret: string, maxChars = SNIPPET_MAX_CHARS): string {
  let s = secret ? text.split(secret).join('***') : text;
  s = s
    .replace(/<[^>]*>/g, ' ')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what this strips
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (s.length > maxChars) s = `${s.slice(0, maxChars - 1).trimEnd()}…`;
  return s;
}

/** What the body says, as a short snippet for a message ("HTTP 400: …", or a hint for HTML/empty bodies). */
/** An answer that is no data, as data: an HTML page, an empty body, or the status and what it said. */
export function unusableOf(text: string, status: number, secret: string): UnusableAnswer {
  const parsed = parseBody(text);
  if (parsed.kind === 'html') return { what: 'html', status };
  if (parsed.kind === 'empty') return { what: 'empty', status };
  const said = parsed.kind === 'json' ? apiMessage(parsed.value) : null;
  return { what: 'status', status, said: sanitizeSnippet(said ?? text, secret) };
}

export function describeBody(text: string, status: number, secret: string): string {
  const parsed = parseBody(text);
  if (parsed.kind === 'html') return `an HTML page (HTTP ${status})`;
  if (parsed.kind === 'empty') return `an empty body (HTTP ${status})`;
  const said = parsed.kind === 'json' ? apiMessage(parsed.value) : null;
  const snippet = sanitizeSnippet(said ?? text, secret);
  return snippet === '' ? `HTTP ${status}` : `HTTP ${status}: ${snippet}`;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
