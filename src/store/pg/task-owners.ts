// Who started each task, on PostgreSQL (the contract and its meaning: ../task-owners.ts).
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import { keptPrompt, type TaskOwnerRepo } from '../task-owners.js';
import type { PgSchema } from './schema.js';

/** `text` as a LIKE pattern matching it anywhere, its own % and _ taken literally. */
const containing = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createPgTaskOwnerRepo(db: Kysely<PgSchema>, clock: Clock): TaskOwnerRepo {
  return {
    async record(owner) {
      // One statement, the rule ../task-owners.ts writes for SQLite.
      const prompt = keptPrompt(owner.prompt);
      await db
        .insertInto('task_owners')
        .values({
          task_id: owner.taskId,
          guild_id: owner.guildId,
          user_id: owner.userId,
          created_at: clock.now(),
          prompt,
        })
        .onConflict((oc) =>
          oc
            .column('task_id')
            .doUpdateSet({
              guild_id: sql`CASE WHEN task_owners.user_id IS NULL THEN excluded.guild_id ELSE task_owners.guild_id END`,
              user_id: sql`COALESCE(task_owners.user_id, excluded.user_id)`,
              prompt: sql`COALESCE(task_owners.prompt, excluded.prompt)`,
            })
            .where((eb) =>
              eb.or([
                eb('task_owners.user_id', 'is', null),
                eb.and([eb('task_owners.prompt', 'is', null), eb('excluded.prompt', 'is not', null)]),
              ]),
            ),
        )
        .execute();
    },
    async recordOwnerless(taskId) {
      await db
        .insertInto('task_owners')
        .values({ task_id: taskId, guild_id: null, user_id: null, created_at: clock.now() })
        .onConflict((oc) => oc.column('task_id').doNothing())
        .execute();
    },
    async get(taskId) {
      const row = await db
        .selectFrom('task_owners')
        .select(['task_id', 'guild_id', 'user_id'])
        .where('task_id', '=', taskId)
        .executeTakeFirst();
      return row ? { taskId: row.task_id, guildId: row.guild_id, userId: row.user_id } : null;
    },
    async recentOf(userId, guildId, limit, search = '') {
      const pattern = containing(search.trim());
      const rows = await db
        .selectFrom('task_owners as o')
        .leftJoin('tracked_tasks as t', 't.task_id', 'o.task_id')
        .select(['o.task_id', 'o.prompt', 't.last_status', 't.last_progress', 't.phase'])
        .where('o.user_id', '=', userId)
        .where(sql<boolean>`o.guild_id IS NOT DISTINCT FROM ${guildId}`)
        .where((eb) => eb.or([eb(sql`o.task_id`, 'ilike', pattern), eb(sql`COALESCE(o.prompt, '')`, 'ilike', pattern)]))
        .orderBy('o.created_at', 'desc')
        .orderBy('o.seq', 'desc')
        .limit(Math.max(0, Math.trunc(limit)))
        .execute();
      return rows.map((r) => ({
        taskId: r.task_id,
        prompt: r.prompt,
        lastStatus: r.last_status,
        lastProgress: r.last_progress,
        phase: r.phase,
      }));
    },
  };
}
