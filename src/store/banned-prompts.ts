// Prompts the API refused as banned (code 24), per member. The C# fork counts banned prompts per API
// user, and the whole bot shares one, so a member who keeps sending them is paused (submit/guards).
import type { Database } from 'better-sqlite3';
import type { Synchronous } from './synchronous.js';

export interface BannedPromptLog {
  record(userId: string, guildId: string | null, at: number): Promise<void>;
  /** This member's banned prompts at or after `since`, oldest first (bot clock, ms). */
  timesSince(userId: string, since: number): Promise<number[]>;
  /** Deletes records older than `beforeMs`; returns how many. */
  prune(beforeMs: number): Promise<number>;
}

export function createBannedPromptLog(db: Database): Synchronous<BannedPromptLog> {
  const insert = db.prepare('INSERT INTO banned_prompts (user_id, guild_id, at) VALUES (?, ?, ?)');
  const since = db.prepare<[string, number], { at: number }>(
    'SELECT at FROM banned_prompts WHERE user_id = ? AND at >= ? ORDER BY at, id',
  );
  const prune = db.prepare('DELETE FROM banned_prompts WHERE at < ?');
  return {
    record(userId, guildId, at) {
      insert.run(userId, guildId, at);
    },
    timesSince: (userId, from) => since.all(userId, from).map((r) => r.at),
    prune: (beforeMs) => prune.run(beforeMs).changes,
  };
}
