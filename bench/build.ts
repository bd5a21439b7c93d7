// Compiles the bot (src/main.ts, what `npm start` runs) and the naive side (bench/side.ts) to plain
// JavaScript in a temp folder, so both run the way `npm start` runs the bot: node on compiled JS.
// Under tsx the same process holds ~30 MB more (the loader and its transpile caches), which would be
// charged to the measured RSS. Type checking is `npx tsc --noEmit -p .`'s job, so this only emits.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface BuiltPrograms {
  /** The compiled src/main.ts: the bot as `npm start` runs it. */
  bot: string;
  /** The compiled bench/side.ts: the naive poller's process. */
  side: string;
}

/** Compiles into `dir` (the caller removes it) and returns where the two programs are. */
export function buildPrograms(dir: string): BuiltPrograms {
  mkdirSync(dir, { recursive: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [
    tsc,
    join(repoRoot, 'bench', 'side.ts'),
    join(repoRoot, 'src', 'main.ts'),
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
    throw new Error(`compiling the bot and bench/side.ts failed:\n${out || String(err)}`);
  }
  return { bot: join(dir, 'src', 'main.js'), side: join(dir, 'bench', 'side.js') };
}

/**
 * The same programs from source under tsx, with no compile step: for the smoke test, where start-up
 * time matters and memory is not measured (the loader adds ~30 MB to every process).
 */
export function sourcePrograms(): BuiltPrograms & { execArgv: string[] } {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return {
    bot: join(repoRoot, 'src', 'main.ts'),
    side: join(repoRoot, 'bench', 'side.ts'),
    execArgv: ['--import', loader],
  };
}
