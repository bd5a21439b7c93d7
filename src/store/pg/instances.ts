// The instance registry on PostgreSQL (the contract: ../instances.ts): one row per instance and budget,
// renewed by every beat. A beat writes its row and reads the others' in one statement, so what an instance
// decides from (its share next to theirs) is what the database held at that moment.
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { InstanceRegistry } from '../instances.js';
import type { PgSchema } from './schema.js';

/**
 * The instances the registry counts out: no beat in any budget since `silentSince`, `self` (the one
 * asking) aside. A parenthesized subquery for `… IN`: their leases are free (task-leases.ts) and their pending
 * submits can no longer be answered (clicks.ts).
 */
export const countedOutInstances = (silentSince: number, self: string) =>
  sql<string>`(SELECT instance_id FROM instances WHERE instance_id <> ${self}
    GROUP BY instance_id HAVING MAX(seen_at) < ${silentSince})`;

/** A row silent for this many alive windows is deleted (an instance that died without leaving). */
const FORGET_AFTER_WINDOWS = 100;

interface BeatRow {
  instance_id: string;
  shards: number;
  share: number;
}

/** The advisory lock every beat takes ('mjtb', 2): beats run one at a time per database. */
const BEAT_LOCK = [0x6d6a7462, 2] as const;

export function createPgInstanceRegistry(db: Kysely<PgSchema>, clock: Clock): InstanceRegistry {
  return {
    beat(beat, aliveMs) {
      // Under the lock, the statement's snapshot is taken after every earlier beat committed: two
      // instances beating at once cannot each miss the other's new part (see ../instances.ts).
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${BEAT_LOCK[0]}, ${BEAT_LOCK[1]})`.execute(trx);
        const now = clock.now();
        const { budget, instanceId } = beat;
        // The CTEs see the table as it was before the statement: the new row comes from `saved`.
        const { rows } = await sql<BeatRow>`
          WITH forgotten AS (
            DELETE FROM instances
            WHERE budget = ${budget} AND seen_at < ${now - aliveMs * FORGET_AFTER_WINDOWS}
              AND instance_id <> ${instanceId}
          ), saved AS (
            INSERT INTO instances (budget, instance_id, shards, share, seen_at)
            VALUES (${budget}, ${instanceId}, ${beat.shards}, ${beat.share}, ${now})
            ON CONFLICT (budget, instance_id) DO UPDATE
              SET shards = excluded.shards, share = excluded.share, seen_at = excluded.seen_at
            RETURNING instance_id, shards, share
          )
          SELECT instance_id, shards, share FROM instances
          WHERE budget = ${budget} AND seen_at >= ${now - aliveMs} AND instance_id <> ${instanceId}
          UNION ALL SELECT instance_id, shards, share FROM saved`.execute(trx);
        return rows.map((r) => ({ instanceId: r.instance_id, shards: Number(r.shards), share: Number(r.share) }));
      });
    },
    async leave(instanceId, budget) {
      await db.deleteFrom('instances').where('instance_id', '=', instanceId).where('budget', '=', budget).execute();
    },
  };
}
