// The click log on PostgreSQL (the contract and its meaning: ../clicks.ts).
import type { Kysely, Selectable } from 'kysely';
import type { ClickRecord, ClickStore } from '../clicks.js';
import type { ClicksTable, PgSchema } from './schema.js';

function fromRow(r: Selectable<ClicksTable>): ClickRecord {
  return {
    id: Number(r.id),
    messageId: r.message_id,
    customId: r.custom_id,
    userId: r.user_id,
    at: r.at,
    state: r.state === 'submitted' || r.state === 'failed' ? r.state : 'pending',
    childTaskId: r.child_task_id,
    followChannelId: r.follow_channel_id,
    followMessageId: r.follow_message_id,
  };
}

export function createPgClickStore(db: Kysely<PgSchema>): ClickStore {
  return {
    async record(attempt) {
      const row = await db
        .insertInto('clicks')
        .values({ message_id: attempt.messageId, custom_id: attempt.customId, user_id: attempt.userId, at: attempt.at })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    },
    async complete(id, result) {
      await db
        .updateTable('clicks')
        .set({
          state: 'submitted',
          child_task_id: result.childTaskId,
          follow_channel_id: result.followChannelId,
          follow_message_id: result.followMessageId,
        })
        .where('id', '=', id)
        .execute();
    },
    async fail(id) {
      await db.updateTable('clicks').set({ state: 'failed' }).where('id', '=', id).execute();
    },
    async findRecent(messageId, customId, since) {
      const row = await db
        .selectFrom('clicks')
        .selectAll()
        .where('message_id', '=', messageId)
        .where('custom_id', '=', customId)
        .where('at', '>=', since)
        .where('state', '<>', 'failed')
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },
    async countSince(userId, since) {
      const row = await db
        .selectFrom('clicks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('at', '>=', since)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async oldestSince(userId, since) {
      const row = await db
        .selectFrom('clicks')
        .select((eb) => eb.fn.min('at').as('t'))
        .where('user_id', '=', userId)
        .where('at', '>=', since)
        .executeTakeFirst();
      return row?.t === null || row?.t === undefined ? null : Number(row.t);
    },
    async prune(beforeMs) {
      const result = await db.deleteFrom('clicks').where('at', '<', beforeMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
