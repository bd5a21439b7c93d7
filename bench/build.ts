// Compiles the side process (bench/side.ts and what it imports from src/ and test/support/mj) to plain
// JavaScript in a temp folder, so a side runs the way `npm start` runs the bot: node on compiled JS.
// Under tsx the same process holds ~30 MB more (the loader and its transpile caches), which would be
// charged to the tracker's RSS. Type checking is `npx tsc --noEmit -p .`'s job, so this only emits.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Compiles into `dir` (the caller removes it) and returns the compiled bench/side.js. */
export function buildSide(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [
    tsc,
    join(repoRoot, 'bench', 'side.ts'),
    '--outDir',
    dir,
    '--rootDir',
    repoRoot,
    '--module',
    'NodeNext',
    '--moduleResolution',
    'NodeNext',
    '--target',
    'ES2022',
    '--verbatimModuleSyntax',
    '--resolveJsonModule',
    '--skipLibCheck',
    '--noCheck',
  ];
  try {
    execFileSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    // ESM like the repo, and packages resolved from the repo's node_modules.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch (err) {
    const out = err && typeof err === 'object' && 'stdout' in err ? String(err.stdout) : '';
    throw new Error(`compiling bench/side.ts failed:\n${out || String(err)}`);
  }
  return join(dir, 'bench', 'side.js');
}
