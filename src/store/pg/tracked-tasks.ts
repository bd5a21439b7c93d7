// The tracked tasks on PostgreSQL (the contract and its meaning: ../tracked-tasks.ts). Writes to one
// task are applied in the order they were called, as SQLite's synchronous calls are: the tracker
// issues a task's saves without waiting for each, and the pool could otherwise run them out of order.
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Clock } from '../../clock.js';
import type { TrackedPhase, TrackedTask, TrackedTaskRepo, TrackOrigin } from '../tracked-tasks.js';
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

/** TrackedTask field → column. */
const COLUMNS = {
  guildId: 'guild_id',
  channelId: 'channel_id',
  messageId: 'message_id',
  requesterId: 'requester_id',
  origin: 'origin',
  startedAt: 'started_at',
  lastStatus: 'last_status',
  lastProgress: 'last_progress',
  lastPushAt: 'last_push_at',
  lastRenderHash: 'last_render_hash',
  resultMessageId: 'result_message_id',
  phase: 'phase',
  locale: 'locale',
  submittedCustomId: 'submitted_custom_id',
  progressInteractionId: 'progress_interaction_id',
} as const satisfies Record<keyof Omit<TrackedTask, 'taskId'>, keyof TrackedTasksTable>;

type Field = keyof typeof COLUMNS;
const FIELDS = Object.keys(COLUMNS) as Field[];

export function createPgTrackedTaskRepo(db: Kysely<PgSchema>, clock: Clock): TrackedTaskRepo {
  const inOrder = createKeyedChain();
  return {
    upsert: (task, lease) =>
      inOrder(task.taskId, async () => {
        const now = clock.now();
        const columns: Partial<Record<keyof TrackedTasksTable, unknown>> = {};
        // A field the task leaves out (locale, submittedCustomId, progressInteractionId) is stored as NULL, as a whole-row replace should.
        for (const f of FIELDS) columns[COLUMNS[f]] = task[f] ?? null;
        const leased = { lease_owner: lease?.owner ?? null, lease_expires_at: lease ? now + lease.ttlMs : null };
        const row = { ...columns, ...leased, task_id: task.taskId, created_at: now, updated_at: now };
        const { created_at: _created, task_id: _id, ...changed } = row as Insertable<TrackedTasksTable>;
        const stored = await db
          .insertInto('tracked_tasks')
          .values({ ...(row as Insertable<TrackedTasksTable>), lease_epoch: 1 })
          .onConflict((oc) =>
            oc.column('task_id').doUpdateSet({ ...changed, lease_epoch: sql`tracked_tasks.lease_epoch + 1` }),
          )
          .returning('lease_epoch')
          .executeTakeFirstOrThrow();
        return Number(stored.lease_epoch);
      }),
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
    update: (taskId, patch, fence) =>
      inOrder(taskId, async () => {
        const set: Partial<Record<keyof TrackedTasksTable, unknown>> = { updated_at: clock.now() };
        for (const f of FIELDS)
          if (Object.prototype.hasOwnProperty.call(patch, f) && patch[f] !== undefined) set[COLUMNS[f]] = patch[f];
        let update = db
          .updateTable('tracked_tasks')
          .set(set as Updateable<TrackedTasksTable>)
          .where('task_id', '=', taskId);
        if (fence) update = update.where('lease_owner', '=', fence.owner).where('lease_epoch', '=', fence.epoch);
        const result = await update.executeTakeFirst();
        return result.numUpdatedRows > 0n;
      }),
    delete: (taskId) =>
      inOrder(taskId, async () => {
        const result = await db.deleteFrom('tracked_tasks').where('task_id', '=', taskId).executeTakeFirst();
        return result.numDeletedRows > 0n;
      }),
    async prune(beforeMs) {
      const result = await db
        .deleteFrom('tracked_tasks')
        .where('phase', '<>', 'active')
        .where('updated_at', '<', beforeMs)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
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
