// PostgreSQL's faults as the store's error types (../errors.ts): SQLSTATE classes and the driver's
// network errors become a write-fault reason; anything else (a bug, a constraint) is passed on.
import type { StoreWriteReason } from '../errors.js';

/** SQLSTATE (or its two-character class) → reason. https://www.postgresql.org/docs/current/errcodes-appendix.html */
const SQLSTATE_FAULTS: ReadonlyArray<readonly [string, StoreWriteReason]> = [
  ['53', 'disk_full'], // insufficient resources: disk full, out of memory, too many connections
  ['25006', 'read_only'], // read_only_sql_transaction: a standby, or default_transaction_read_only
  ['58', 'io_error'], // system error: I/O error, undefined file
  ['XX001', 'io_error'], // data_corrupted
  ['40001', 'busy'], // serialization_failure
  ['40P01', 'busy'], // deadlock_detected
  ['55P03', 'busy'], // lock_not_available
  ['57014', 'busy'], // query_canceled (statement_timeout)
  ['08', 'unreachable'], // connection exception
  ['57P', 'unreachable'], // admin / crash shutdown, cannot connect now
];

/** Node's socket errors on the way to the server. */
const NETWORK_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
];

function codeOf(err: unknown): string {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/** The code a fault is reported with: PG_<SQLSTATE>, Node's network code, or PG_CONNECTION for a dropped link. */
export function pgFaultCode(err: unknown): string {
  const code = codeOf(err);
  if (/^[0-9A-Z]{5}$/.test(code)) return `PG_${code}`;
  if (code !== '') return code;
  if (poolWaitTimedOut(err)) return 'PG_POOL_TIMEOUT';
  return droppedConnection(err) ? 'PG_CONNECTION' : '';
}

/** pg reports a connection that went away mid-query without a code, by message only. */
function droppedConnection(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/** pg-pool's own error when no connection came free in time (acquireTimeoutMs): no code, a message only. */
function poolWaitTimedOut(err: unknown): boolean {
  return err instanceof Error && /timeout exceeded when trying to connect/i.test(err.message);
}

export function pgWriteFaultReason(err: unknown): StoreWriteReason | null {
  const code = codeOf(err);
  // Every connection stayed busy: the server is up but cannot keep up, as with a lock wait.
  if (code === '' && poolWaitTimedOut(err)) return 'busy';
  if (NETWORK_CODES.includes(code) || (code === '' && droppedConnection(err))) return 'unreachable';
  if (!/^[0-9A-Z]{5}$/.test(code)) return null;
  return SQLSTATE_FAULTS.find(([prefix]) => code.startsWith(prefix))?.[1] ?? null;
}

/** Login refused (bad password, no such role) or no such database: the server answered, but not for us. */
export function pgLoginProblem(err: unknown): string | null {
  const code = codeOf(err);
  if (code === '28P01' || code === '28000') return 'it refused the login (check the user and password)';
  if (code === '3D000') return 'the database does not exist (create it, or fix its name)';
  return null;
}
