// Leases on tracked tasks on SQLite (the contract: ./leases.ts). One instance per file, so nothing
// races here; each claim still runs as one statement, the way the PostgreSQL one must.
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { TaskLeaseRepo } from './leases.js';
import type { Synchronous } from './synchronous.js';
import { fromRow, type TrackedRow } from './tracked-tasks.js';

export function createTaskLeaseRepo(db: Database, clock: Clock): Synchronous<TaskLeaseRepo> {
  // @all: the claim at start (every active task is this instance's); @only: one task, own lease free.
  const claimStmt = db.prepare<Record<string, unknown>, TrackedRow & { lease_epoch: number }>(`
    UPDATE tracked_tasks SET lease_owner = @owner, lease_expires_at = @until,
      lease_epoch = CASE WHEN lease_owner IS @owner THEN lease_epoch ELSE lease_epoch + 1 END
    WHERE task_id IN (
      SELECT task_id FROM tracked_tasks
      WHERE phase = 'active' AND (@only IS NULL OR task_id = @only)
        AND (@all OR lease_owner IS NULL OR lease_expires_at <= @now
          OR (@only IS NOT NULL AND lease_owner = @owner))
      ORDER BY started_at, task_id LIMIT @limit)
    RETURNING *`);
  const renewStmt = db.prepare<Record<string, unknown>, { task_id: string; lease_epoch: number }>(
    `UPDATE tracked_tasks SET lease_expires_at = @until WHERE lease_owner = @owner AND phase = 'active'
     RETURNING task_id, lease_epoch`,
  );
  const confirmStmt = db.prepare(
    `UPDATE tracked_tasks SET lease_expires_at = @until
     WHERE task_id = @taskId AND lease_owner = @owner AND lease_epoch = @epoch AND phase = 'active'`,
  );
  const releaseStmt = db.prepare(
    `UPDATE tracked_tasks SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ? AND phase = 'active'`,
  );
  const nextExpiryStmt = db.prepare<[string], { at: number | null }>(
    `SELECT MIN(lease_expires_at) AS at FROM tracked_tasks
     WHERE phase = 'active' AND lease_owner IS NOT NULL AND lease_owner <> ?`,
  );
  return {
    claim(grant, limit, scope = {}) {
      const now = clock.now();
      const rows = claimStmt.all({
        owner: grant.owner,
        until: now + grant.ttlMs,
        now,
        limit,
        only: scope.taskId ?? null,
        all: scope.atStart && scope.taskId === undefined ? 1 : 0,
      });
      // RETURNING gives no order: oldest first, as listActive.
      rows.sort((a, b) => a.started_at - b.started_at || (a.task_id < b.task_id ? -1 : 1));
      return rows.map((row) => ({ task: fromRow(row), epoch: row.lease_epoch }));
    },
    renew: (grant) =>
      renewStmt
        .all({ owner: grant.owner, until: clock.now() + grant.ttlMs })
        .map((r) => ({ taskId: r.task_id, epoch: r.lease_epoch })),
    confirm: (taskId, fence, ttlMs) =>
      confirmStmt.run({ taskId, owner: fence.owner, epoch: fence.epoch, until: clock.now() + ttlMs }).changes > 0,
    release: (owner) => releaseStmt.run(owner).changes,
    nextExpiry: (owner) => nextExpiryStmt.get(owner)?.at ?? null,
  };
}
