// Who started each task: written when the submit answer names the new task, or learnt from a task's
// signed state when the bot reads it. A task the bot read whose state it did not sign is kept as
// "started outside the bot" (no owner), so the next click on it needs no fetch to find that out.
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import type { Synchronous } from './synchronous.js';

export interface TaskOwner {
  taskId: string;
  guildId: string | null;
  /** The member who started it; null when the task was started outside the bot. */
  userId: string | null;
}

/** One of a member's tasks as /mjtask's suggestions show it: what the store knows, no API request. */
export interface OwnedTaskSummary {
  taskId: string;
  /** The prompt it was started with; null when not known. */
  prompt: string | null;
  /** Its last status while the tracker follows it (or after, until its row is pruned); null when not followed. */
  lastStatus: string | null;
  lastProgress: string | null;
  /** The tracker's phase (active, done, gone, timed_out); null when not followed. */
  phase: string | null;
}

export interface TaskOwnerRepo {
  /**
   * Records the starter (and the prompt, when given and none is known yet). A task that already has
   * a starter keeps it; a task known as ownerless gets it.
   */
  record(owner: TaskOwner & { userId: string; prompt?: string }): Promise<void>;
  /** Remembers that the task carries no state this bot signed (it keeps an owner it already has). */
  recordOwnerless(taskId: string): Promise<void>;
  /** What is known of the task's owner; null when the bot never saw the task. */
  get(taskId: string): Promise<TaskOwner | null>;
  /**
   * A member's tasks in a server, newest first, at most `limit`; `search` (when not empty) keeps those
   * whose id or prompt contains it, case-insensitively.
   */
  recentOf(userId: string, guildId: string | null, limit: number, search?: string): Promise<OwnedTaskSummary[]>;
}

/** Enough of a prompt to recognise and search the task by; the API keeps the whole of it. */
export const PROMPT_KEPT_MAX = 500;

interface SummaryRow {
  task_id: string;
  prompt: string | null;
  last_status: string | null;
  last_progress: string | null;
  phase: string | null;
}

/** The prompt a record keeps: trimmed and cut to PROMPT_KEPT_MAX; null when none was given. */
export function keptPrompt(prompt: string | undefined): string | null {
  const trimmed = prompt?.trim() ?? '';
  return trimmed === '' ? null : trimmed.slice(0, PROMPT_KEPT_MAX);
}

/** `text` as a LIKE pattern matching it anywhere, its own % and _ taken literally. */
const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface Row {
  task_id: string;
  guild_id: string | null;
  user_id: string | null;
}

export function createTaskOwnerRepo(db: Database, clock: Clock): Synchronous<TaskOwnerRepo> {
  // One statement on both backends (pg/task-owners.ts writes the same): a new task gets its starter and
  // prompt; a known one gets the starter (with its guild) only while it has none, and the prompt only
  // while it has none, whoever owns it; a task that has both is not written at all.
  const insert = db.prepare(
    `INSERT INTO task_owners (task_id, guild_id, user_id, created_at, prompt) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (task_id) DO UPDATE SET
       guild_id = CASE WHEN task_owners.user_id IS NULL THEN excluded.guild_id ELSE task_owners.guild_id END,
       user_id = COALESCE(task_owners.user_id, excluded.user_id),
       prompt = COALESCE(task_owners.prompt, excluded.prompt)
     WHERE task_owners.user_id IS NULL OR (task_owners.prompt IS NULL AND excluded.prompt IS NOT NULL)`,
  );
  const insertOwnerless = db.prepare(
    `INSERT OR IGNORE INTO task_owners (task_id, guild_id, user_id, created_at) VALUES (?, NULL, NULL, ?)`,
  );
  const select = db.prepare<[string], Row>('SELECT task_id, guild_id, user_id FROM task_owners WHERE task_id = ?');
  // Walks task_owners_member (user_id, guild_id, created_at) backwards; the tracker's row, when there is
  // one, says how the task stands.
  const recent = db.prepare<[string, string | null, string, string, number], SummaryRow>(
    `SELECT o.task_id, o.prompt, t.last_status, t.last_progress, t.phase
       FROM task_owners o LEFT JOIN tracked_tasks t ON t.task_id = o.task_id
      WHERE o.user_id = ? AND o.guild_id IS ?
        AND (o.task_id LIKE ? ESCAPE '\\' OR IFNULL(o.prompt, '') LIKE ? ESCAPE '\\')
      ORDER BY o.created_at DESC, o.rowid DESC
      LIMIT ?`,
  );
  return {
    record(owner) {
      insert.run(owner.taskId, owner.guildId, owner.userId, clock.now(), keptPrompt(owner.prompt));
    },
    recordOwnerless(taskId) {
      insertOwnerless.run(taskId, clock.now());
    },
    get(taskId) {
      const row = select.get(taskId);
      return row ? { taskId: row.task_id, guildId: row.guild_id, userId: row.user_id } : null;
    },
    recentOf(userId, guildId, limit, search = '') {
      const pattern = containing(search.trim());
      return recent.all(userId, guildId, pattern, pattern, Math.max(0, Math.trunc(limit))).map((r) => ({
        taskId: r.task_id,
        prompt: r.prompt,
        lastStatus: r.last_status,
        lastProgress: r.last_progress,
        phase: r.phase,
      }));
    },
  };
}
