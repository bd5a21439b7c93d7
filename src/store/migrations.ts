// Versioned schema changes. `PRAGMA user_version` holds how many of these a database has applied;
// each runs in its own transaction, so a failure leaves the database at the previous version.
// Append only: never edit or reorder a migration that has shipped.
import type { Database } from 'better-sqlite3';
import { MIGRATIONS_SINCE_11 } from './migrations-since-11.js';

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
  {
    version: 5,
    description: 'server rules (/mjsettings), their audit trail, and the usage log with daily counters',
    up(db) {
      db.exec(`
        -- Lists are JSON arrays of ids; an empty list means no restriction. NULL quota/budget: no limit.
        ALTER TABLE guild_settings ADD COLUMN allowed_channel_ids TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE guild_settings ADD COLUMN start_role_ids      TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE guild_settings ADD COLUMN click_role_ids      TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE guild_settings ADD COLUMN member_daily_quota  INTEGER;
        ALTER TABLE guild_settings ADD COLUMN server_daily_budget INTEGER;
        ALTER TABLE guild_settings ADD COLUMN default_speed       TEXT;
        ALTER TABLE guild_settings ADD COLUMN channel_locale      TEXT;
        CREATE TABLE guild_settings_audit (
          id        INTEGER PRIMARY KEY AUTOINCREMENT,
          guild_id  TEXT NOT NULL,
          user_id   TEXT,
          at        INTEGER NOT NULL,
          setting   TEXT NOT NULL,
          old_value TEXT,
          new_value TEXT
        );
        CREATE INDEX guild_settings_audit_guild ON guild_settings_audit (guild_id, at);
        -- One row per paid submit or refusal; day is the UTC day of at ('YYYY-MM-DD').
        CREATE TABLE usage_log (
          id       INTEGER PRIMARY KEY AUTOINCREMENT,
          guild_id TEXT NOT NULL,
          user_id  TEXT NOT NULL,
          at       INTEGER NOT NULL,
          day      TEXT NOT NULL,
          action   TEXT NOT NULL,
          outcome  TEXT NOT NULL,
          rule     TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX usage_log_at ON usage_log (at);
        CREATE INDEX usage_log_member ON usage_log (guild_id, user_id, at);
        -- The same events counted per day: quotas and /mjusage read these, never the log.
        CREATE TABLE usage_daily (
          guild_id TEXT NOT NULL,
          day      TEXT NOT NULL,
          user_id  TEXT NOT NULL,
          action   TEXT NOT NULL,
          outcome  TEXT NOT NULL,
          rule     TEXT NOT NULL DEFAULT '',
          n        INTEGER NOT NULL,
          PRIMARY KEY (guild_id, day, user_id, action, outcome, rule)
        ) WITHOUT ROWID;
      `);
    },
  },
  {
    version: 6,
    description: "task owners keep the task's prompt: /mjtask suggests a member's own recent tasks",
    up(db) {
      db.exec(`
        -- NULL: recorded before this version, or the prompt is not known.
        ALTER TABLE task_owners ADD COLUMN prompt TEXT;
        CREATE INDEX task_owners_member ON task_owners (user_id, guild_id, created_at);
      `);
    },
  },
  {
    version: 7,
    description: 'tracked tasks keep the language of their channel messages, fixed when following starts',
    up(db) {
      db.exec(`
        -- A language code (src/i18n); NULL: followed before this version, shown in English.
        ALTER TABLE tracked_tasks ADD COLUMN locale TEXT;
      `);
    },
  },
  {
    version: 8,
    description: 'leases on tracked tasks: which instance follows each active task (owner, expiry, epoch)',
    up(db) {
      db.exec(`
        -- lease_owner NULL: nobody holds it (released at a clean stop, or followed before this version).
        ALTER TABLE tracked_tasks ADD COLUMN lease_owner TEXT;
        ALTER TABLE tracked_tasks ADD COLUMN lease_expires_at INTEGER;
        -- Grows on every claim: the fencing token the owner's writes and its result carry.
        ALTER TABLE tracked_tasks ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX tracked_tasks_lease ON tracked_tasks (lease_owner, phase);
      `);
    },
  },
  {
    version: 9,
    description: "tracked tasks keep the customId the click that started them submitted (an upscale's Image #N)",
    up(db) {
      db.exec(`
        -- NULL: not started by a click, or followed before this version.
        ALTER TABLE tracked_tasks ADD COLUMN submitted_custom_id TEXT;
      `);
    },
  },
  {
    version: 10,
    description: "usage reservations: a paid submit in flight holds its place in the day's quota and budget",
    up(db) {
      db.exec(`
        -- One row per submit between its check and the API's answer (then it becomes usage, or nothing);
        -- day is the UTC day of at; a row left by a crash stops counting at expires_at.
        CREATE TABLE usage_reservations (
          id         INTEGER PRIMARY KEY AUTOINCREMENT,
          guild_id   TEXT NOT NULL,
          user_id    TEXT NOT NULL,
          day        TEXT NOT NULL,
          at         INTEGER NOT NULL,
          expires_at INTEGER NOT NULL
        );
        CREATE INDEX usage_reservations_day ON usage_reservations (guild_id, day, user_id);
        CREATE INDEX usage_reservations_expiry ON usage_reservations (expires_at);
      `);
    },
  },
  ...MIGRATIONS_SINCE_11,
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
