// Storage faults as what they are. A damaged file stops the bot at start (running on it would drop
// the tasks it follows without a word); a write that fails (disk full, read-only, I/O error, locked)
// is one typed error, so a caller can tell a member "the bot cannot save right now" instead of
// guessing from whatever failed next.

/** Why a write failed, from SQLite's (extended) result code or PostgreSQL's SQLSTATE (pg/errors.ts). */
export type StoreWriteReason = 'disk_full' | 'read_only' | 'io_error' | 'busy' | 'unreachable';

/** SQLite result-code prefixes → reason; extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED…) share them. */
const WRITE_FAULTS: ReadonlyArray<readonly [string, StoreWriteReason]> = [
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_CANTOPEN', 'read_only'],
  ['SQLITE_IOERR', 'io_error'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
];
const DAMAGE_CODES = ['SQLITE_CORRUPT', 'SQLITE_NOTADB'];

const REASON_TEXT: Record<StoreWriteReason, string> = {
  disk_full: 'the disk (or the database size limit) is full',
  read_only: 'the file or its folder is read-only',
  io_error: 'the disk reported an I/O error',
  busy: 'another process holds the database locked',
  unreachable: 'the database server cannot be reached',
};

export function sqliteCode(err: unknown): string {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : '';
}

/** The write-fault reason of a SQLite error, or null when it is something else (a bug, a constraint). */
export function writeFaultReason(err: unknown): StoreWriteReason | null {
  const code = sqliteCode(err);
  return WRITE_FAULTS.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))?.[1] ?? null;
}

export function isDamageCode(err: unknown): boolean {
  const code = sqliteCode(err);
  return DAMAGE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`));
}

/** A write the database refused for a storage reason; nothing of that write was saved. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
  constructor(
    readonly reason: StoreWriteReason,
    /** What was being written, e.g. "clicks.record" (never the values). */
    readonly operation: string,
    /** SQLite's extended result code (SQLITE_FULL), PG_ and PostgreSQL's SQLSTATE (PG_53100), or a network code (ECONNREFUSED). */
    readonly code: string,
  ) {
    super(`The database cannot save right now: ${REASON_TEXT[reason]} (${code}, ${operation}).`);
  }
}

export function isStoreWriteError(err: unknown): err is StoreWriteError {
  return err instanceof StoreWriteError;
}

/** The database file failed its integrity check (or is not a database): the bot must not start on it. */
export class StoreDamagedError extends Error {
  override readonly name = 'StoreDamagedError';
  constructor(
    readonly path: string,
    /** What SQLite found (the first few quick_check lines, or the open error's code). */
    readonly findings: readonly string[],
  ) {
    super(
      [
        `The database file ${path} is damaged (${findings.slice(0, 3).join('; ')}).`,
        'The bot stopped rather than start without the tasks it follows. Stop every copy of the bot, keep a copy of the file, then either:',
        `  - restore it from a backup, or`,
        `  - recover what can be read: sqlite3 "${path}" ".recover" | sqlite3 "${path}.recovered", then set DATABASE_PATH to the new file, or`,
        `  - move it away to start with an empty database (followed tasks, the click log and /mjupdates settings are then forgotten).`,
      ].join('\n'),
    );
  }
}

export function isStoreDamagedError(err: unknown): err is StoreDamagedError {
  return err instanceof StoreDamagedError;
}

/** The database server (DATABASE_URL) cannot be reached or refuses the bot at start: nothing was read or written. */
export class StoreUnreachableError extends Error {
  override readonly name = 'StoreUnreachableError';
  constructor(
    /** host:port/database, never the user or password. */
    readonly target: string,
    /** The driver's code (ECONNREFUSED, PG_28P01…). */
    readonly code: string,
    detail: string,
  ) {
    super(
      `The PostgreSQL server at ${target} cannot be used: ${detail}${code ? ` (${code})` : ''}. Check DATABASE_URL, and that the server runs and accepts this bot's connections.`,
    );
  }
}

export function isStoreUnreachableError(err: unknown): err is StoreUnreachableError {
  return err instanceof StoreUnreachableError;
}
