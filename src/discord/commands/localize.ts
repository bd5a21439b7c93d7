// Fills a command definition's name_localizations / description_localizations (and its choices') from
// every language's command texts (src/i18n, by path: `command.subcommand.option`, `path=value`, or
// `*.option` for an option several commands share), so
// the definitions stay plain English and a member's client lists the commands in their language.
// A path with no text in a language stays English there (test/unit/command-localizations.test.ts
// fails on it).
import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { COMMAND_TEXTS, type CommandTexts } from '../../i18n/index.js';

interface Node {
  name: string;
  description?: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  choices?: Array<{ name: string; value: unknown; name_localizations?: Record<string, string> | null }>;
  options?: Node[];
}

const LANGUAGES: Array<[string, CommandTexts]> = Object.entries(COMMAND_TEXTS);

/**
 * A path's text in one language: its own, else the shared text of an option of that name under any
 * command (`*.speed`, `*.speed=fast`), so options that several commands share are worded once.
 */
export function commandTextOf(texts: CommandTexts, path: string): CommandTexts[string] | undefined {
  const own = texts[path];
  if (own !== undefined) return own;
  const parts = path.split('.');
  return parts.length > 1 ? texts[`*.${parts.slice(1).join('.')}`] : undefined;
}

function localizeNode(node: Node, parent: string): Node {
  const path = parent === '' ? node.name : `${parent}.${node.name}`;
  const names: Record<string, string> = {};
  const descriptions: Record<string, string> = {};
  for (const [code, texts] of LANGUAGES) {
    const text = commandTextOf(texts, path);
    if (text !== undefined && typeof text !== 'string') {
      names[code] = text[0];
      descriptions[code] = text[1];
    }
  }
  const out: Node = { ...node, name_localizations: names, description_localizations: descriptions };
  if (node.choices)
    out.choices = node.choices.map((choice) => {
      const localized: Record<string, string> = {};
      for (const [code, texts] of LANGUAGES) {
        const text = commandTextOf(texts, `${path}=${String(choice.value)}`);
        if (typeof text === 'string') localized[code] = text;
      }
      // A choice that brings its own (a language named in its own words) keeps them.
      return { ...choice, name_localizations: { ...choice.name_localizations, ...localized } };
    });
  if (node.options) out.options = node.options.map((o) => localizeNode(o, path));
  return out;
}

export function localizeCommand(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return localizeNode(definition as unknown as Node, '') as unknown as RESTPostAPIChatInputApplicationCommandsJSONBody;
}
