// The PostgreSQL schema, versioned like the SQLite one (src/store/migrations.ts): migration N here
// makes what SQLite's migration N makes, so both backends are at the same version with the same
// tables. schema_version holds one row per applied migration. Instances starting together migrate
// one at a time: each takes the same session advisory lock first, and the next one finds the work done.
// Append only: never edit or reorder a migration that has shipped.
import { sql, type Kysely } from 'kysely';
import { ddl, PG_MIGRATIONS_SINCE_11 } from './migrations-since-11.js';
import type { PgSchema } from './schema.js';

export interface PgMigration {
  /** 1-based; equals the list position and SQLite's migration of the same number. */
  version: number;
  description: string;
  up(db: Kysely<PgSchema>): Promise<void>;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'tracked tasks',
    up: (db) =>
      ddl(
        db,
        `CREATE TABLE tracked_tasks (
          task_id           TEXT PRIMARY KEY,
          guild_id          TEXT,
          channel_id        TEXT NOT NULL,
          message_id        TEXT,
          requester_id      TEXT,
          origin            TEXT NOT NULL,
          started_at        BIGINT NOT NULL,
          last_status       TEXT NOT NULL DEFAULT '',
          last_progress     TEXT NOT NULL DEFAULT '',
          last_push_at      BIGINT,
          last_render_hash  TEXT,
          result_message_id TEXT,
          phase             TEXT NOT NULL DEFAULT 'active',
          created_at        BIGINT NOT NULL,
          updated_at        BIGINT NOT NULL
        );
        CREATE INDEX tracked_tasks_phase ON tracked_tasks (phase)`,
      ),
  },
  {
    version: 2,
    description: 'guild settings',
    up: (db) =>
      ddl(
        db,
        `CREATE TABLE guild_settings (
          guild_id           TEXT PRIMARY KEY,
          updates_channel_id TEXT,
          updated_by         TEXT,
          updated_at         BIGINT NOT NULL
        )`,
      ),
  },
  {
    version: 3,
    description: 'click log (used buttons and per-member submits)',
    up: (db) =>
      ddl(
        db,
        `CREATE TABLE clicks (
          id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          message_id        TEXT,
          custom_id         TEXT NOT NULL,
          user_id           TEXT NOT NULL,
          at                BIGINT NOT NULL,
          state             TEXT NOT NULL DEFAULT 'pending',
          child_task_id     TEXT,
          follow_channel_id TEXT,
          follow_message_id TEXT
        );
        CREATE INDEX clicks_button ON clicks (message_id, custom_id, at);
        CREATE INDEX clicks_user ON clicks (user_id, at)`,
      ),
  },
  {
    version: 4,
    description: 'task owners (who started each task) and banned prompts per member',
    up: (db) =>
      ddl(
        db,
        `CREATE TABLE task_owners (
          task_id    TEXT PRIMARY KEY,
          guild_id   TEXT,
          user_id    TEXT,
          created_at BIGINT NOT NULL,
          seq        BIGINT GENERATED ALWAYS AS IDENTITY
        );
        CREATE TABLE banned_prompts (
          id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          user_id  TEXT NOT NULL,
          guild_id TEXT,
          at       BIGINT NOT NULL
        );
        CREATE INDEX banned_prompts_user ON banned_prompts (user_id, at)`,
      ),
  },
  {
    version: 5,
    description: 'server rules (/mjsettings), their audit trail, and the usage log with daily counters',
    up: (db) =>
      ddl(
        db,
        `ALTER TABLE guild_settings ADD COLUMN allowed_channel_ids TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE guild_settings ADD COLUMN start_role_ids      TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE guild_settings ADD COLUMN click_role_ids      TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE guild_settings ADD COLUMN member_daily_quota  INTEGER;
        ALTER TABLE guild_settings ADD COLUMN server_daily_budget INTEGER;
        ALTER TABLE guild_settings ADD COLUMN default_speed       TEXT;
        ALTER TABLE guild_settings ADD COLUMN channel_locale      TEXT;
        CREATE TABLE guild_settings_audit (
          id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          guild_id  TEXT NOT NULL,
          user_id   TEXT,
          at        BIGINT NOT NULL,
          setting   TEXT NOT NULL,
          old_value TEXT,
          new_value TEXT
        );
        CREATE INDEX guild_settings_audit_guild ON guild_settings_audit (guild_id, at);
        CREATE TABLE usage_log (
          id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          guild_id TEXT NOT NULL,
          user_id  TEXT NOT NULL,
          at       BIGINT NOT NULL,
          day      TEXT NOT NULL,
          action   TEXT NOT NULL,
          outcome  TEXT NOT NULL,
          rule     TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX usage_log_at ON usage_log (at);
        CREATE INDEX usage_log_member ON usage_log (guild_id, user_id, at);
        CREATE TABLE usage_daily (
          guild_id TEXT NOT NULL,
          day      TEXT NOT NULL,
          user_id  TEXT NOT NULL,
          action   TEXT NOT NULL,
          outcome  TEXT NOT NULL,
          rule     TEXT NOT NULL DEFAULT '',
          n        INTEGER NOT NULL,
          PRIMARY KEY (guild_id, day, user_id, action, outcome, rule)
        )`,
      ),
  },
  {
    version: 6,
    description: "task owners keep the task's prompt: /mjtask suggests a member's own recent tasks",
    up: (db) =>
      ddl(
        db,
        `ALTER TABLE task_owners ADD COLUMN prompt TEXT;
        CREATE INDEX task_owners_member ON task_owners (user_id, guild_id, created_at)`,
      ),
  },
  {
    version: 7,
    description: 'tracked tasks keep the language of their channel messages, fixed when following starts',
    up: (db) => ddl(db, `ALTER TABLE tracked_tasks ADD COLUMN locale TEXT`),
  },
  {
    version: 8,
    description: 'leases on tracked tasks: which instance follows each active task (owner, expiry, epoch)',
    up: (db) =>
      ddl(
        db,
        `ALTER TABLE tracked_tasks ADD COLUMN lease_owner TEXT;
        ALTER TABLE tracked_tasks ADD COLUMN lease_expires_at BIGINT;
        ALTER TABLE tracked_tasks ADD COLUMN lease_epoch BIGINT NOT NULL DEFAULT 0;
        CREATE INDEX tracked_tasks_lease ON tracked_tasks (lease_owner, phase)`,
      ),
  },
  {
    version: 9,
    description: "tracked tasks keep the customId the click that started them submitted (an upscale's Image #N)",
    up: (db) => ddl(db, `ALTER TABLE tracked_tasks ADD COLUMN submitted_custom_id TEXT`),
  },
  {
    version: 10,
    description: "usage reservations: a paid submit in flight holds its place in the day's quota and budget",
    up: (db) =>
      ddl(
        db,
        `CREATE TABLE usage_reservations (
          id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          guild_id   TEXT NOT NULL,
          user_id    TEXT NOT NULL,
          day        TEXT NOT NULL,
          at         BIGINT NOT NULL,
          expires_at BIGINT NOT NULL
        );
        CREATE INDEX usage_reservations_day ON usage_reservations (guild_id, day, user_id);
        CREATE INDEX usage_reservations_expiry ON usage_reservations (expires_at)`,
      ),
  },
  ...PG_MIGRATIONS_SINCE_11,
];

/** The advisory lock every instance takes to migrate ('mjtb', 1): one at a time per database. */
const MIGRATION_LOCK = [0x6d6a7462, 1] as const;

export async function pgSchemaVersion(db: Kysely<PgSchema>): Promise<number> {
  const exists = await sql<{ found: boolean }>`SELECT to_regclass('schema_version') IS NOT NULL AS found`.execute(db);
  if (exists.rows[0]?.found !== true) return 0;
  const row = await db
    .selectFrom('schema_version')
    .select((eb) => eb.fn.coalesce(eb.fn.max('version'), sql<number>`0`).as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

/**
 * Applies the migrations above the database's version (each in its own transaction with its
 * schema_version row), holding the migration lock throughout. Throws when the database is newer
 * than this code knows.
 */
export async function migratePostgres(
  db: Kysely<PgSchema>,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<number> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK[0]}, ${MIGRATION_LOCK[1]})`.execute(conn);
    try {
      const current = await pgSchemaVersion(conn);
      // Created only when missing, so an up-to-date database on a read-only server still opens (for reads).
      if (current === 0)
        await sql`CREATE TABLE IF NOT EXISTS schema_version (
          version     INTEGER PRIMARY KEY,
          description TEXT NOT NULL,
          applied_at  BIGINT NOT NULL
        )`.execute(conn);
      if (current > migrations.length)
        throw new Error(
          `The database schema is version ${current}, newer than this bot knows (${migrations.length}). Use a newer bot version.`,
        );
      for (const migration of migrations.slice(current)) {
        await conn.transaction().execute(async (trx) => {
          await migration.up(trx);
          await trx
            .insertInto('schema_version')
            .values({ version: migration.version, description: migration.description, applied_at: Date.now() })
            .execute();
        });
      }
      return await pgSchemaVersion(conn);
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK[0]}, ${MIGRATION_LOCK[1]})`.execute(conn);
    }
  });
}
