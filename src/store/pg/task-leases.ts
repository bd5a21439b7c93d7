// Leases on tracked tasks on PostgreSQL (the contract: ../leases.ts). Instances claim concurrently:
// the rows a claim takes are locked with FOR UPDATE SKIP LOCKED, so a second claimer skips them
// rather than waiting or taking them too, and each claim is bounded (`limit`). Times are the
// instances' clocks (kept in step by NTP): a skew far below the lease time does no harm.
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { TaskLeaseRepo } from '../leases.js';
import type { Selectable } from 'kysely';
import type { PgSchema, TrackedTasksTable } from './schema.js';
import { fromRow } from './tracked-tasks.js';

export function createPgTaskLeaseRepo(db: Kysely<PgSchema>, clock: Clock): TaskLeaseRepo {
  return {
    async claim(grant, limit, scope = {}) {
      const now = clock.now();
      const only = scope.taskId ?? null;
      const ownIsFree = only !== null || scope.atStart === true;
      const claimed = await sql<Selectable<TrackedTasksTable>>`
        UPDATE tracked_tasks t SET lease_owner = ${grant.owner}, lease_expires_at = ${now + grant.ttlMs},
          lease_epoch = CASE WHEN t.lease_owner = ${grant.owner} THEN t.lease_epoch ELSE t.lease_epoch + 1 END
        FROM (
          SELECT task_id FROM tracked_tasks
          WHERE phase = 'active' AND (${only}::text IS NULL OR task_id = ${only})
            AND (lease_owner IS NULL OR lease_expires_at <= ${now}
              OR (${ownIsFree} AND lease_owner = ${grant.owner}))
          ORDER BY started_at, task_id LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        ) free
        WHERE t.task_id = free.task_id
        RETURNING t.*`.execute(db);
      return claimed.rows
        .sort((a, b) => a.started_at - b.started_at || (a.task_id < b.task_id ? -1 : 1))
        .map((row) => ({ task: fromRow(row), epoch: Number(row.lease_epoch) }));
    },
    async renew(grant) {
      const rows = await db
        .updateTable('tracked_tasks')
        .set({ lease_expires_at: clock.now() + grant.ttlMs })
        .where('lease_owner', '=', grant.owner)
        .where('phase', '=', 'active')
        .returning(['task_id', 'lease_epoch'])
        .execute();
      return rows.map((r) => ({ taskId: r.task_id, epoch: Number(r.lease_epoch) }));
    },
    async confirm(taskId, fence, ttlMs) {
      const result = await db
        .updateTable('tracked_tasks')
        .set({ lease_expires_at: clock.now() + ttlMs })
        .where('task_id', '=', taskId)
        .where('lease_owner', '=', fence.owner)
        .where('lease_epoch', '=', fence.epoch)
        .where('phase', '=', 'active')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async release(owner) {
      const result = await db
        .updateTable('tracked_tasks')
        .set({ lease_owner: null, lease_expires_at: null })
        .where('lease_owner', '=', owner)
        .where('phase', '=', 'active')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
