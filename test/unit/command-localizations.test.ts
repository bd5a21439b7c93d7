// Every command, subcommand, option and choice is named and described in every language, within
// Discord's rules for localized names (lowercase, no spaces, ≤ 32) and descriptions (1–100), and no
// language keeps a text for a path that no longer exists.
import { describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/discord/commands/definitions.js';
import { COMMAND_TEXTS, LANGUAGE_CODES, LANGUAGES as MESSAGES } from '../../src/i18n/index.js';

// https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

interface Named {
  name: string;
  description: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  choices?: Array<{ name: string; value: unknown; name_localizations?: Record<string, string> | null }>;
  options?: Named[];
}

function walk(node: Named, path: string[] = []): Array<{ path: string; node: Named }> {
  const here = [...path, node.name];
  return [{ path: here.join('.'), node }, ...(node.options ?? []).flatMap((o) => walk(o, here))];
}

const all = commandDefinitions.flatMap((c) => walk(c as unknown as Named));
const LANGUAGES = Object.keys(COMMAND_TEXTS) as Array<keyof typeof COMMAND_TEXTS>;

describe.each(LANGUAGES)('slash commands in %s', (code) => {
  it('names and describes every command and option within Discord rules', () => {
    for (const { path, node } of all) {
      const name = node.name_localizations?.[code];
      const description = node.description_localizations?.[code] ?? '';
      expect(name, path).toMatch(NAME);
      expect(name, path).toBe(name?.toLowerCase());
      expect(description.length, path).toBeGreaterThan(0);
      expect(description.length, path).toBeLessThanOrEqual(100);
      for (const choice of node.choices ?? []) {
        const choiceName = choice.name_localizations?.[code] ?? '';
        expect(choiceName.length, `${path}=${String(choice.value)}`).toBeGreaterThan(0);
        expect(choiceName.length, `${path}=${String(choice.value)}`).toBeLessThanOrEqual(100);
      }
    }
  });

  it('keeps no text for a command, option or choice that does not exist', () => {
    const paths = new Set(
      all.flatMap(({ path, node }) => [path, ...(node.choices ?? []).map((c) => `${path}=${String(c.value)}`)]),
    );
    // A shared text (`*.option`) must word an option some command has.
    const tails = new Set([...paths].map((p) => `*.${p.split('.').slice(1).join('.')}`));
    expect(Object.keys(COMMAND_TEXTS[code]).filter((p) => !paths.has(p) && !tails.has(p))).toEqual([]);
  });

  it('words the options several commands share once, the same under each', () => {
    const speeds = ['imagine', 'describe', 'blend'].map(
      (command) => all.find(({ path }) => path === `${command}.speed`)?.node,
    );
    for (const node of speeds) {
      expect(node?.name_localizations?.[code]).toBe((COMMAND_TEXTS[code]['*.speed'] as readonly string[])[0]);
      expect(node?.choices?.map((c) => c.name_localizations?.[code])).toEqual(
        ['fast', 'relax', 'turbo'].map((v) => COMMAND_TEXTS[code][`*.speed=${v}`]),
      );
    }
  });

  it('gives sibling commands and options distinct names', () => {
    const top = commandDefinitions.map((c) => c.name_localizations?.[code]);
    expect(new Set(top).size).toBe(top.length);
    for (const { path, node } of all) {
      const names = (node.options ?? []).map((o) => o.name_localizations?.[code]);
      expect(new Set(names).size, path).toBe(names.length);
    }
  });
});

describe('the /mjsettings language choices', () => {
  it("offer the server's language and every language the bot speaks, each named in its own words everywhere", () => {
    const value = all.find(({ path }) => path === 'mjsettings.language.value')?.node;
    expect(value?.choices?.map((c) => c.value)).toEqual(['server', ...LANGUAGE_CODES]);
    for (const code of LANGUAGE_CODES) {
      const choice = value?.choices?.find((c) => c.value === code);
      const ownName = MESSAGES[code]['language.name'];
      expect(choice?.name).toBe(ownName);
      expect(Object.values(choice?.name_localizations ?? {})).toEqual(Object.keys(COMMAND_TEXTS).map(() => ownName));
    }
  });
});
