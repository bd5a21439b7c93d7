import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../src/redact.js';

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.';
/** Secrets shaped like the real ones: bot tokens (with dots), sk- keys, webhook secrets. */
const secretArb = fc
  .array(fc.constantFrom(...TOKEN_CHARS), { minLength: 8, maxLength: 72 })
  .map((chars) => chars.join(''));

type Encoding = 'raw' | 'pctUpper' | 'pctLower' | 'uUpper' | 'uLower' | 'htmlDec' | 'htmlHex' | 'markdown';
const ENCODINGS: Encoding[] = ['raw', 'pctUpper', 'pctLower', 'uUpper', 'uLower', 'htmlDec', 'htmlHex', 'markdown'];

function encodeChar(ch: string, how: Encoding): string {
  const hex = ch.charCodeAt(0).toString(16);
  switch (how) {
    case 'raw':
      return ch;
    case 'pctUpper':
      return `%${hex.padStart(2, '0').toUpperCase()}`;
    case 'pctLower':
      return `%${hex.padStart(2, '0')}`;
    case 'uUpper':
      return `\\u${hex.padStart(4, '0').toUpperCase()}`;
    case 'uLower':
      return `\\u${hex.padStart(4, '0')}`;
    case 'htmlDec':
      return `&#${ch.charCodeAt(0)};`;
    case 'htmlHex':
      return `&#x${hex};`;
    case 'markdown':
      return `\\${ch}`;
  }
}

/** The secret written with one encoding per character (mixed, as a careless upstream might). */
const encodedArb = secretArb.chain((secret) =>
  fc
    .array(fc.constantFrom(...ENCODINGS), { minLength: secret.length, maxLength: secret.length })
    .map((hows) => ({ secret, encoded: [...secret].map((ch, i) => encodeChar(ch, hows[i]!)).join('') })),
);

/** Undoes every encoding above (ASCII only, which is all a secret holds), to look for the secret in what is left. */
function decodeAscii(text: string): string {
  return text
    .replace(/%([0-7][0-9a-f])/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\u00([0-7][0-9a-f])/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/&#(\d{1,3});/g, (_m, d: string) => String.fromCharCode(Number(d) & 0x7f))
    .replace(/&#x([0-9a-f]{1,2});/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16) & 0x7f))
    .replace(/\\/g, '');
}

const anyText = fc.string({ unit: 'binary', maxLength: 40 });

describe('createRedactor', () => {
  it('removes a secret from any text, whatever mix of encodings it is written in', () => {
    fc.assert(
      fc.property(encodedArb, anyText, anyText, ({ secret, encoded }, before, after) => {
        const out = createRedactor([secret]).text(`${before}${encoded}${after}`);
        expect(out).toContain(REDACTED);
        expect(out).not.toContain(encoded);
        expect(decodeAscii(out)).not.toContain(secret);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it('keeps JSON valid and removes the secret from every string in it, keys included', () => {
    fc.assert(
      fc.property(encodedArb, anyText, anyText, ({ secret, encoded }, before, after) => {
        const body = JSON.stringify({
          content: `${before}${encoded}${after}`,
          embeds: [{ description: encoded, fields: [{ name: 'Reason', value: `${secret}${after}` }] }],
          [encoded]: 1,
        });
        const out = createRedactor([secret]).json(body);
        const parsed = JSON.parse(out) as unknown;
        const strings = JSON.stringify(parsed);
        expect(decodeAscii(strings)).not.toContain(secret);
        expect(out).not.toContain(secret);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('removes a secret cut by a truncation: its start before an ellipsis or at the end of a field', () => {
    const secret = 'whsec_0123456789abcdefABCDEF';
    const r = createRedactor([secret]);
    for (const cut of [8, 9, 20, secret.length - 1]) {
      const start = secret.slice(0, cut);
      expect(r.text(`reason: ${start}…`)).toBe(`reason: ${REDACTED}…`);
      expect(r.text(`reason: ${start}...`)).toBe(`reason: ${REDACTED}...`);
      expect(r.text(`reason: ${encodeURIComponent(start)}%E2%80%A6`)).toBe(`reason: ${REDACTED}%E2%80%A6`);
      expect(r.text(`reason: ${start.replace(/_/g, '\\_')}`)).toBe(`reason: ${REDACTED}`);
      expect(JSON.parse(r.json(JSON.stringify({ a: `x ${start}`, b: [`${start}… more`] })))).toEqual({
        a: `x ${REDACTED}`,
        b: [`${REDACTED}… more`],
      });
    }
    // A cut may also fall inside the next character's escape.
    const escaped = [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    for (let cut = 8 * 6; cut < escaped.length; cut += 1)
      expect(r.text(`${escaped.slice(0, cut)}…`)).toBe(`${REDACTED}…`);
    expect(r.text(`${encodeURIComponent(secret).slice(0, 12)}%`)).toBe(REDACTED);
    // Shorter starts, or a start followed by more text, are ordinary text.
    expect(r.text(`${secret.slice(0, 7)}…`)).toBe(`${secret.slice(0, 7)}…`);
    expect(r.text(`${secret.slice(0, 12)} and more`)).toBe(`${secret.slice(0, 12)} and more`);
  });

  it('leaves text without secrets, short values and missing ones alone; an untouched body keeps its bytes', () => {
    const r = createRedactor([null, undefined, '', 'abc', 'sk-live-0123456789']);
    expect(r.text('abc is a word')).toBe('abc is a word');
    const body = '{"content":"nothing here",  "n": 1.50}';
    expect(r.json(body)).toBe(body);
    expect(r.json('not json sk-live-0123456789')).toBe(`not json ${REDACTED}`);
    expect(createRedactor([]).text('sk-live-0123456789')).toBe('sk-live-0123456789');
  });

  it('replaces a secret that contains another one whole, and every occurrence of each', () => {
    const inner = 'abcdef123456';
    const outer = `Bot.${inner}.zz`;
    const r = createRedactor([inner, outer]);
    expect(r.text(`${outer} / ${inner} / ${encodeURIComponent(outer)}`)).toBe(
      `${REDACTED} / ${REDACTED} / ${REDACTED}`,
    );
  });

  // No wall-clock bound (the machine may be busy): a pattern that backtracks would take far longer
  // than this test's timeout on a megabyte, a linear one takes milliseconds.
  it('handles a megabyte of text in linear time', { timeout: 10_000 }, () => {
    const secret = 'sk-live-0123456789abcdef0123456789';
    const big = `${'a%5c\\u00 '.repeat(120_000)}${secret}`;
    const r = createRedactor([secret, 'whsec_0123456789abcdef']);
    expect(r.text(big).endsWith(REDACTED)).toBe(true);
    // A long run of backslashes (each may start an escape) stays linear too.
    expect(r.text('\\'.repeat(200_000))).toHaveLength(200_000);
  });
});
