// "Adding a third language is one file" (README, Languages): a language's file and its line in PACKS
// (src/i18n/index.ts) are the only places that name it. Everything else (the /mjsettings language
// choices, the command localizations, the parity tests) reads LANGUAGE_CODES, so a source file that
// names a language the bot speaks, other than English (the fallback), fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE, LANGUAGE_CODES } from '../../src/i18n/index.js';

const SRC = join(import.meta.dirname, '../../src');
const I18N = join(SRC, 'i18n');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === I18N ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('a language is named in its own file and in PACKS only', () => {
  it.each(LANGUAGE_CODES.filter((code) => code !== DEFAULT_LANGUAGE))('%s', (code) => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(50);
    const naming = files.filter((file) => readFileSync(file, 'utf8').includes(`'${code}'`));
    expect(naming.map((file) => relative(SRC, file))).toEqual([]);
    const index = readFileSync(join(I18N, 'index.ts'), 'utf8');
    expect(index).toContain(`'${code}': { messages:`);
  });
});
