// Every language says every sentence, with the same placeholders, in the plural forms its own rules
// need: a key, a {{placeholder}} or a plural form missing in one language fails here (and in tsc).
import { describe, expect, it } from 'vitest';
import { LANGUAGES, LANGUAGE_CODES, languageOf, channelLanguage, translatorFor } from '../../src/i18n/index.js';

const PLURAL = /_(zero|one|two|few|many|other)$/;

type Entries = Readonly<Record<string, string>>;

/** base key → plural forms present ('' for a key without plural forms). */
function shape(messages: Entries): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const key of Object.keys(messages)) {
    const m = PLURAL.exec(key);
    const base = m ? key.slice(0, m.index) : key;
    const forms = out.get(base) ?? new Set<string>();
    forms.add(m?.[1] ?? '');
    out.set(base, forms);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)].map((m) => m[1] ?? ''))].sort();
}

const english = LANGUAGES.en as Entries;
const englishShape = shape(english);

describe.each(LANGUAGE_CODES)('language %s', (code) => {
  const messages = LANGUAGES[code] as Entries;
  const own = shape(messages);

  it('has exactly the keys English has', () => {
    expect([...own.keys()].sort()).toEqual([...englishShape.keys()].sort());
  });

  it('has exactly the plural forms its plural rules use, for every plural key', () => {
    const categories = new Intl.PluralRules(code).resolvedOptions().pluralCategories.slice().sort();
    for (const [base, forms] of englishShape) {
      if (forms.has('')) continue;
      expect([...(own.get(base) ?? [])].sort(), base).toEqual(categories);
    }
  });

  it('uses the same placeholders as English in every sentence', () => {
    for (const [key, text] of Object.entries(messages)) {
      const m = PLURAL.exec(key);
      const englishKey = m ? `${key.slice(0, m.index)}_other` : key;
      expect(placeholders(text), key).toEqual(placeholders(english[englishKey] ?? ''));
    }
  });

  it('leaves no sentence empty', () => {
    for (const [key, text] of Object.entries(messages)) expect(text.trim(), key).not.toBe('');
  });
});

describe('locale resolution', () => {
  it("maps Discord's locales to a language: exact, same primary language, else English", () => {
    expect(languageOf('zh-CN')).toBe('zh-CN');
    expect(languageOf('zh-TW')).toBe('zh-CN');
    expect(languageOf('en-US')).toBe('en');
    expect(languageOf('en-GB')).toBe('en');
    expect(languageOf('fr')).toBe('en');
    expect(languageOf(undefined)).toBe('en');
  });

  it("channel messages follow the server's setting, else its guild_locale", () => {
    expect(channelLanguage(null, 'zh-CN')).toBe('zh-CN');
    expect(channelLanguage('zh-CN', 'en-US')).toBe('zh-CN');
    expect(channelLanguage('en', 'zh-CN')).toBe('en');
    // /mjsettings stores Discord's locale codes: en-US is English, whatever the server's own locale.
    expect(channelLanguage('en-US', 'zh-CN')).toBe('en');
    expect(channelLanguage('klingon', 'zh-CN')).toBe('zh-CN');
    expect(channelLanguage(null, null)).toBe('en');
  });

  it('fills placeholders verbatim: no HTML escaping, no nesting or interpolation inside values', () => {
    const t = translatorFor('zh-CN');
    const prompt = '<b>&\'"{{count}} $t(unit.second) `x`';
    expect(t('refusal.custom_zoom_prompt', { prompt })).toContain(prompt);
    expect(t('unit.second', { count: 5 })).toBe('5 秒');
    expect(translatorFor('en')('unit.second', { count: 1 })).toBe('1 second');
    expect(translatorFor('en')('unit.second', { count: 2 })).toBe('2 seconds');
  });
});
