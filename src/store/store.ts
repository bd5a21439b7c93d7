// openStore(path): the bot's SQLite database (better-sqlite3, synchronous). One file, WAL mode,
// migrated on open; every repository prepares its statements once.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock.js';
import { createBannedPromptLog, type BannedPromptLog } from './banned-prompts.js';
import { createClickStore, type ClickStore } from './clicks.js';
import { createGuildSettingsRepo, type GuildSettingsRepo } from './guild-settings.js';
import { migrate, schemaVersion } from './migrations.js';
import { createTaskOwnerRepo, type TaskOwnerRepo } from './task-owners.js';
import { createTrackedTaskRepo, type TrackedTaskRepo } from './tracked-tasks.js';

export interface Store {
  readonly tracked: TrackedTaskRepo;
  readonly settings: GuildSettingsRepo;
  readonly clicks: ClickStore;
  /** Who started each task the bot submitted. */
  readonly owners: TaskOwnerRepo;
  /** Banned prompts per member, for the pause. */
  readonly bannedPrompts: BannedPromptLog;
  /** Applied schema version (PRAGMA user_version). */
  schemaVersion(): number;
  /** Closes the database; safe to call twice. */
  close(): void;
}

export interface StoreOptions {
  /** Source of created/updated times; defaults to the system clock. */
  clock?: Clock;
}

/** Opens (creating the folder and file if needed) and migrates the database. ':memory:' is allowed. */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // WAL: readers never block the writer, and a crash loses at most the last transaction.
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  const clock = options.clock ?? systemClock;
  let open = true;
  return {
    tracked: createTrackedTaskRepo(db, clock),
    settings: createGuildSettingsRepo(db, clock),
    clicks: createClickStore(db),
    owners: createTaskOwnerRepo(db, clock),
    bannedPrompts: createBannedPromptLog(db),
    schemaVersion: () => schemaVersion(db),
    close() {
      if (!open) return;
      open = false;
      db.close();
    },
  };
}
