import { describe, expect, it } from 'vitest';
import { isUnicodeEmoji, toButtonEmoji } from '../../src/render/emoji.js';
import { codePointLength, cutAt, oneLine, safeHttpUrl, truncate, wellFormed } from '../../src/render/limits.js';
import { validateMessagePayload } from '../support/discord-limits.js';

const hasLoneSurrogate = (s: string): boolean =>
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('truncate', () => {
  it('keeps text that fits and marks a cut with an ellipsis', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 8)).toBe('hello w…');
    expect(truncate('hello world', 8)).toHaveLength(8);
    expect(truncate('abc', 0)).toBe('');
    expect(truncate('abc', 1)).toBe('a');
  });

  it('never splits a surrogate pair', () => {
    const emojis = '😀'.repeat(10); // 20 UTF-16 units
    for (let max = 0; max <= 21; max++) {
      const out = truncate(emojis, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(out)).toBe(false);
      const cut = cutAt(emojis, max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(cut)).toBe(false);
    }
    expect(truncate(emojis, 6)).toBe('😀😀…');
  });

  it('fits under both readings of "characters" (code points and UTF-16 units)', () => {
    const mixed = '猫🐱'.repeat(100);
    const out = truncate(mixed, 50);
    expect(out.length).toBeLessThanOrEqual(50);
    expect(codePointLength(out)).toBeLessThanOrEqual(50);
  });

  it('drops a dangling joiner before the ellipsis', () => {
    const family = '👨\u200d👩\u200d👧\u200d👦'.repeat(5);
    for (let max = 2; max < family.length; max++) {
      const out = truncate(family, max);
      expect(out).not.toMatch(/\u200d…$/u);
      expect(hasLoneSurrogate(out)).toBe(false);
    }
  });

  it('repairs broken UTF-16 so the payload encodes', () => {
    expect(wellFormed('a\ud83db')).toBe('a\ufffdb');
    expect(wellFormed('\ude00x😀')).toBe('\ufffdx😀');
    expect(truncate('ok\ud83d', 10)).toBe('ok\ufffd');
  });

  it('counts code points', () => {
    expect(codePointLength('a😀猫')).toBe(3);
    expect(oneLine('  a\n\tb   c ')).toBe('a b c');
  });
});

describe('safeHttpUrl', () => {
  it('accepts http(s) only', () => {
    expect(safeHttpUrl('https://cdn.discordapp.com/a.png?ex=1&is=2', 512)).toBe(
      'https://cdn.discordapp.com/a.png?ex=1&is=2',
    );
    expect(safeHttpUrl(' http://example.com/x ', 512)).toBe('http://example.com/x');
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:image/png;base64,AAAA',
      'ftp://x/y',
      '/relative.png',
      'https://',
      'not a url',
      '',
      null,
      undefined,
    ]) {
      expect(safeHttpUrl(bad, 512)).toBeNull();
    }
  });

  it('refuses URLs over the limit', () => {
    const long = 'https://example.com/' + 'a'.repeat(600);
    expect(safeHttpUrl(long, 512)).toBeNull();
    expect(safeHttpUrl(long, 2048)).toBe(long);
  });
});

describe('button emoji', () => {
  it('keeps real unicode emoji, including multi-code-point ones', () => {
    for (const e of [
      '🔄',
      '🪄',
      '🖌️',
      '🔍',
      '⬅️',
      '➡️',
      '⬆️',
      '⬇️',
      '🎞️',
      '❤️',
      '🎉',
      '1️⃣',
      '4️⃣',
      '#️⃣',
      '🇯🇵',
      '🇺🇳',
      '👨‍👩‍👧‍👦',
      '🏳️‍🌈',
      '👍🏽',
      '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
      '↗️',
      '⏫',
    ]) {
      expect(isUnicodeEmoji(e), e).toBe(true);
      expect(toButtonEmoji(e)).toEqual({ name: e });
    }
  });

  it("maps MJ's custom emoji names and drops everything else", () => {
    expect(toButtonEmoji('upscale_1')).toEqual({ name: '⏫' });
    expect(toButtonEmoji(':upscale_1:')).toEqual({ name: '⏫' });
    expect(toButtonEmoji('<:upscale_1:940147353879478324>')).toEqual({ name: '⏫' });
    for (const bad of [
      'upscale_9',
      ':x:',
      ':heart:',
      'heart',
      'U1',
      '4',
      '#',
      'ὐ4',
      '\u1F504',
      '🔄🔄',
      '🔄 ',
      ' ',
      '',
      '🏻',
      '\u200d',
      'a🔄',
      '🔄\u200d🔄\u200d🔄\u200d🔄\u200d🔄',
      null,
      undefined,
    ]) {
      const out = toButtonEmoji(bad);
      if (bad === '🔄 ') expect(out).toEqual({ name: '🔄' });
      else expect(out, String(bad)).toBeNull();
    }
  });

  it('agrees with the independent validator', () => {
    const names = ['🔄', '1️⃣', '🇯🇵', '👨‍👩‍👧‍👦', 'upscale_1', ':x:', 'ὐ4', 'abc', '⏫'];
    for (const name of names) {
      const button = { type: 2, style: 2, custom_id: 'MJ::x', emoji: { name } };
      const problems = validateMessagePayload({ components: [{ type: 1, components: [button] }] });
      expect(problems.length === 0, name).toBe(isUnicodeEmoji(name));
    }
  });
});
