// The tasks the bot follows: where their message is, who asked, how far they got. Rows stay after
// the result (phase done / gone / timed_out) so a late push is recognised; prune() drops old ones.
import type { Database, Statement } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Synchronous } from './synchronous.js';

/** Leases (meaning: ./leases.ts). A lease being granted or renewed: to this instance (INSTANCE_ID), for ttlMs from now (the store's clock). */
export interface LeaseGrant {
  owner: string;
  ttlMs: number;
}

/** What an owner's fenced writes carry: they change the row only while it holds the lease at this epoch. */
export interface LeaseFence {
  owner: string;
  epoch: number;
}

/** Why the bot follows a task; decides wording and who is mentioned. */
export type TrackOrigin = 'command' | 'click' | 'imagine' | 'watch' | 'feed';

/** Where a followed task is shown. */
export interface TaskTarget {
  guildId: string | null;
  channelId: string;
  /** The bot-owned message edited with progress; null until the first one is posted. */
  messageId: string | null;
  /** Member to mention in the result, null for feed-only tasks. */
  requesterId: string | null;
  origin: TrackOrigin;
  /**
   * The language of its channel messages (src/i18n: the server's /mjsettings choice, else its
   * guild_locale), fixed when the bot starts following it so a restart keeps it; null: English.
   */
  locale?: string | null;
  /**
   * The MJ customId of the button whose click started the task (null: not started by a click). Some
   * servers serve the new task without it, and an upscale's "Image #N" is read from it
   * (mj/task.ts withSubmittedCustomId); kept here so a restart still shows it.
   */
  submittedCustomId?: string | null;
  /**
   * The member's interaction whose webhook may create the first progress message, as a follow-up
   * (null: none). Discord's webhook create takes no nonce, so a bot that dies after Discord made the
   * follow-up and before its id is stored finds it again by this id (its interaction_metadata).
   */
  progressInteractionId?: string | null;
}

/** Lifecycle of a tracked task: only 'active' ones are followed. */
export type TrackedPhase = 'active' | 'done' | 'gone' | 'timed_out';

/** A tracked task as the store keeps it. */
export interface TrackedTask extends TaskTarget {
  taskId: string;
  /**
   * When the bot started following it (ms, bot clock): the max-age timeout counts from here, and the
   * Discord nonces are derived from (taskId, startedAt) so a re-follow of the same task gets new ones.
   */
  startedAt: number;
  /** Last status/progress the bot has seen (forward-only, see stateRank). */
  lastStatus: string;
  lastProgress: string;
  /** When the last push (notifyHook) arrived, ms; polling slows down for pushed tasks. */
  lastPushAt: number | null;
  /** Hash of the last payload rendered to Discord, so identical states cause no edit. */
  lastRenderHash: string | null;
  /** Id of the result message, once posted: its presence means the result was delivered. */
  resultMessageId: string | null;
  /**
   * active: followed; done: result delivered; gone: message deleted / access lost / undeliverable;
   * timed_out: the "timed out" result was delivered. After the result, `messageId` is set to null
   * once the progress message has been deleted (or the delete failed): a finished row that still
   * has a messageId is a pending clean-up, resumed by the tracker's start().
   */
  phase: TrackedPhase;
}

export type TrackedTaskPatch = Partial<Omit<TrackedTask, 'taskId'>>;

export interface TrackedTaskRepo {
  /**
   * Inserts or replaces the whole row (a re-follow of a finished task starts afresh), leased to
   * `lease` when given (else held by nobody); returns the row's new lease epoch.
   */
  upsert(task: TrackedTask, lease?: LeaseGrant): Promise<number>;
  /**
   * upsert() for a task an instance starts following: inserted, or replacing a finished row, in one
   * statement; null (nothing written) when an active row of that id is stored: a follow from before
   * a restart, or another instance's, which the caller adopts or leaves instead.
   */
  upsertUnlessActive(task: TrackedTask, lease: LeaseGrant): Promise<number | null>;
  get(taskId: string): Promise<TrackedTask | null>;
  /** Rows in phase 'active', oldest first. */
  listActive(): Promise<TrackedTask[]>;
  /** Finished rows whose progress message still has to be deleted (messageId not null). */
  listCleanup(): Promise<TrackedTask[]>;
  /**
   * Changes the given fields only; returns false when the task is not stored, or (with `fence`) when
   * that owner no longer holds it at that epoch: the write is refused, the row is another's now.
   */
  update(taskId: string, patch: TrackedTaskPatch, fence?: LeaseFence): Promise<boolean>;
  delete(taskId: string): Promise<boolean>;
  /** Deletes finished rows last updated before `beforeMs`; returns how many. */
  prune(beforeMs: number): Promise<number>;
  countByPhase(): Promise<Record<TrackedPhase, number>>;
}

export interface TrackedRow {
  task_id: string;
  guild_id: string | null;
  channel_id: string;
  message_id: string | null;
  requester_id: string | null;
  origin: string;
  started_at: number;
  last_status: string;
  last_progress: string;
  last_push_at: number | null;
  last_render_hash: string | null;
  result_message_id: string | null;
  phase: string;
  locale: string | null;
  submitted_custom_id: string | null;
  progress_interaction_id: string | null;
}

const PHASES: readonly TrackedPhase[] = ['active', 'done', 'gone', 'timed_out'];

export function fromRow(r: TrackedRow): TrackedTask {
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

/** TrackedTask field → column, for the patch statements below. */
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
} as const satisfies Record<keyof TrackedTaskPatch, string>;

type PatchField = keyof typeof COLUMNS;
const PATCH_FIELDS = Object.keys(COLUMNS) as PatchField[];

export function createTrackedTaskRepo(db: Database, clock: Clock): Synchronous<TrackedTaskRepo> {
  /** `finishedOnly`: an active row of that id stays as it is (upsertUnlessActive). */
  const upsertSql = (finishedOnly: boolean) => `
    INSERT INTO tracked_tasks (task_id, guild_id, channel_id, message_id, requester_id, origin, started_at, last_status,
      last_progress, last_push_at, last_render_hash, result_message_id, phase, locale, submitted_custom_id,
      progress_interaction_id, created_at, updated_at, lease_owner, lease_expires_at, lease_epoch)
    VALUES (@taskId, @guildId, @channelId, @messageId, @requesterId, @origin, @startedAt, @lastStatus,
      @lastProgress, @lastPushAt, @lastRenderHash, @resultMessageId, @phase, @locale, @submittedCustomId,
      @progressInteractionId, @now, @now,
      @leaseOwner, @leaseUntil, 1)
    ON CONFLICT (task_id) DO UPDATE SET guild_id = excluded.guild_id, channel_id = excluded.channel_id,
      message_id = excluded.message_id, requester_id = excluded.requester_id, origin = excluded.origin,
      started_at = excluded.started_at, last_status = excluded.last_status, last_progress = excluded.last_progress,
      last_push_at = excluded.last_push_at, last_render_hash = excluded.last_render_hash,
      result_message_id = excluded.result_message_id, phase = excluded.phase, locale = excluded.locale,
      submitted_custom_id = excluded.submitted_custom_id, progress_interaction_id = excluded.progress_interaction_id,
      updated_at = excluded.updated_at, lease_owner = excluded.lease_owner,
      lease_expires_at = excluded.lease_expires_at, lease_epoch = tracked_tasks.lease_epoch + 1
    ${finishedOnly ? "WHERE tracked_tasks.phase <> 'active'" : ''}
    RETURNING lease_epoch`;
  const upsertStmt = db.prepare(upsertSql(false));
  const upsertFinishedStmt = db.prepare(upsertSql(true));
  const getStmt = db.prepare<[string], TrackedRow>('SELECT * FROM tracked_tasks WHERE task_id = ?');
  const activeStmt = db.prepare<[], TrackedRow>(
    `SELECT * FROM tracked_tasks WHERE phase = 'active' ORDER BY started_at, task_id`,
  );
  const cleanupStmt = db.prepare<[], TrackedRow>(
    `SELECT * FROM tracked_tasks WHERE phase <> 'active' AND message_id IS NOT NULL ORDER BY updated_at, task_id`,
  );
  // One statement for every patch: each column changes only when its `has_` flag is 1, so a field
  // can also be set to NULL on purpose.
  // One statement per set of fields a patch changes, prepared once: it sets only those columns. A
  // statement that names every column (unchanged ones set to themselves) makes SQLite rewrite the
  // phase and lease indexes on every progress write, which made it 3× slower (84 µs against 25 µs a
  // write of status, progress and render hash at 10,000 rows).
  const patchStatements = new Map<string, Statement>();
  const patchStatementFor = (fields: readonly PatchField[]): Statement => {
    const key = fields.join(',');
    let stmt = patchStatements.get(key);
    if (!stmt) {
      stmt = db.prepare(
        `UPDATE tracked_tasks SET ${fields.map((f) => `${COLUMNS[f]} = @${f}, `).join('')}updated_at = @now
          WHERE task_id = @taskId AND (@fenceOwner IS NULL OR (lease_owner = @fenceOwner AND lease_epoch = @fenceEpoch))`,
      );
      patchStatements.set(key, stmt);
    }
    return stmt;
  };
  const deleteStmt = db.prepare('DELETE FROM tracked_tasks WHERE task_id = ?');
  const pruneStmt = db.prepare(`DELETE FROM tracked_tasks WHERE phase <> 'active' AND updated_at < ?`);
  const countStmt = db.prepare<[], { phase: string; n: number }>(
    'SELECT phase, COUNT(*) AS n FROM tracked_tasks GROUP BY phase',
  );

  /** The new epoch, or null when the statement wrote nothing. */
  const upsertWith = (stmt: Statement, task: TrackedTask, lease: LeaseGrant | undefined): number | null => {
    const now = clock.now();
    const leased = { leaseOwner: lease?.owner ?? null, leaseUntil: lease ? now + lease.ttlMs : null };
    // all(), not get(): a statement with RETURNING commits when it runs to its end, and get() stops
    // at the first row, so a commit the disk refuses (SQLITE_FULL) would read as a stored row.
    const [row] = stmt.all({
      ...task,
      locale: task.locale ?? null,
      submittedCustomId: task.submittedCustomId ?? null,
      progressInteractionId: task.progressInteractionId ?? null,
      now,
      ...leased,
    }) as Array<{ lease_epoch: number }>;
    return row ? row.lease_epoch : null;
  };

  return {
    upsert(task, lease) {
      const epoch = upsertWith(upsertStmt, task, lease);
      if (epoch === null) throw new Error(`upsert of ${task.taskId} returned no row`);
      return epoch;
    },
    upsertUnlessActive: (task, lease) => upsertWith(upsertFinishedStmt, task, lease),
    get(taskId) {
      const row = getStmt.get(taskId);
      return row ? fromRow(row) : null;
    },
    listActive: () => activeStmt.all().map(fromRow),
    listCleanup: () => cleanupStmt.all().map(fromRow),
    update(taskId, patch, fence) {
      const params: Record<string, unknown> = {
        taskId,
        now: clock.now(),
        fenceOwner: fence?.owner ?? null,
        fenceEpoch: fence?.epoch ?? null,
      };
      const fields = PATCH_FIELDS.filter(
        (f) => Object.prototype.hasOwnProperty.call(patch, f) && patch[f] !== undefined,
      );
      for (const f of fields) params[f] = patch[f];
      return patchStatementFor(fields).run(params).changes > 0;
    },
    delete: (taskId) => deleteStmt.run(taskId).changes > 0,
    prune: (beforeMs) => pruneStmt.run(beforeMs).changes,
    countByPhase() {
      const counts: Record<TrackedPhase, number> = { active: 0, done: 0, gone: 0, timed_out: 0 };
      for (const { phase, n } of countStmt.all())
        if ((PHASES as readonly string[]).includes(phase)) counts[phase as TrackedPhase] = n;
      return counts;
    },
  };
}
