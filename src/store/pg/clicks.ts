// The click log on PostgreSQL (the contract and its meaning: ../clicks.ts). recordFirst is atomic
// across instances: its transaction first takes an advisory lock on the button, then one on the member
// (always in that order, so two of them never wait on each other), then checks and inserts. A unique
// index cannot say "one click per button within the window, failed ones not counting": the locks can.
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  clickStateOf,
  heldOf,
  insertedClick,
  unansweredOf,
  type ClickAttempt,
  type ClickRecord,
  type ClickStore,
} from '../clicks.js';
import type { ClicksTable, PgSchema } from './schema.js';
import { countedOutInstances } from './instances.js';

function fromRow(r: Selectable<ClicksTable>): ClickRecord {
  return {
    id: Number(r.id),
    messageId: r.message_id,
    customId: r.custom_id,
    userId: r.user_id,
    at: r.at,
    state: clickStateOf(r.state),
    childTaskId: r.child_task_id,
    followChannelId: r.follow_channel_id,
    followMessageId: r.follow_message_id,
  };
}

/** The reads and the insert, on the pool or inside a transaction. */
function clickQueries(db: Kysely<PgSchema>) {
  return {
    async insert(attempt: ClickAttempt): Promise<number> {
      const row = await db
        .insertInto('clicks')
        .values(insertedClick(attempt))
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    },
    async findRecent(messageId: string, customId: string, since: number): Promise<ClickRecord | null> {
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
    async countSince(userId: string, since: number): Promise<number> {
      const row = await db
        .selectFrom('clicks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('at', '>=', since)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async oldestSince(userId: string, since: number): Promise<number | null> {
      const row = await db
        .selectFrom('clicks')
        .select((eb) => eb.fn.min('at').as('t'))
        .where('user_id', '=', userId)
        .where('at', '>=', since)
        .executeTakeFirst();
      return row?.t === null || row?.t === undefined ? null : Number(row.t);
    },
  };
}

/** Advisory lock keys: a 32-bit class ('mjtc') and the key's hash. */
const LOCK_CLASS = 0x6d6a7463;

export function createPgClickStore(db: Kysely<PgSchema>): ClickStore {
  const onPool = clickQueries(db);
  return {
    record: (attempt) => onPool.insert(attempt),
    async recordFirst(attempt, rules) {
      const { messageId } = attempt;
      const repeatSince = messageId === null ? null : rules.repeatSince;
      // Nothing to check first (/imagine with no rate limit): the insert alone, without the two round
      // trips of a transaction around it.
      if (repeatSince === null && !rules.rate) return { kind: 'recorded', id: await onPool.insert(attempt) };
      return db.transaction().execute(async (trx) => {
        const q = clickQueries(trx);
        if (repeatSince !== null && messageId !== null) {
          const button = `button:${messageId}|${attempt.customId}`;
          await sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${button}))`.execute(trx);
          const previous = await q.findRecent(messageId, attempt.customId, repeatSince);
          if (previous) return { kind: 'repeat' as const, previous };
        }
        if (rules.rate) {
          await sql`SELECT pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(${`member:${attempt.userId}`}))`.execute(trx);
          if ((await q.countSince(attempt.userId, rules.rate.since)) >= rules.rate.limit)
            return {
              kind: 'rate_limited' as const,
              oldest: (await q.oldestSince(attempt.userId, rules.rate.since)) ?? attempt.at,
            };
        }
        return { kind: 'recorded' as const, id: await q.insert(attempt) };
      });
    },
    async complete(id, result, onlyPending = false) {
      let update = db
        .updateTable('clicks')
        .set({
          state: 'submitted',
          child_task_id: result.childTaskId,
          follow_channel_id: result.followChannelId,
          follow_message_id: result.followMessageId,
        })
        .where('id', '=', id);
      // One statement: of two finders at once, the second re-checks the row it waited for and skips it.
      if (onlyPending) update = update.where('state', '=', 'pending');
      await update.execute();
    },
    async fail(id) {
      await db.updateTable('clicks').set({ state: 'failed' }).where('id', '=', id).execute();
    },
    findRecent: (messageId, customId, since) => onPool.findRecent(messageId, customId, since),
    countSince: (userId, since) => onPool.countSince(userId, since),
    oldestSince: (userId, since) => onPool.oldestSince(userId, since),
    async prune(beforeMs) {
      const result = await db.deleteFrom('clicks').where('at', '<', beforeMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async unanswered(q) {
      const rows = await db
        .selectFrom('clicks')
        .selectAll()
        .where('state', '=', 'pending')
        .where('at', '>=', q.since)
        .where((eb) => {
          const unanswerable = eb('at', '<=', q.before);
          if (q.silent === undefined) return unanswerable;
          // Made by an instance counted out (ClickAttempt.madeBy): nothing can answer it any more.
          const silent = countedOutInstances(q.silent.since, q.silent.self);
          return eb.or([unanswerable, eb('made_by', 'in', silent)]);
        })
        .where('channel_id', 'is not', null)
        .where((eb) => eb.or([eb('recover_after', 'is', null), eb('recover_after', '<=', q.now)]))
        .where('recover_tries', '<', q.maxTries)
        .orderBy('at')
        .orderBy('id')
        .limit(q.limit)
        .execute();
      return rows.map(unansweredOf);
    },
    async claimLook(id, now, until) {
      // One statement: under READ COMMITTED the second of two instances re-checks the row it waited for.
      const result = await db
        .updateTable('clicks')
        .set((eb) => ({ recover_after: until, recover_tries: eb('recover_tries', '+', 1) }))
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('recover_after', 'is', null), eb('recover_after', '<=', now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async get(id) {
      const row = await db.selectFrom('clicks').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? heldOf(row) : null;
    },
  };
}
