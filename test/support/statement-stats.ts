// What the bot asks PostgreSQL, counted by the server itself: pg_stat_statements (loaded by
// startTestPostgres({ statementStats: true })) keeps, per database, how often each statement (its
// constants taken out) ran, BEGIN and COMMIT included. Counts are grouped by kind: the verb and the
// table it names first ("UPDATE tracked_tasks", "SELECT guild_settings", "BEGIN").
import pg from 'pg';

/** How often each kind of statement ran, most frequent first. */
export type StatementCounts = Array<{ kind: string; calls: number }>;

export interface StatementStats {
  /** Forgets every count so far (of every database). */
  reset(): Promise<void>;
  /** The counts of `database` since the last reset, by kind. */
  counts(database: string): Promise<StatementCounts>;
  close(): Promise<void>;
}

const FUNCTION_CALL = /^select\s+(pg_\w+)\s*\(/i;
const NAMED_TABLE = /^(?:insert\s+into|update|delete\s+from)\s+"?(\w+)"?/i;
const FROM_TABLE = /\bfrom\s+"?(\w+)"?/i;

/** A statement's kind: its verb, and for SELECT, INSERT, UPDATE and DELETE the table it names first. */
export function statementKind(query: string): string {
  const text = query.trim().replace(/\s+/g, ' ');
  const verb = (/^\w+/.exec(text)?.[0] ?? '?').toUpperCase();
  const call = FUNCTION_CALL.exec(text);
  if (call) return `SELECT ${call[1]}()`;
  const named = NAMED_TABLE.exec(text);
  if (named) return `${verb} ${named[1]}`;
  if (verb === 'SELECT' || verb === 'WITH') {
    const from = FROM_TABLE.exec(text);
    return from ? `${verb} ${from[1]}` : verb;
  }
  return verb;
}

/** Adds up counts by kind. */
export function byKind(rows: ReadonlyArray<{ query: string; calls: number }>): StatementCounts {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(statementKind(row.query), (totals.get(statementKind(row.query)) ?? 0) + row.calls);
  return [...totals]
    .map(([kind, calls]) => ({ kind, calls }))
    .sort((a, b) => b.calls - a.calls || (a.kind < b.kind ? -1 : 1));
}

/** The calls of one kind in `counts` (0 when it never ran). */
export const callsOf = (counts: StatementCounts, kind: string): number =>
  counts.find((c) => c.kind === kind)?.calls ?? 0;

/** Every call in `counts`. */
export const totalCalls = (counts: StatementCounts): number => counts.reduce((sum, c) => sum + c.calls, 0);

/** Connects to the server's own database (`adminUrl`) and makes sure the extension's view is there. */
export async function openStatementStats(adminUrl: string): Promise<StatementStats> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  return {
    async reset() {
      await client.query('SELECT pg_stat_statements_reset()');
    },
    async counts(database) {
      const answer = await client.query<{ query: string; calls: string }>(
        `SELECT s.query, s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1`,
        [database],
      );
      return byKind(answer.rows.map((r) => ({ query: r.query, calls: Number(r.calls) })));
    },
    close: () => client.end(),
  };
}
