// Banned prompts per member on PostgreSQL (the contract and its meaning: ../banned-prompts.ts).
import type { Kysely } from 'kysely';
import type { BannedPromptLog } from '../banned-prompts.js';
import type { PgSchema } from './schema.js';

export function createPgBannedPromptLog(db: Kysely<PgSchema>): BannedPromptLog {
  return {
    async record(userId, guildId, at) {
      await db.insertInto('banned_prompts').values({ user_id: userId, guild_id: guildId, at }).execute();
    },
    async timesSince(userId, since) {
      const rows = await db
        .selectFrom('banned_prompts')
        .select('at')
        .where('user_id', '=', userId)
        .where('at', '>=', since)
        .orderBy('at')
        .orderBy('id')
        .execute();
      return rows.map((r) => r.at);
    },
    async prune(beforeMs) {
      const result = await db.deleteFrom('banned_prompts').where('at', '<', beforeMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
