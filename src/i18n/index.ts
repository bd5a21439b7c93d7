// The languages the bot speaks and the one way to word a sentence in one of them (i18next underneath).
// Private replies follow the member's Discord `locale`; channel messages follow the server's setting,
// else its `guild_locale` (channelLanguage below). Adding a language: one file like languages/zh-CN.ts
// (its sentences and its command texts) and its line in PACKS; the /mjsettings language choices, the
// command localizations and the parity tests follow from PACKS. Pure: the resources are in memory and
// initialised synchronously.
import i18next from 'i18next';
import { en } from './languages/en.js';
import type { CommandTexts, Messages, Phrase, Translate } from './messages.js';
import { zhCN, zhCNCommands } from './languages/zh-CN.js';

export type { CommandTexts, MessageKey, Messages, Phrase, PlainKey, Translate, VarsOf } from './messages.js';

/**
 * Every language the bot speaks, by Discord locale code: its sentences and (every language but English,
 * the commands' own text) how it names and describes the slash commands. The first is the fallback.
 */
const PACKS = {
  en: { messages: en satisfies Messages },
  'zh-CN': { messages: zhCN, commands: zhCNCommands },
} as const satisfies Record<string, { messages: Messages; commands?: CommandTexts }>;

export type Language = keyof typeof PACKS;
export const DEFAULT_LANGUAGE: Language = 'en';
export const LANGUAGE_CODES = Object.keys(PACKS) as Language[];
/** Language → its messages. */
export const LANGUAGES = Object.fromEntries(LANGUAGE_CODES.map((code) => [code, PACKS[code].messages])) as {
  readonly [L in Language]: (typeof PACKS)[L]['messages'];
};
type Translated = { [L in Language]: (typeof PACKS)[L] extends { commands: CommandTexts } ? L : never }[Language];
/** Language → how it names and describes the slash commands (every language but English). */
export const COMMAND_TEXTS = Object.fromEntries(
  LANGUAGE_CODES.flatMap((code) => {
    const pack = PACKS[code];
    return 'commands' in pack ? [[code, pack.commands]] : [];
  }),
) as { readonly [L in Translated]: CommandTexts };

const i18n = i18next.createInstance();
void i18n.init({
  resources: Object.fromEntries(LANGUAGE_CODES.map((lng) => [lng, { translation: LANGUAGES[lng] }])),
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  initAsync: false,
  // Flat keys: '.' and ':' are part of a key, not paths or namespaces.
  keySeparator: false,
  nsSeparator: false,
  returnNull: false,
  // Discord is not HTML, and values (prompts, API text) must never be read as nesting or placeholders.
  interpolation: { escapeValue: false, skipOnVariables: true },
});

/** True for a code the bot speaks exactly ('zh-CN'; 'zh-TW' is not, see languageOf). */
export function isLanguage(code: string): code is Language {
  return Object.hasOwn(LANGUAGES, code);
}

/**
 * The language for a Discord locale ('en-US', 'zh-CN', 'zh-TW'…): the same code, else one of the same
 * primary language (en-GB → en, zh-TW → zh-CN), else English.
 */
export function languageOf(locale: string | null | undefined): Language {
  return (locale ? knownLanguageOf(locale) : null) ?? DEFAULT_LANGUAGE;
}

/**
 * The language of a server's channel messages: its admins' choice when they made one (an override
 * stored per server), else the server's own preferred locale (Discord's `guild_locale`).
 */
export function channelLanguage(override: string | null | undefined, guildLocale: string | null | undefined): Language {
  return (override ? knownLanguageOf(override) : null) ?? languageOf(guildLocale);
}

/** The language for a locale when the bot speaks it or one of its primary language ('en-US' → en), else null. */
function knownLanguageOf(locale: string): Language | null {
  if (isLanguage(locale)) return locale;
  const primary = locale.split('-')[0]?.toLowerCase() ?? '';
  return LANGUAGE_CODES.find((code) => code.split('-')[0]?.toLowerCase() === primary) ?? null;
}

const translators = new Map<Language, Translate>();

/** The sentence function `t` for a Discord locale (or a Language). */
export function translatorFor(locale: string | null | undefined): Translate {
  const language = languageOf(locale);
  let t = translators.get(language);
  if (!t) {
    const fixed = i18n.getFixedT(language) as unknown as (key: string, options?: object) => string;
    // A sentence without values never changes: worded once per language. Every render of every task
    // asks for its labels again, and each i18next call allocates its options and lookups (at 10,000
    // tasks in flight i18next was the largest source of the bot's garbage).
    const plain = new Map<string, string>();
    t = (key: string, vars?: object) => {
      if (vars !== undefined) return fixed(key, vars);
      let text = plain.get(key);
      if (text === undefined) plain.set(key, (text = fixed(key)));
      return text;
    };
    translators.set(language, t);
  }
  return t;
}

/** A phrase (a key and its values, chosen before the language was known) worded with `t`. */
export function say(t: Translate, phrase: Phrase): string {
  const word = t as unknown as (key: string, vars?: object) => string;
  return 'vars' in phrase ? word(phrase.key, phrase.vars) : word(phrase.key);
}

/** English, the language of everything not said to a particular member or server. */
export const ENGLISH: Translate = translatorFor(DEFAULT_LANGUAGE);
