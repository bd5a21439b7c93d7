// openStore(path): the bot's SQLite database (better-sqlite3, synchronous inside, served through the
// asynchronous Store contract). One file, WAL mode, checked (quick_check) and migrated on open; every
// repository prepares its statements once.
// Storage faults come out as ./errors.ts types: StoreDamagedError at open, StoreWriteError on a write.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { createBannedPromptLog, type BannedPromptLog } from './banned-prompts.js';
import { createClickStore, type ClickStore } from './clicks.js';
import { StoreDamagedError, StoreWriteError, isDamageCode, sqliteCode, writeFaultReason } from './errors.js';
import { createGuildSettingsRepo, type GuildSettingsRepo } from './guild-settings.js';
import type { InstanceRegistry } from './instances.js';
import type { TaskLeaseRepo } from './leases.js';
import { migrate, schemaVersion } from './migrations.js';
import { localPushRelay, type PushRelay } from './push-relay.js';
import { createTaskLeaseRepo } from './task-leases.js';
import { createTaskOwnerRepo, type TaskOwnerRepo } from './task-owners.js';
import { createTrackedTaskRepo, type TrackedTaskRepo } from './tracked-tasks.js';
import type { Synchronous } from './synchronous.js';
import type { UsageLog } from './usage.js';
import { createUsageLog } from './usage-sqlite.js';

/**
 * The bot's storage contract, the same on both backends: this file's SQLite (the default, DATABASE_PATH)
 * and PostgreSQL (DATABASE_URL, pg/open.ts). The contract tests (test/unit/store-contract) run on both.
 */
export interface Store {
  /** Which backend this is, for /healthz and the doctor. */
  readonly backend: 'sqlite' | 'postgres';
  readonly tracked: TrackedTaskRepo;
  /** Which instance follows each active tracked task (./leases.ts). */
  readonly leases: TaskLeaseRepo;
  /** Pushes that arrive at an instance which does not own the task, on their way to its owner (./push-relay.ts). */
  readonly relay: PushRelay;
  /** The instances sharing the database and their parts of Discord's global limit (./instances.ts); null on SQLite. */
  readonly instances: InstanceRegistry | null;
  readonly settings: GuildSettingsRepo;
  readonly clicks: ClickStore;
  /** Who started each task the bot submitted. */
  readonly owners: TaskOwnerRepo;
  /** Banned prompts per member, for the pause. */
  readonly bannedPrompts: BannedPromptLog;
  /** Paid submits and refusals per server, member and day (quotas, /mjusage). */
  readonly usage: UsageLog;
  /**
   * Connects and brings the schema up to date; every other method needs it done first. SQLite does
   * that when opened (this resolves at once); PostgreSQL connects here. Safe to call again.
   */
  ready(): Promise<void>;
  /** Applied schema version (SQLite: PRAGMA user_version; PostgreSQL: schema_version). */
  schemaVersion(): Promise<number>;
  /** Reads one page of a table: rejects when the database does not answer (for /healthz). */
  ping(): Promise<void>;
  /** Closes the database; safe to call twice. */
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Source of created/updated times; defaults to the system clock. */
  clock?: Clock;
  /** Where failed writes are logged (reason, operation, SQLite code). */
  log?: Logger;
  /**
   * Largest size the file may grow to (rounded down to whole pages); a write beyond it fails as a
   * full disk would. Unbounded by default.
   */
  maxSizeBytes?: number;
}

/** How many quick_check findings are kept for the message; one is enough to refuse the file. */
const QUICK_CHECK_LINES = 5;

/** Runs `fn` (a write); a storage fault becomes a StoreWriteError and a log line, anything else is rethrown. */
type Writer = <T>(operation: string, fn: () => T) => T;

function createWriter(log: Logger | undefined): Writer {
  return (operation, fn) => {
    try {
      return fn();
    } catch (err) {
      const reason = writeFaultReason(err);
      if (!reason) throw err;
      const failure = new StoreWriteError(reason, operation, sqliteCode(err));
      log?.error({ event: 'store.write_failed', reason, operation, code: failure.code }, failure.message);
      throw failure;
    }
  };
}

/**
 * A synchronous SQLite repository served as its asynchronous contract: every method returns a Promise
 * (a throw becomes a rejection), and the named write methods run through `write`, so every write path
 * is covered at once.
 */
function serve<T extends object>(
  name: string,
  target: Synchronous<T>,
  writes: ReadonlyArray<keyof T>,
  write: Writer,
): T {
  const served: Record<string, unknown> = {};
  for (const method of Object.keys(target) as Array<keyof T & string>) {
    const original = target[method] as (...args: unknown[]) => unknown;
    const run = (args: unknown[]) => original.apply(target, args);
    served[method] = writes.includes(method)
      ? (...args: unknown[]) => settle(() => write(`${name}.${method}`, () => run(args)))
      : (...args: unknown[]) => settle(() => run(args));
  }
  return served as T;
}

/** Runs `fn` now (so statements keep the order of the calls) and hands its outcome back as a Promise. */
function settle<R>(fn: () => R): Promise<R> {
  // The executor runs at once; what it throws becomes the rejection.
  return new Promise<R>((resolve) => resolve(fn()));
}

/** Refuses a file SQLite cannot fully read: quick_check checks every page's structure, without the slow index cross-check. */
function checkIntegrity(db: Database.Database, path: string): void {
  const rows = db.pragma(`quick_check(${QUICK_CHECK_LINES})`, { simple: false }) as Array<{ quick_check: string }>;
  const findings = rows.map((r) => r.quick_check.replace(/\s+/g, ' ').trim());
  if (findings.length !== 1 || findings[0] !== 'ok') throw new StoreDamagedError(path, findings);
}

/** A failure while opening, as what it is: a damaged file, a file that cannot be written, or itself. */
function openFault(err: unknown, path: string): unknown {
  if (err instanceof StoreDamagedError || err instanceof StoreWriteError) return err;
  if (isDamageCode(err)) return new StoreDamagedError(path, [sqliteCode(err)]);
  const reason = writeFaultReason(err);
  return reason ? new StoreWriteError(reason, 'open', sqliteCode(err)) : err;
}

/** Opens (creating the folder and file if needed), checks and migrates the database. ':memory:' is allowed. */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const write = createWriter(options.log);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw openFault(err, path);
  }
  try {
    checkIntegrity(db, path);
    // WAL: readers never block the writer, and a crash loses at most the last transaction.
    if (!inMemory) write('open.journal_mode', () => db.pragma('journal_mode = WAL'));
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    if (options.maxSizeBytes !== undefined) {
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
    }
    write('open.migrate', () => migrate(db));
  } catch (err) {
    db.close();
    throw openFault(err, path);
  }
  const clock = options.clock ?? systemClock;
  let open = true;
  return {
    backend: 'sqlite',
    tracked: serve<TrackedTaskRepo>(
      'tracked',
      createTrackedTaskRepo(db, clock),
      ['upsert', 'upsertUnlessActive', 'update', 'delete', 'prune'],
      write,
    ),
    leases: serve<TaskLeaseRepo>(
      'leases',
      createTaskLeaseRepo(db, clock),
      ['claim', 'renew', 'confirm', 'release'],
      write,
    ),
    relay: localPushRelay,
    instances: null,
    settings: serve<GuildSettingsRepo>(
      'settings',
      createGuildSettingsRepo(db, clock),
      ['setUpdatesChannel', 'update', 'reset'],
      write,
    ),
    clicks: serve<ClickStore>(
      'clicks',
      createClickStore(db),
      ['record', 'recordFirst', 'complete', 'fail', 'prune', 'claimLook'],
      write,
    ),
    owners: serve<TaskOwnerRepo>('owners', createTaskOwnerRepo(db, clock), ['record', 'recordOwnerless'], write),
    bannedPrompts: serve<BannedPromptLog>('bannedPrompts', createBannedPromptLog(db), ['record', 'prune'], write),
    usage: serve<UsageLog>('usage', createUsageLog(db), ['record', 'reserve', 'settle', 'countFound', 'prune'], write),
    ready: () => Promise.resolve(),
    schemaVersion: () => settle(() => schemaVersion(db)),
    // Reads one page of a table: a server database answers over the network.
    ping: () => settle(() => void db.prepare('SELECT 1 FROM tracked_tasks LIMIT 1').get()),
    close() {
      if (open) {
        open = false;
        db.close();
      }
      return Promise.resolve();
    },
  };
}
