// Check 8 on PostgreSQL (DATABASE_URL): the server answers, takes the login, has the database, and
// lets the bot create tables (tried in a transaction that is rolled back, so the doctor changes nothing).
import pg from 'pg';
import { PG_MIGRATIONS } from '../store/pg/migrations.js';
import { describePostgresUrl } from '../store/pg/open.js';
import { pgFaultCode, pgLoginProblem, pgWriteFaultReason } from '../store/pg/errors.js';
import { fail, ok, type CheckResult } from './types.js';

const NAME = 'Database';

function problemOf(err: unknown, target: string): CheckResult {
  const code = pgFaultCode(err) || 'error';
  const login = pgLoginProblem(err);
  if (login)
    return fail(
      NAME,
      `PostgreSQL at ${target}: ${login} (${code})`,
      'fix the user, password or database name in DATABASE_URL',
    );
  if (pgWriteFaultReason(err) === 'unreachable')
    return fail(
      NAME,
      `PostgreSQL at ${target} cannot be reached (${code})`,
      'check the host and port in DATABASE_URL, that the server runs, and that it accepts connections from this machine',
    );
  if (pgWriteFaultReason(err) === 'read_only')
    return fail(
      NAME,
      `PostgreSQL at ${target} is read-only (${code})`,
      'point DATABASE_URL at the primary server, not a standby',
    );
  const message = err instanceof Error ? err.message : String(err);
  return fail(
    NAME,
    `PostgreSQL at ${target} refused a write probe: ${message} (${code})`,
    'grant the DATABASE_URL user CREATE on the database (and its public schema), or use a user that owns it',
  );
}

export async function checkPostgres(url: string, timeoutMs = 5_000): Promise<CheckResult> {
  const target = describePostgresUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection the server drops while the check runs is reported by the query that fails.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const found = await client.query<{ found: boolean }>(`SELECT to_regclass('schema_version') IS NOT NULL AS found`);
    const version =
      found.rows[0]?.found === true
        ? Number(
            (await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version')).rows[0]?.v ?? 0,
          )
        : 0;
    await client.query('BEGIN');
    await client.query('CREATE TABLE doctor_write_probe (x INTEGER)');
    await client.query('ROLLBACK');
    const known = PG_MIGRATIONS.length;
    if (version > known)
      return fail(
        NAME,
        `PostgreSQL at ${target} has schema version ${version}, newer than this bot knows (${known})`,
        'run the newer bot version that wrote it, or point DATABASE_URL at another database',
      );
    const state =
      version === 0
        ? 'empty: the bot creates its tables at its first start'
        : `schema version ${version} of ${known}${version < known ? ', migrated at the next start' : ''}`;
    return ok(NAME, `PostgreSQL at ${target} is reachable and writable (${state})`);
  } catch (err) {
    return problemOf(err, target);
  } finally {
    await client.end().catch(() => undefined);
  }
}
