// The writes of the usage log on PostgreSQL (its reads and reservations: ./usage.ts; the contract:
// ../usage.ts). An event is a log row and a daily counter, written in one statement. A click's
// settle marks the click counted in that same statement and records its events only when the mark
// was not there yet: the row lock makes a second settle of the click (a look on another instance, or
// a late answer) wait for the first and then find the mark. A task found without its answer is
// counted in a transaction that locks the click's row first, so two pushes, a push and a look, or
// two instances count it once, and never past the places the click held.
import { sql, type Kysely, type Selectable } from 'kysely';
import { utcDayOf } from '../../days.js';
import {
  foundEvent,
  newlyFound,
  USAGE_COUNTER_RETENTION_DAYS,
  USAGE_LOG_RETENTION_DAYS,
  type UsageEvent,
} from '../usage.js';
import type { PgSchema, UsageDailyTable } from './schema.js';

const DAY_MS = 86_400_000;

type CounterRow = Omit<Selectable<UsageDailyTable>, 'n'> & { n: number };

/** The day's counters `events` add to: one row per key (one statement may touch a row once), n the events that share it. */
export function counterRows(events: readonly UsageEvent[]): CounterRow[] {
  const rows = new Map<string, CounterRow>();
  for (const { guildId, userId, at, action, outcome, rule = '' } of events) {
    const row = { guild_id: guildId, day: utcDayOf(at), user_id: userId, action, outcome, rule, n: 0 };
    const key = JSON.stringify([row.guild_id, row.day, row.user_id, action, outcome, rule]);
    const kept = rows.get(key) ?? row;
    kept.n += 1;
    rows.set(key, kept);
  }
  return [...rows.values()];
}

/**
 * `events`' log rows and counters, the drop of the hold `releaseId` names and (with `pruneAt`, the
 * first event of a new day) the drop of what is past retention, all in one statement: its data-modifying
 * parts commit together, with no BEGIN and COMMIT around them. No events: only the hold is dropped.
 */
/** An event as its usage_log row (its UTC day kept beside it for the daily counters). */
const logRow = ({ guildId, userId, at, action, outcome, rule = '' }: UsageEvent) => ({
  guild_id: guildId,
  user_id: userId,
  at,
  day: utcDayOf(at),
  action,
  outcome,
  rule,
});

export async function writeEvents(
  db: Kysely<PgSchema>,
  events: readonly UsageEvent[],
  releaseId: number | null,
  pruneAt: number | null,
): Promise<void> {
  const release = releaseId === null ? null : db.deleteFrom('usage_reservations').where('id', '=', releaseId);
  if (events.length === 0) {
    await release?.execute();
    return;
  }
  const parts = [sql`logged AS (${db.insertInto('usage_log').values(events.map(logRow))})`];
  if (release) parts.push(sql`released AS (${release})`);
  parts.push(...pruneParts(db, pruneAt));
  const counters = db
    .insertInto('usage_daily')
    .values(counterRows(events))
    .onConflict((oc) =>
      oc
        .columns(['guild_id', 'day', 'user_id', 'action', 'outcome', 'rule'])
        .doUpdateSet({ n: sql`usage_daily.n + excluded.n` }),
    );
  await sql`WITH ${sql.join(parts)} ${counters}`.execute(db);
}

/** The drops of what is past retention, as parts of a WITH (none without `pruneAt`). */
function pruneParts(db: Kysely<PgSchema>, pruneAt: number | null) {
  if (pruneAt === null) return [];
  const oldestDay = utcDayOf(pruneAt - USAGE_COUNTER_RETENTION_DAYS * DAY_MS);
  return [
    sql`old_log AS (${db.deleteFrom('usage_log').where('at', '<', pruneAt - USAGE_LOG_RETENTION_DAYS * DAY_MS)})`,
    sql`old_counters AS (${db.deleteFrom('usage_daily').where('day', '<', oldestDay)})`,
  ];
}

/**
 * writeEvents for a click, in one statement too: the click marked counted (unless it was), the hold
 * `releaseId` and the click's own holds dropped, and `events` recorded only when this statement made
 * the mark, less the started tasks pushes counted before (withoutFound: each started event has its
 * place `seq` among them, and the first `found` go). True when it made the mark.
 */
export async function writeClickEvents(
  db: Kysely<PgSchema>,
  events: readonly UsageEvent[],
  releaseId: number | null,
  clickId: number,
  pruneAt: number | null,
): Promise<boolean> {
  let started = 0;
  const rows = events.map((e) => ({ ...logRow(e), seq: e.outcome === 'started' ? ++started : 0 }));
  const result = await sql<{ recorded: boolean }>`WITH
    marked AS (UPDATE clicks SET usage_counted = true WHERE id = ${clickId} AND NOT usage_counted
      RETURNING cardinality(usage_found) AS found),
    released AS (DELETE FROM usage_reservations WHERE id = ${releaseId ?? -1} OR click_id = ${clickId}),
    events AS (SELECT e.* FROM marked, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS e(guild_id text, user_id text, at bigint, day text, action text, outcome text, rule text, seq int)
      WHERE e.seq = 0 OR e.seq > marked.found),
    logged AS (INSERT INTO usage_log (guild_id, user_id, at, day, action, outcome, rule)
      SELECT guild_id, user_id, at, day, action, outcome, rule FROM events),
    counted AS (INSERT INTO usage_daily (guild_id, day, user_id, action, outcome, rule, n)
      SELECT guild_id, day, user_id, action, outcome, rule, COUNT(*) FROM events
      GROUP BY guild_id, day, user_id, action, outcome, rule
      ON CONFLICT (guild_id, day, user_id, action, outcome, rule) DO UPDATE SET n = usage_daily.n + excluded.n)
    ${sql.join(
      pruneParts(db, pruneAt).map((part) => sql`, ${part}`),
      sql``,
    )}
    SELECT EXISTS (SELECT 1 FROM marked) AS recorded`.execute(db);
  return result.rows[0]?.recorded === true;
}

/**
 * Counts the tasks of a click found without its answer (the contract: UsageLog.countFound). The click's
 * row is locked first: a second count of it, here or on another instance, waits and then reads the
 * ids this one added. Resolves with the tasks counted now.
 */
export async function countFoundTasks(
  db: Kysely<PgSchema>,
  clickId: number,
  taskIds: readonly string[],
  close: boolean,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const click = await trx
      .selectFrom('clicks')
      .select(['guild_id', 'user_id', 'at', 'usage_action', 'usage_places', 'usage_found'])
      .where('id', '=', clickId)
      .where('usage_counted', '=', false)
      .forUpdate()
      .executeTakeFirst();
    if (!click) return 0;
    const fresh = newlyFound(click.usage_found, taskIds, Number(click.usage_places));
    if (fresh.length === 0 && !close) return 0;
    await trx
      .updateTable('clicks')
      .set({ usage_found: [...click.usage_found, ...fresh], ...(close ? { usage_counted: true } : {}) })
      .where('id', '=', clickId)
      .execute();
    const event = foundEvent(click);
    if (event && fresh.length > 0)
      await writeEvents(
        trx,
        fresh.map(() => event),
        null,
        null,
      );
    const holds = trx.deleteFrom('usage_reservations').where('click_id', '=', clickId);
    if (close) await holds.execute();
    else {
      // A hold with no place left goes; another gives up as many places as tasks were found.
      await holds.where('places', '<=', fresh.length).execute();
      await trx
        .updateTable('usage_reservations')
        .set({ places: sql`places - ${fresh.length}` })
        .where('click_id', '=', clickId)
        .execute();
    }
    return event ? fresh.length : 0;
  });
}
