// Versioned schema changes. `PRAGMA user_version` holds how many of these a database has applied;
// each runs in its own transaction, so a failure leaves the database at the previous version.
// Append only: never edit or reorder a migration that has shipped.
import type { Database } from 'better-sqlite3';

export interface Migration {
  /** 1-based; equals the list position. */
  version: number;
  description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'tracked tasks',
    up(db) {
      db.exec(`
        CREATE TABLE tracked_tasks (
          task_id           TEXT PRIMARY KEY,
          guild_id          TEXT,
          channel_id        TEXT NOT NULL,
          message_id        TEXT,
          requester_id      TEXT,
          origin            TEXT NOT NULL,
          started_at        INTEGER NOT NULL,
          last_status       TEXT NOT NULL DEFAULT '',
          last_progress     TEXT NOT NULL DEFAULT '',
          last_push_at      INTEGER,
          last_render_hash  TEXT,
          result_message_id TEXT,
          phase             TEXT NOT NULL DEFAULT 'active',
          created_at        INTEGER NOT NULL,
          updated_at        INTEGER NOT NULL
        );
        CREATE INDEX tracked_tasks_phase ON tracked_tasks (phase);
      `);
    },
  },
  {
    version: 2,
    description: 'guild settings',
    up(db) {
      db.exec(`
        CREATE TABLE guild_settings (
          guild_id           TEXT PRIMARY KEY,
          updates_channel_id TEXT,
          updated_by         TEXT,
          updated_at         INTEGER NOT NULL
        );
      `);
    },
  },
  {
    version: 3,
    description: 'click log (used buttons and per-member submits)',
    up(db) {
      db.exec(`
        CREATE TABLE clicks (
          id                INTEGER PRIMARY KEY AUTOINCREMENT,
          message_id        TEXT,
          custom_id         TEXT NOT NULL,
          user_id           TEXT NOT NULL,
          at                INTEGER NOT NULL,
          state             TEXT NOT NULL DEFAULT 'pending',
          child_task_id     TEXT,
          follow_channel_id TEXT,
          follow_message_id TEXT
        );
        CREATE INDEX clicks_button ON clicks (message_id, custom_id, at);
        CREATE INDEX clicks_user ON clicks (user_id, at);
      `);
    },
  },
  {
    version: 4,
    description: 'task owners (who started each task) and banned prompts per member',
    up(db) {
      db.exec(`
        -- user_id NULL: the task was checked and carries no state this bot signed (started outside it).
        CREATE TABLE task_owners (
          task_id    TEXT PRIMARY KEY,
          guild_id   TEXT,
          user_id    TEXT,
          created_at INTEGER NOT NULL
        );
        CREATE TABLE banned_prompts (
          id       INTEGER PRIMARY KEY AUTOINCREMENT,
          user_id  TEXT NOT NULL,
          guild_id TEXT,
          at       INTEGER NOT NULL
        );
        CREATE INDEX banned_prompts_user ON banned_prompts (user_id, at);
      `);
    },
  },
];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the migrations above the database's version, up to `target` (default: all). Throws when
 * the database is newer than this code knows (a downgrade would silently lose data).
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
  target = migrations.length,
): number {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `The database schema is version ${current}, newer than this bot knows (${migrations.length}). Use a newer bot version.`,
    );
  }
  for (const migration of migrations.slice(current, target)) {
    db.transaction(() => {
      migration.up(db);
      // user_version cannot take a bound parameter; the value is our own integer.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    })();
  }
  return schemaVersion(db);
}
