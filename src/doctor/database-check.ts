// Check 8: the SQLite file. Its folder must exist or be creatable, and a write must succeed; the
// write is rolled back, and a file or folders this check created are removed, so the doctor changes nothing.
import { existsSync, mkdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../store/migrations.js';
import { fail, ok, warn, type CheckResult } from './types.js';

const NAME = 'Database';

function errCode(err: unknown): string {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : 'error';
}

/** The nearest existing ancestor of `path` (or `path` itself). */
function nearestExisting(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

/** Creates `folder` if needed; returns the problem, or the first folder it created (to remove later). */
function prepareFolder(folder: string): { problem: CheckResult } | { created: string | undefined } {
  const existing = nearestExisting(folder);
  if (!statSync(existing).isDirectory()) {
    return {
      problem: fail(
        NAME,
        `${existing} is a file, so the folder ${folder} cannot exist`,
        'set DATABASE_PATH to a path inside a folder, or move that file away',
      ),
    };
  }
  try {
    return { created: mkdirSync(folder, { recursive: true }) };
  } catch (err) {
    const fix =
      'create it yourself, make its parent writable by the user running the bot, or choose another DATABASE_PATH';
    return { problem: fail(NAME, `cannot create the folder ${folder} (${errCode(err)})`, fix) };
  }
}

/** Removes `folder` and its parents up to and including `top`, each only if empty. */
function removeCreatedFolders(folder: string, top: string): void {
  for (let current = folder; current.startsWith(top); current = dirname(current)) {
    try {
      rmdirSync(current);
    } catch {
      return;
    }
    if (current === top) return;
  }
}

const WRITE_FIX: Record<string, string> = {
  SQLITE_READONLY: 'make the file and its folder writable by the user running the bot',
  SQLITE_CANTOPEN: 'make the folder writable by the user running the bot, or choose another DATABASE_PATH',
  SQLITE_BUSY: 'another program holds the database (a running bot writing right now?); try again',
  SQLITE_NOTADB: 'this file is not a SQLite database: point DATABASE_PATH elsewhere or move the file away',
  SQLITE_CORRUPT: 'the database is damaged: restore a backup or move it away (tracked tasks are then forgotten)',
};

export function checkDatabase(databasePath: string): CheckResult {
  if (databasePath === ':memory:') {
    return warn(
      NAME,
      'DATABASE_PATH is :memory:, so tracked tasks are forgotten at every restart',
      'set DATABASE_PATH to a file, e.g. ./data/mjtask-bot.sqlite',
    );
  }
  const file = resolve(databasePath);
  const folder = prepareFolder(dirname(file));
  if ('problem' in folder) return folder.problem;
  try {
    return probeFile(file);
  } finally {
    if (folder.created) removeCreatedFolders(dirname(file), folder.created);
  }
}

function probeFile(file: string): CheckResult {
  const existed = existsSync(file);
  if (existed && statSync(file).isDirectory()) {
    return fail(
      NAME,
      `${file} is a folder, not a database file`,
      'set DATABASE_PATH to a file inside that folder, e.g. ./data/mjtask-bot.sqlite',
    );
  }

  let db: Database.Database | null = null;
  let version = 0;
  try {
    db = new Database(file, { timeout: 2000 });
    version = db.pragma('user_version', { simple: true }) as number;
    // IMMEDIATE takes the write lock at once: a read-only file or folder fails here, not later.
    db.exec('BEGIN IMMEDIATE');
    db.exec('CREATE TABLE doctor_write_probe (x INTEGER)');
    db.exec('ROLLBACK');
  } catch (err) {
    const code = errCode(err);
    return fail(
      NAME,
      `cannot write ${file} (${code})`,
      WRITE_FIX[code] ?? 'make the file and its folder writable, or choose another DATABASE_PATH',
    );
  } finally {
    db?.close();
    if (!existed) for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  }

  const known = MIGRATIONS.length;
  if (version > known) {
    return fail(
      NAME,
      `${file} has schema version ${version}, newer than this bot knows (${known})`,
      'run the newer bot version that wrote it, or point DATABASE_PATH elsewhere',
    );
  }
  const state = existed
    ? `schema version ${version} of ${known}${version < known ? ', migrated at the next start' : ''}`
    : 'new: the bot creates it at its first start';
  return ok(NAME, `${file} is writable (${state})`);
}
