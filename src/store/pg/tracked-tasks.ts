// The tracked tasks on PostgreSQL (the contract and its meaning: ../tracked-tasks.ts). Writes to one
// task are applied in the order they were called, as SQLite's synchronous calls are: the tracker
// issues a task's saves without waiting for each, and the pool could otherwise run them out of order.
// Patches go by group commit (group-commit.ts, batched-writes.ts): a round's patches of many tasks in
// one UPDATE; a task's patches still apply in call order, one per round unless they join (update).
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { Clock } from '../../clock.js';
import type {
  LeaseFence,
  LeaseGrant,
  TrackedPhase,
  TrackedTask,
  TrackedTaskPatch,
  TrackedTaskRepo,
  TrackOrigin,
} from '../tracked-tasks.js';
import { PATCH_COLUMNS, updateBatch, type PatchWrite } from './batched-writes.js';
import { pgWriteFaultReason } from './errors.js';
import { createGroupCommit } from './group-commit.js';
import { createKeyedChain } from './keyed-chain.js';
import type { PgSchema, TrackedTasksTable } from './schema.js';

const PHASES: readonly TrackedPhase[] = ['active', 'done', 'gone', 'timed_out'];

export function fromRow(r: Selectable<TrackedTasksTable>): TrackedTask {
  return {
    taskId: r.task_id,
    guildId: r.guild_id,
    channelId: r.channel_id,
    messageId: r.message_id,
    requesterId: r.requester_id,
    origin: r.origin as TrackOrigin,
    startedAt: r.started_at,
    lastStatus: r.last_status,
    lastProgress: r.last_progress,
    lastPushAt: r.last_push_at,
    lastRenderHash: r.last_render_hash,
    resultMessageId: r.result_message_id,
    phase: (PHASES as readonly string[]).includes(r.phase) ? (r.phase as TrackedPhase) : 'gone',
    locale: r.locale,
    submittedCustomId: r.submitted_custom_id,
    progressInteractionId: r.progress_interaction_id,
  };
}

type Field = keyof typeof PATCH_COLUMNS;
const FIELDS = Object.keys(PATCH_COLUMNS) as Field[];
const COLUMN = (f: Field) => PATCH_COLUMNS[f][0];

/** A patch of a task waiting for its round, with every caller merged into it. */
interface QueuedPatch extends PatchWrite {
  /** Taken into a statement: later writes can no longer join it. */
  sent: boolean;
  result?: Promise<boolean>;
}

const sameFence = (a: LeaseFence | undefined, b: LeaseFence | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.owner === b.owner && a.epoch === b.epoch);

/** The fields `patch` sets: a field given as undefined is left unchanged. */
function definedFields(patch: TrackedTaskPatch): TrackedTaskPatch {
  const set: Record<string, unknown> = {};
  for (const f of FIELDS)
    if (Object.prototype.hasOwnProperty.call(patch, f) && patch[f] !== undefined) set[f] = patch[f];
  return set;
}

/** At most this many rows in one statement: a round stays short, and well under PostgreSQL's limits. */
const MAX_ROWS = 500;

/** `trackerDb`: the connections of the patch rounds (open.ts says why they are not the pool's). */
export function createPgTrackedTaskRepo(db: Kysely<PgSchema>, clock: Clock, trackerDb = db): TrackedTaskRepo {
  const inOrder = createKeyedChain();
  /** Each task's last patch not yet sent, that a next patch may join. */
  const open = new Map<string, QueuedPatch>();
  /** Anything else written to the task comes after its waiting patch: nothing joins that one now. */
  const closeFor = (taskId: string) => open.delete(taskId);
  const patches = createGroupCommit<QueuedPatch, boolean>({
    maxRows: MAX_ROWS,
    keyOf: (w) => w.taskId,
    run(batch) {
      for (const w of batch) {
        w.sent = true;
        if (open.get(w.taskId) === w) open.delete(w.taskId);
      }
      return updateBatch(trackerDb, batch, clock.now());
    },
    // A storage fault fails every write of the round; anything else (a bug, a constraint) may be
    // one write's own, so each is tried alone and only that one fails, as on its own it would.
    retryAlone: (err) => pgWriteFaultReason(err) === null,
  });
  /** The new epoch, or null when the statement wrote nothing (`finishedOnly` and an active row). */
  const upsertWith = (task: TrackedTask, lease: LeaseGrant | undefined, finishedOnly: boolean) => {
    closeFor(task.taskId);
    return inOrder(task.taskId, async () => {
      const now = clock.now();
      const columns: Partial<Record<keyof TrackedTasksTable, unknown>> = {};
      // A field the task leaves out (locale, submittedCustomId, progressInteractionId) is stored as NULL, as a whole-row replace should.
      for (const f of FIELDS) columns[COLUMN(f)] = task[f] ?? null;
      const leased = { lease_owner: lease?.owner ?? null, lease_expires_at: lease ? now + lease.ttlMs : null };
      const row = { ...columns, ...leased, task_id: task.taskId, created_at: now, updated_at: now };
      const { created_at: _created, task_id: _id, ...changed } = row as Insertable<TrackedTasksTable>;
      const stored = await db
        .insertInto('tracked_tasks')
        .values({ ...(row as Insertable<TrackedTasksTable>), lease_epoch: 1 })
        .onConflict((oc) => {
          const update = oc
            .column('task_id')
            .doUpdateSet({ ...changed, lease_epoch: sql`tracked_tasks.lease_epoch + 1` });
          return finishedOnly ? update.where('tracked_tasks.phase', '<>', 'active') : update;
        })
        .returning('lease_epoch')
        .executeTakeFirst();
      return stored ? Number(stored.lease_epoch) : null;
    });
  };

  return {
    async upsert(task, lease) {
      const epoch = await upsertWith(task, lease, false);
      if (epoch === null) throw new Error(`upsert of ${task.taskId} returned no row`);
      return epoch;
    },
    upsertUnlessActive: (task, lease) => upsertWith(task, lease, true),
    async get(taskId) {
      const row = await db.selectFrom('tracked_tasks').selectAll().where('task_id', '=', taskId).executeTakeFirst();
      return row ? fromRow(row) : null;
    },
    async listActive() {
      const rows = await db
        .selectFrom('tracked_tasks')
        .selectAll()
        .where('phase', '=', 'active')
        .orderBy('started_at')
        .orderBy('task_id')
        .execute();
      return rows.map(fromRow);
    },
    async listCleanup() {
      const rows = await db
        .selectFrom('tracked_tasks')
        .selectAll()
        .where('phase', '<>', 'active')
        .where('message_id', 'is not', null)
        .orderBy('updated_at')
        .orderBy('task_id')
        .execute();
      return rows.map(fromRow);
    },
    update(taskId, patch, fence) {
      // A write while the task's last one still waits for its round joins it (its fields over the
      // earlier ones, one answer for both): applied together, they are the two one after the other
      // with nothing between. A write under another fence waits behind it, as every write did.
      const waiting = open.get(taskId);
      if (waiting && !waiting.sent && sameFence(waiting.fence, fence)) {
        waiting.patch = { ...waiting.patch, ...definedFields(patch) };
        return waiting.result!;
      }
      const queued: QueuedPatch = { taskId, patch: definedFields(patch), fence, sent: false };
      open.set(taskId, queued);
      queued.result = inOrder(taskId, () => patches(queued));
      return queued.result;
    },
    delete(taskId) {
      closeFor(taskId);
      return inOrder(taskId, async () => {
        const result = await db.deleteFrom('tracked_tasks').where('task_id', '=', taskId).executeTakeFirst();
        return result.numDeletedRows > 0n;
      });
    },
    async prune(beforeMs) {
      // Its rows locked in task_id order first, as every multi-row write (batched-writes.ts).
      const result = await sql`
        DELETE FROM tracked_tasks AS t USING (
          SELECT task_id FROM tracked_tasks WHERE phase <> 'active' AND updated_at < ${beforeMs}
          ORDER BY task_id FOR UPDATE
        ) AS locked
        WHERE t.task_id = locked.task_id`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
    async countByPhase() {
      const rows = await db
        .selectFrom('tracked_tasks')
        .select((eb) => ['phase', eb.fn.countAll<number>().as('n')])
        .groupBy('phase')
        .execute();
      const counts: Record<TrackedPhase, number> = { active: 0, done: 0, gone: 0, timed_out: 0 };
      for (const { phase, n } of rows)
        if ((PHASES as readonly string[]).includes(phase)) counts[phase as TrackedPhase] = Number(n);
      return counts;
    },
  };
}
