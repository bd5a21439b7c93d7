// SQLite migrations 11 and on (1–10 and the runner: ./migrations.ts), kept apart so neither file
// outgrows a read. Append only: never edit or reorder a migration that has shipped.
import type { Database } from 'better-sqlite3';

export const MIGRATIONS_SINCE_11 = [
  {
    version: 11,
    description: 'tracked tasks keep the interaction whose webhook may create their first progress message',
    up(db) {
      db.exec(`
        -- NULL: progress through the channel only, or followed before this version.
        ALTER TABLE tracked_tasks ADD COLUMN progress_interaction_id TEXT;
      `);
    },
  },
  {
    version: 12,
    description:
      'clicks keep where they were made, so a submit whose answer never came (the instance died, or it timed out) can be found again',
    up(db) {
      db.exec(`
        -- NULL: recorded before this version (never looked for); guild_id is also NULL in a DM.
        ALTER TABLE clicks ADD COLUMN guild_id TEXT;
        ALTER TABLE clicks ADD COLUMN channel_id TEXT;
        ALTER TABLE clicks ADD COLUMN guild_locale TEXT;
        -- The next look for the task a pending click started; NULL: not looked for yet.
        ALTER TABLE clicks ADD COLUMN recover_after INTEGER;
        ALTER TABLE clicks ADD COLUMN recover_tries INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX clicks_unanswered ON clicks (at) WHERE state = 'pending';
      `);
    },
  },
  {
    version: 13,
    description: 'a usage reservation holds as many places as its submit starts tasks (Imagine all: four)',
    up(db) {
      db.exec(`
        -- Rows from before this version held one place each. The day index carries places, so the
        -- reservation's sum is still read from the index alone.
        ALTER TABLE usage_reservations ADD COLUMN places INTEGER NOT NULL DEFAULT 1;
        DROP INDEX usage_reservations_day;
        CREATE INDEX usage_reservations_day ON usage_reservations (guild_id, day, user_id, places);
      `);
    },
  },
  {
    version: 14,
    description:
      'a click keeps what the usage log calls it and whether its tasks were counted, so a submit found again is counted once',
    up(db) {
      db.exec(`
        -- NULL: recorded before this version.
        ALTER TABLE clicks ADD COLUMN usage_action TEXT;
        -- 1 once the tasks it started are in the usage log (by its answer, or by recovery).
        ALTER TABLE clicks ADD COLUMN usage_counted INTEGER NOT NULL DEFAULT 0;
        -- The click a hold is for (NULL: before this version): recovery drops it by the click.
        ALTER TABLE usage_reservations ADD COLUMN click_id INTEGER;
        CREATE INDEX usage_reservations_click ON usage_reservations (click_id);
      `);
    },
  },
  {
    version: 15,
    description:
      'a click keeps how many tasks it may start and which of them were counted as they were found, so each task a push finds counts once',
    up(db) {
      db.exec(`
        -- The places the click held (the tasks it may start); before this version, its hold's, else 1.
        ALTER TABLE clicks ADD COLUMN usage_places INTEGER NOT NULL DEFAULT 1;
        -- The ids of its tasks counted one by one as they were found (a JSON array).
        ALTER TABLE clicks ADD COLUMN usage_found TEXT NOT NULL DEFAULT '[]';
        UPDATE clicks SET usage_places = (SELECT MAX(places) FROM usage_reservations WHERE click_id = clicks.id)
          WHERE id IN (SELECT click_id FROM usage_reservations WHERE click_id IS NOT NULL);
      `);
    },
  },
  {
    version: 16,
    description:
      'the instances sharing a database and the part of the Discord request limit each holds (PostgreSQL only)',
    // Nothing here: an SQLite file has one instance. Kept so both backends count the same versions.
    up() {},
  },
  {
    version: 17,
    description: 'each instance also holds a part of the Midjourney API request limit (PostgreSQL only)',
    // Nothing here either (see 16).
    up() {},
  },
  {
    version: 18,
    description:
      'a click keeps the instance that sent its submit, so the pending ones of an instance gone are looked for at once',
    up(db) {
      // NULL: recorded before this version, or by a test's store.
      db.exec(`ALTER TABLE clicks ADD COLUMN made_by TEXT`);
    },
  },
] as const satisfies ReadonlyArray<{ version: number; description: string; up(db: Database): void }>;
