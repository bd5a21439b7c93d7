// The statements a round of group commit (group-commit.ts) runs for tracked tasks: field patches and
// lease confirms, many tasks in one UPDATE, each row fenced by its own lease exactly as the one-row
// write was. The rows come in as one array per column through unnest(): a fixed number of parameters
// and one statement text however many rows a round carries (VALUES would take a parameter per value,
// ~17,000 at 500 rows, and a new text for each row count).
//
// Locks: a statement that holds some rows while waiting for another can deadlock with one that holds
// that other and waits for the first; one-row writes never could. So every statement here and every
// other multi-row write of tracked_tasks (task-leases.ts: renew, release; tracked-tasks.ts: prune)
// takes its rows' locks first, in task_id order (the `locked` subquery, FOR UPDATE under ORDER BY),
// and waits only for rows past those it holds. A claim waits for none (SKIP LOCKED).
import { sql, type Kysely, type RawBuilder, type Updateable } from 'kysely';
import type { LeaseFence, TrackedTaskPatch } from '../tracked-tasks.js';
import type { PgSchema, TrackedTasksTable } from './schema.js';

/** TrackedTask field → column and its type: what a patch may change. */
export const PATCH_COLUMNS = {
  guildId: ['guild_id', 'text'],
  channelId: ['channel_id', 'text'],
  messageId: ['message_id', 'text'],
  requesterId: ['requester_id', 'text'],
  origin: ['origin', 'text'],
  startedAt: ['started_at', 'bigint'],
  lastStatus: ['last_status', 'text'],
  lastProgress: ['last_progress', 'text'],
  lastPushAt: ['last_push_at', 'bigint'],
  lastRenderHash: ['last_render_hash', 'text'],
  resultMessageId: ['result_message_id', 'text'],
  phase: ['phase', 'text'],
  locale: ['locale', 'text'],
  submittedCustomId: ['submitted_custom_id', 'text'],
  progressInteractionId: ['progress_interaction_id', 'text'],
} as const satisfies Record<keyof TrackedTaskPatch, readonly [string, 'text' | 'bigint']>;

type PatchField = keyof typeof PATCH_COLUMNS;
const PATCH_FIELDS = Object.keys(PATCH_COLUMNS) as PatchField[];

export interface PatchWrite {
  taskId: string;
  /** The fields to set, every one present (a field set to undefined is left out before). */
  patch: TrackedTaskPatch;
  fence: LeaseFence | undefined;
}

export interface ConfirmWrite {
  taskId: string;
  fence: LeaseFence;
  ttlMs: number;
}

const column = (name: string) => sql.raw(name);
const array = (values: unknown[], type: string) => sql`${values}::${sql.raw(type)}[]`;

/** Locks `ids`' rows in task_id order (see the top of this file). */
const lockedInOrder = (ids: string[]): RawBuilder<unknown> =>
  sql`(SELECT l.task_id FROM tracked_tasks l WHERE l.task_id = ANY(${array(ids, 'text')})
    ORDER BY l.task_id FOR UPDATE) AS locked`;

/**
 * One UPDATE for every patch in `batch` (each task at most once); true for each that changed its row.
 *
 * Rows with different sets of fields share the statement: a bit per field in `fields` says whether
 * the row sets it, else the column keeps its value (CASE … ELSE t.column). That is one statement a
 * round, where a statement per set of fields would be several (a progress, a message id, a result
 * and a push time each change other fields). SQLite sets only the changed columns because naming an
 * unchanged one rewrites its index entries (tracked-tasks.ts there); PostgreSQL writes a whole new
 * row version on any update, and whether the indexes are touched (a HOT update or not) depends on
 * whether an indexed column's value changed, not on which columns SET names.
 */
export async function updateBatch(db: Kysely<PgSchema>, batch: readonly PatchWrite[], now: number): Promise<boolean[]> {
  const has = (w: PatchWrite, f: PatchField) => Object.prototype.hasOwnProperty.call(w.patch, f);
  if (batch.length === 1) return [await updateOne(db, batch[0]!, now)];
  const ids = batch.map((w) => w.taskId);
  const values = PATCH_FIELDS.map((f) =>
    array(
      batch.map((w) => (has(w, f) ? w.patch[f] : null)),
      PATCH_COLUMNS[f][1],
    ),
  );
  const bits = batch.map((w) => PATCH_FIELDS.reduce((bits, f, i) => (has(w, f) ? bits | (1 << i) : bits), 0));
  const sets = PATCH_FIELDS.map((f, i) => {
    const name = column(PATCH_COLUMNS[f][0]);
    return sql`${name} = CASE WHEN (v.fields & ${sql.raw(String(1 << i))}) <> 0 THEN v.${name} ELSE t.${name} END`;
  });
  const names = PATCH_FIELDS.map((f) => column(PATCH_COLUMNS[f][0]));
  const updated = await sql<{ task_id: string }>`
    UPDATE tracked_tasks AS t SET ${sql.join(sets)}, updated_at = ${now}
    FROM unnest(${array(ids, 'text')}, ${sql.join(values)}, ${array(bits, 'int')},
        ${array(
          batch.map((w) => w.fence?.owner ?? null),
          'text',
        )}, ${array(
          batch.map((w) => w.fence?.epoch ?? null),
          'bigint',
        )})
      AS v(task_id, ${sql.join(names)}, fields, fence_owner, fence_epoch)
    JOIN ${lockedInOrder(ids)} ON locked.task_id = v.task_id
    WHERE t.task_id = v.task_id
      AND (v.fence_owner IS NULL OR (t.lease_owner = v.fence_owner AND t.lease_epoch = v.fence_epoch))
    RETURNING t.task_id`.execute(db);
  const changed = new Set(updated.rows.map((r) => r.task_id));
  return batch.map((w) => changed.has(w.taskId));
}

/**
 * A round of one write: the one-row UPDATE of its fields only, as before group commit. The batch
 * statement (unnest, a lock subquery, a CASE per column) is more to plan than one row is worth, and
 * one row needs no lock order.
 */
async function updateOne(db: Kysely<PgSchema>, w: PatchWrite, now: number): Promise<boolean> {
  const set: Record<string, unknown> = { updated_at: now };
  for (const f of PATCH_FIELDS)
    if (Object.prototype.hasOwnProperty.call(w.patch, f)) set[PATCH_COLUMNS[f][0]] = w.patch[f];
  let update = db
    .updateTable('tracked_tasks')
    .set(set as Updateable<TrackedTasksTable>)
    .where('task_id', '=', w.taskId);
  if (w.fence) update = update.where('lease_owner', '=', w.fence.owner).where('lease_epoch', '=', w.fence.epoch);
  const result = await update.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** One UPDATE extending every lease in `batch` still held at its fence (leases.ts confirm); true for each. */
export async function confirmBatch(
  db: Kysely<PgSchema>,
  batch: readonly ConfirmWrite[],
  now: number,
): Promise<boolean[]> {
  if (batch.length === 1) {
    const [{ taskId, fence, ttlMs }] = batch as [ConfirmWrite];
    const result = await db
      .updateTable('tracked_tasks')
      .set({ lease_expires_at: now + ttlMs })
      .where('task_id', '=', taskId)
      .where('lease_owner', '=', fence.owner)
      .where('lease_epoch', '=', fence.epoch)
      .where('phase', '=', 'active')
      .executeTakeFirst();
    return [result.numUpdatedRows > 0n];
  }
  const ids = batch.map((w) => w.taskId);
  const updated = await sql<{ task_id: string }>`
    UPDATE tracked_tasks AS t SET lease_expires_at = v.until
    FROM unnest(${array(ids, 'text')}, ${array(
      batch.map((w) => w.fence.owner),
      'text',
    )}, ${array(
      batch.map((w) => w.fence.epoch),
      'bigint',
    )}, ${array(
      batch.map((w) => now + w.ttlMs),
      'bigint',
    )}) AS v(task_id, owner, epoch, until)
    JOIN ${lockedInOrder(ids)} ON locked.task_id = v.task_id
    WHERE t.task_id = v.task_id AND t.lease_owner = v.owner AND t.lease_epoch = v.epoch AND t.phase = 'active'
    RETURNING t.task_id`.execute(db);
  const confirmed = new Set(updated.rows.map((r) => r.task_id));
  return batch.map((w) => confirmed.has(w.taskId));
}
