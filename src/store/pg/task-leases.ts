// Leases on tracked tasks on PostgreSQL (the contract: ../leases.ts). Instances claim concurrently:
// the rows a claim takes are locked with FOR UPDATE SKIP LOCKED, so a second claimer skips them
// rather than waiting or taking them too, and each claim is bounded (`limit`). Times are the
// instances' clocks (kept in step by NTP): a skew far below the registry's alive window (10 s by
// default: an owner silent that long is counted out) does no harm.
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import { aliveWindowMsFor } from '../instances.js';
import { countedOutInstances } from './instances.js';
import type { TaskLeaseRepo } from '../leases.js';
import type { Selectable } from 'kysely';
import type { PgSchema, TrackedTasksTable } from './schema.js';
import { confirmBatch, type ConfirmWrite } from './batched-writes.js';
import { pgWriteFaultReason } from './errors.js';
import { createGroupCommit } from './group-commit.js';
import { fromRow } from './tracked-tasks.js';

/** `trackerDb`: the connections of the confirm rounds and the heartbeat (renew, claims of many); see open.ts. */
export function createPgTaskLeaseRepo(db: Kysely<PgSchema>, clock: Clock, trackerDb = db): TaskLeaseRepo {
  const confirms = createGroupCommit<ConfirmWrite, boolean>({
    maxRows: 500,
    keyOf: (w) => w.taskId,
    run: (batch) => confirmBatch(trackerDb, batch, clock.now()),
    retryAlone: (err) => pgWriteFaultReason(err) === null,
  });
  return {
    async claim(grant, limit, scope = {}) {
      const now = clock.now();
      const only = scope.taskId ?? null;
      const ownIsFree = only !== null || scope.atStart === true;
      // An owner the registry counts out (no beat from it within the alive window, in any budget) holds
      // nothing any more: a killed instance's tasks go about 10 s after its last beat, not when its
      // leases run out. One that only stalled finds them lost at its next renewal; the epoch fences it.
      const silentSince = now - aliveWindowMsFor(grant.ttlMs);
      const claimed = await sql<Selectable<TrackedTasksTable>>`
        UPDATE tracked_tasks t SET lease_owner = ${grant.owner}, lease_expires_at = ${now + grant.ttlMs},
          lease_epoch = CASE WHEN t.lease_owner = ${grant.owner} THEN t.lease_epoch ELSE t.lease_epoch + 1 END
        FROM (
          SELECT task_id FROM tracked_tasks
          WHERE phase = 'active' AND (${only}::text IS NULL OR task_id = ${only})
            AND (lease_owner IS NULL OR lease_expires_at <= ${now}
              OR (${ownIsFree} AND lease_owner = ${grant.owner})
              OR lease_owner IN ${countedOutInstances(silentSince, grant.owner)})
          ORDER BY started_at, task_id LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        ) free
        WHERE t.task_id = free.task_id
        RETURNING t.*`.execute(only === null ? trackerDb : db); // one task's claim is a follow's: the pool's
      return claimed.rows
        .sort((a, b) => a.started_at - b.started_at || (a.task_id < b.task_id ? -1 : 1))
        .map((row) => ({ task: fromRow(row), epoch: Number(row.lease_epoch) }));
    },
    async renew(grant) {
      // Every row this instance holds: locked in task_id order first, as batched-writes.ts says why.
      const renewed = await sql<{ task_id: string; lease_epoch: number }>`
        UPDATE tracked_tasks AS t SET lease_expires_at = ${clock.now() + grant.ttlMs}
        FROM (
          SELECT task_id FROM tracked_tasks WHERE lease_owner = ${grant.owner} AND phase = 'active'
          ORDER BY task_id FOR UPDATE
        ) AS locked
        WHERE t.task_id = locked.task_id
        RETURNING t.task_id, t.lease_epoch`.execute(trackerDb);
      return renewed.rows.map((r) => ({ taskId: r.task_id, epoch: Number(r.lease_epoch) }));
    },
    // One result after another confirms its lease (the tracker's deliverResult): at a burst's end
    // hundreds a second, each its own UPDATE and commit before; now a round's confirms go in one.
    confirm: (taskId, fence, ttlMs) => confirms({ taskId, fence, ttlMs }),
    async release(owner) {
      const released = await sql`
        UPDATE tracked_tasks AS t SET lease_owner = NULL, lease_expires_at = NULL
        FROM (
          SELECT task_id FROM tracked_tasks WHERE lease_owner = ${owner} AND phase = 'active'
          ORDER BY task_id FOR UPDATE
        ) AS locked
        WHERE t.task_id = locked.task_id`.execute(db);
      return Number(released.numAffectedRows ?? 0);
    },
    async nextExpiry(owner) {
      const row = await db
        .selectFrom('tracked_tasks')
        .select((eb) => eb.fn.min('lease_expires_at').as('at'))
        .where('phase', '=', 'active')
        .where('lease_owner', 'is not', null)
        .where('lease_owner', '<>', owner)
        .executeTakeFirst();
      return row?.at === null || row?.at === undefined ? null : Number(row.at);
    },
  };
}
