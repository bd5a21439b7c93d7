// The types every language file and every sentence function share, derived from the English file:
// MessageKey is a sentence's key (plural forms folded into one key), VarsOf<K> its placeholders, so
// `t('refusal.not_requester', { requesterId })` compiles and a missing or misspelt placeholder does not.
import type { en } from './languages/en.js';

type English = typeof en;
type PluralSuffix = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type BaseOf<K> = K extends `${infer B}_${PluralSuffix}` ? B : K;

/** Keys with plural forms (`<key>_one`, `<key>_other`, …): called with `count`. */
export type PluralKey = { [K in keyof English]: K extends `${infer B}_${PluralSuffix}` ? B : never }[keyof English];
export type MessageKey = BaseOf<keyof English>;

type Placeholders<S> = S extends `${string}{{${infer V}}}${infer Rest}` ? V | Placeholders<Rest> : never;
type EnglishText<K extends MessageKey> = K extends keyof English ? English[K] : English[`${K}_other` & keyof English];
export type VarsOf<K extends MessageKey> = Placeholders<EnglishText<K>>;
export type VarValue = string | number;
/** Keys of sentences without placeholders (said with `t(key)` alone). */
export type PlainKey = { [K in MessageKey]: [VarsOf<K>] extends [never] ? K : never }[MessageKey];

/** Looks a sentence up in one language and fills its placeholders (values are inserted verbatim). */
export type Translate = <K extends MessageKey>(
  key: K,
  ...vars: [VarsOf<K>] extends [never] ? [] : [vars: { [V in VarsOf<K>]: VarValue }]
) => string;

/**
 * A language file: every key, each plural key at least with `_other` (the other forms its language's
 * plural rules need are checked by the parity test).
 */
export type Messages = { readonly [K in Exclude<MessageKey, PluralKey>]: string } & {
  readonly [K in PluralKey as `${K}_other`]: string;
} & { readonly [K in PluralKey as `${K}_${Exclude<PluralSuffix, 'other'>}`]?: string };

/** A sentence named but not yet worded: a key and its placeholders, resolved when a language is known. */
export type Phrase = {
  [K in MessageKey]: [VarsOf<K>] extends [never] ? { key: K } : { key: K; vars: { [V in VarsOf<K>]: VarValue } };
}[MessageKey];

/**
 * A language's slash commands (Discord's localizations): by path (`command.subcommand.option`) its
 * [name, description]; by `path=value` a choice's name. English is the definitions' own text.
 */
export type CommandTexts = Readonly<Record<string, readonly [name: string, description: string] | string>>;
