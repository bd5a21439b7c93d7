// Who started each task: written when the submit answer names the new task, or learnt from a task's
// signed state when the bot reads it. A task the bot read whose state it did not sign is kept as
// "started outside the bot" (no owner), so the next click on it needs no fetch to find that out.
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';

export interface TaskOwner {
  taskId: string;
  guildId: string | null;
  /** The member who started it; null when the task was started outside the bot. */
  userId: string | null;
}

export interface TaskOwnerRepo {
  /** Records the starter. A task that already has one keeps it; a task known as ownerless gets it. */
  record(owner: TaskOwner & { userId: string }): void;
  /** Remembers that the task carries no state this bot signed (it keeps an owner it already has). */
  recordOwnerless(taskId: string): void;
  /** What is known of the task's owner; null when the bot never saw the task. */
  get(taskId: string): TaskOwner | null;
}

interface Row {
  task_id: string;
  guild_id: string | null;
  user_id: string | null;
}

export function createTaskOwnerRepo(db: Database, clock: Clock): TaskOwnerRepo {
  const insert = db.prepare(
    `INSERT INTO task_owners (task_id, guild_id, user_id, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (task_id) DO UPDATE SET guild_id = excluded.guild_id, user_id = excluded.user_id
     WHERE task_owners.user_id IS NULL`,
  );
  const insertOwnerless = db.prepare(
    `INSERT OR IGNORE INTO task_owners (task_id, guild_id, user_id, created_at) VALUES (?, NULL, NULL, ?)`,
  );
  const select = db.prepare<[string], Row>('SELECT task_id, guild_id, user_id FROM task_owners WHERE task_id = ?');
  return {
    record(owner) {
      insert.run(owner.taskId, owner.guildId, owner.userId, clock.now());
    },
    recordOwnerless(taskId) {
      insertOwnerless.run(taskId, clock.now());
    },
    get(taskId) {
      const row = select.get(taskId);
      return row ? { taskId: row.task_id, guildId: row.guild_id, userId: row.user_id } : null;
    },
  };
}
