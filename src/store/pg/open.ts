// openPostgresStore(url): the store on a PostgreSQL server (DATABASE_URL), through Kysely over a pg
// pool. Nothing connects until ready(), which migrates (see migrations.ts); bot.start() calls it first.
// BIGINT columns (times in ms, ids) are read back as numbers: every value the bot keeps fits in 2^53.
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../../clock.js';
import { StoreUnreachableError, StoreWriteError } from '../errors.js';
import type { Store, StoreOptions } from '../store.js';
import { createPgBannedPromptLog } from './banned-prompts.js';
import { createPgClickStore } from './clicks.js';
import { pgFaultCode, pgLoginProblem, pgWriteFaultReason } from './errors.js';
import { createAsyncWriter, guardAsyncWrites } from './guard.js';
import { createPgGuildSettingsRepo } from './guild-settings.js';
import { createPgInstanceRegistry } from './instances.js';
import { migratePostgres, pgSchemaVersion } from './migrations.js';
import type { PgSchema } from './schema.js';
import { createPgPushRelay } from './push-relay.js';
import { createPgTaskLeaseRepo } from './task-leases.js';
import { createPgTaskOwnerRepo } from './task-owners.js';
import { createPgTrackedTaskRepo } from './tracked-tasks.js';
import { createPgUsageLog } from './usage.js';

const INT8_OID = 20;

export interface PostgresStoreOptions extends StoreOptions {
  /** Connections in the pool (DATABASE_POOL_SIZE, default 10). */
  poolSize?: number;
  /** How long opening one connection may take, ms (default 5,000): an unreachable server fails fast. */
  connectTimeoutMs?: number;
  /**
   * How long a query may wait for a free connection, ms (default 30,000). A burst that keeps every
   * connection busy queues behind them; it must not fail the way an unreachable server does.
   */
  acquireTimeoutMs?: number;
}

/** Where the URL points, without its user and password: what messages may name. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return 'the DATABASE_URL server';
  }
}

/** A failure while connecting or migrating, as what it is. */
function openFault(err: unknown, url: string): unknown {
  if (err instanceof StoreWriteError || err instanceof StoreUnreachableError) return err;
  const login = pgLoginProblem(err);
  const reason = pgWriteFaultReason(err);
  if (login || reason === 'unreachable') {
    const detail = login ?? (err instanceof Error ? err.message : String(err));
    return new StoreUnreachableError(describePostgresUrl(url), pgFaultCode(err), detail);
  }
  return reason ? new StoreWriteError(reason, 'open', pgFaultCode(err)) : err;
}

/** pg's parsers, with BIGINT (int8) read as a number instead of a string. */
const typeParser = ((oid: number, format?: 'text' | 'binary'): unknown =>
  oid === INT8_OID ? Number : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser;

export function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Store {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const connection = {
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs,
    types: { getTypeParser: typeParser },
  };
  // pg-pool uses one setting for both waits: the time to get a free connection and (passed on to
  // each new client) the time to open one. The clients get the short connect timeout of their own.
  class BoundedConnectClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
      // pg-pool listens for errors only while a client is idle (logged below); a connection the server
      // drops while checked out emits 'error' too, and unheard that was an uncaught exception (found
      // by CI). Its query fails with it and says so; the pool drops the client once its socket closes.
      this.on('error', () => undefined);
    }
  }
  const pool = new pg.Pool({
    ...connection,
    connectionTimeoutMillis: Math.max(connectTimeoutMs, options.acquireTimeoutMs ?? 30_000),
    Client: BoundedConnectClient,
    max: options.poolSize ?? 10,
  });
  // An idle connection the server drops must not crash the process; the next query reconnects.
  const onIdleLost = (err: Error) =>
    options.log?.warn({ event: 'store.connection_lost', code: pgFaultCode(err) }, 'database connection lost');
  pool.on('error', onIdleLost);
  const db = new Kysely<PgSchema>({ dialect: new PostgresDialect({ pool }) });
  // The share keeper's beats have a connection of their own. Queued behind a burst that keeps every
  // pooled connection busy, a beat that waited past the alive window would have the other instances
  // count this one out, and drop it to 1 request/s towards Discord and the API until one landed.
  const beatPool = new pg.Pool({ ...connection, Client: BoundedConnectClient, max: 1 });
  beatPool.on('error', onIdleLost);
  const beatDb = new Kysely<PgSchema>({ dialect: new PostgresDialect({ pool: beatPool }) });
  // The tracker's own connections too, at most 3: its group-commit rounds (tracked-task patches,
  // lease confirms: one statement in flight per kind) and its lease heartbeat (renew, then claim).
  // In the shared pool each round queued behind the submit path's queries: at 10,000 tasks on one
  // instance a round ran about every 10 s and 9,000 patches waited at the peak (41 MB of callers).
  const trackerPool = new pg.Pool({ ...connection, Client: BoundedConnectClient, max: 3 });
  trackerPool.on('error', onIdleLost);
  const trackerDb = new Kysely<PgSchema>({ dialect: new PostgresDialect({ pool: trackerPool }) });
  const clock = options.clock ?? systemClock;
  const write = createAsyncWriter(options.log);
  // Names this store's settings changes, so its own listener skips them (its copy is dropped already).
  const origin = randomUUID();
  let ready: Promise<void> | null = null;
  let closed = false;
  return {
    backend: 'postgres',
    tracked: guardAsyncWrites(
      'tracked',
      createPgTrackedTaskRepo(db, clock, trackerDb),
      ['upsert', 'upsertUnlessActive', 'update', 'delete', 'prune'],
      write,
    ),
    leases: guardAsyncWrites(
      'leases',
      createPgTaskLeaseRepo(db, clock, trackerDb),
      ['claim', 'renew', 'confirm', 'release'],
      write,
    ),
    relay: createPgPushRelay(db, connection, options.log, origin),
    instances: guardAsyncWrites('instances', createPgInstanceRegistry(beatDb, clock), ['beat', 'leave'], write),
    settings: guardAsyncWrites(
      'settings',
      createPgGuildSettingsRepo(db, clock, origin),
      ['setUpdatesChannel', 'update', 'reset'],
      write,
    ),
    clicks: guardAsyncWrites(
      'clicks',
      createPgClickStore(db),
      ['record', 'recordFirst', 'complete', 'fail', 'prune'],
      write,
    ),
    owners: guardAsyncWrites('owners', createPgTaskOwnerRepo(db, clock), ['record', 'recordOwnerless'], write),
    bannedPrompts: guardAsyncWrites('bannedPrompts', createPgBannedPromptLog(db), ['record', 'prune'], write),
    usage: guardAsyncWrites('usage', createPgUsageLog(db), ['record', 'reserve', 'settle', 'prune'], write),
    ready() {
      ready ??= migratePostgres(db).then(
        () => undefined,
        (err: unknown) => {
          ready = null; // a later call tries again
          throw openFault(err, url);
        },
      );
      return ready;
    },
    schemaVersion: () => pgSchemaVersion(db),
    async ping() {
      await sql`SELECT 1 FROM tracked_tasks LIMIT 1`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([db.destroy(), beatDb.destroy(), trackerDb.destroy()]);
      // Kysely ends only a pool it has used: one never asked for (no beat, no round yet) would serve
      // the first query after close and keep the process alive.
      await Promise.all([pool, beatPool, trackerPool].filter((p) => !p.ending).map((p) => p.end()));
    },
  };
}
