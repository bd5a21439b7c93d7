// PostgreSQL migrations 11 and on (1–10 and the runner: ./migrations.ts), kept apart so neither file
// outgrows a read. Append only: never edit or reorder a migration that has shipped.
import { sql, type Kysely } from 'kysely';
import type { PgSchema } from './schema.js';

/** Runs each statement of a DDL script (no values in it: all text is our own). */
export async function ddl(db: Kysely<PgSchema>, script: string): Promise<void> {
  for (const statement of script.split(';').map((s) => s.trim()))
    if (statement !== '') await sql.raw(statement).execute(db);
}

export const PG_MIGRATIONS_SINCE_11 = [
  {
    version: 11,
    description: 'tracked tasks keep the interaction whose webhook may create their first progress message',
    up: (db) => ddl(db, `ALTER TABLE tracked_tasks ADD COLUMN progress_interaction_id TEXT`),
  },
  {
    version: 12,
    description:
      'clicks keep where they were made, so a submit whose answer never came (the instance died, or it timed out) can be found again',
    up: (db) =>
      ddl(
        db,
        `ALTER TABLE clicks ADD COLUMN guild_id TEXT;
        ALTER TABLE clicks ADD COLUMN channel_id TEXT;
        ALTER TABLE clicks ADD COLUMN guild_locale TEXT;
        ALTER TABLE clicks ADD COLUMN recover_after BIGINT;
        ALTER TABLE clicks ADD COLUMN recover_tries INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX clicks_unanswered ON clicks (at) WHERE state = 'pending'`,
      ),
  },
  {
    version: 13,
    description: 'a usage reservation holds as many places as its submit starts tasks (Imagine all: four)',
    up: (db) =>
      ddl(
        db,
        `ALTER TABLE usage_reservations ADD COLUMN places INTEGER NOT NULL DEFAULT 1;
        DROP INDEX usage_reservations_day;
        CREATE INDEX usage_reservations_day ON usage_reservations (guild_id, day, user_id, places)`,
      ),
  },
  {
    version: 14,
    description:
      'a click keeps what the usage log calls it and whether its tasks were counted, so a submit found again is counted once',
    up: (db) =>
      ddl(
        db,
        `ALTER TABLE clicks ADD COLUMN usage_action TEXT;
        ALTER TABLE clicks ADD COLUMN usage_counted BOOLEAN NOT NULL DEFAULT false;
        ALTER TABLE usage_reservations ADD COLUMN click_id BIGINT;
        CREATE INDEX usage_reservations_click ON usage_reservations (click_id)`,
      ),
  },
  {
    version: 15,
    description:
      'a click keeps how many tasks it may start and which of them were counted as they were found, so each task a push finds counts once',
    up: (db) =>
      ddl(
        db,
        `ALTER TABLE clicks ADD COLUMN usage_places INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE clicks ADD COLUMN usage_found TEXT[] NOT NULL DEFAULT '{}';
        UPDATE clicks SET usage_places = r.places
          FROM (SELECT click_id, MAX(places) AS places FROM usage_reservations WHERE click_id IS NOT NULL GROUP BY click_id) r
          WHERE clicks.id = r.click_id`,
      ),
  },
  {
    version: 16,
    description:
      'the instances sharing a database and the part of the Discord request limit each holds (PostgreSQL only)',
    up: (db) =>
      ddl(
        db,
        `CREATE TABLE instances (
          instance_id TEXT PRIMARY KEY,
          shards      INTEGER NOT NULL,
          share       INTEGER NOT NULL,
          seen_at     BIGINT NOT NULL
        )`,
      ),
  },
  {
    version: 17,
    description: 'each instance also holds a part of the Midjourney API request limit (PostgreSQL only)',
    up: (db) =>
      ddl(
        db,
        `ALTER TABLE instances ADD COLUMN budget TEXT NOT NULL DEFAULT 'discord';
        ALTER TABLE instances DROP CONSTRAINT instances_pkey;
        ALTER TABLE instances ADD PRIMARY KEY (budget, instance_id)`,
      ),
  },
  {
    version: 18,
    description:
      'a click keeps the instance that sent its submit, so the pending ones of an instance gone are looked for at once',
    up: (db) => ddl(db, `ALTER TABLE clicks ADD COLUMN made_by TEXT`),
  },
] as const satisfies ReadonlyArray<{ version: number; description: string; up(db: Kysely<PgSchema>): Promise<void> }>;
