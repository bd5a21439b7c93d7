// What only the PostgreSQL backend has to show: the same schema versions as SQLite, migrations that
// instances starting together apply once, and its faults as the store's error types.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { isStoreUnreachableError, StoreWriteError } from '../../../src/store/errors.js';
import { MIGRATIONS } from '../../../src/store/migrations.js';
import { migratePostgres, PG_MIGRATIONS } from '../../../src/store/pg/migrations.js';
import { openPostgresStore } from '../../../src/store/pg/open.js';
import type { PgSchema } from '../../../src/store/pg/schema.js';
import type { Store } from '../../../src/store/store.js';
import { lockTable, type TestPostgres } from '../../support/postgres.js';
import { trackedTask } from './world.js';

async function query(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

export function describePostgresBackend(server: () => TestPostgres): void {
  describe('PostgreSQL backend', () => {
    const opened: Store[] = [];
    const open = (url: string, options: Parameters<typeof openPostgresStore>[1] = {}) => {
      const store = openPostgresStore(url, options);
      opened.push(store);
      return store;
    };
    const closeAll = () => Promise.all(opened.splice(0).map((s) => s.close()));

    it('mirrors every SQLite migration, version for version', () => {
      expect(PG_MIGRATIONS.map((m) => [m.version, m.description])).toEqual(
        MIGRATIONS.map((m) => [m.version, m.description]),
      );
    });

    it('migrates once when four instances start on one database at the same moment', async () => {
      const url = await server().createDatabase();
      try {
        const stores = [1, 2, 3, 4].map(() => open(url));
        await Promise.all(stores.map((s) => s.ready()));
        for (const s of stores) expect(await s.schemaVersion()).toBe(PG_MIGRATIONS.length);
        const rows = await query(url, 'SELECT version FROM schema_version ORDER BY version');
        expect(rows.rows.map((r: { version: number }) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
        await stores[0]!.ping();
      } finally {
        await closeAll();
      }
    });

    it('two instances claiming at once never get the same task (FOR UPDATE SKIP LOCKED), and together get all', async () => {
      const url = await server().createDatabase();
      try {
        const [a, b] = [open(url, { poolSize: 4 }), open(url, { poolSize: 4 })];
        await Promise.all([a.ready(), b.ready()]);
        const ids = Array.from({ length: 200 }, (_, i) => String(1_700_000_000_000_000 + i));
        for (const id of ids) await a.tracked.upsert(trackedTask(id, 5));
        const claimAll = async (store: Store, owner: string) => {
          const mine: string[] = [];
          // Several claims in flight per instance, as heartbeats and adoptions overlap.
          const claimer = async () => {
            for (;;) {
              const page = await store.leases.claim({ owner, ttlMs: 30_000 }, 7);
              if (page.length === 0) return;
              mine.push(...page.map((l) => l.task.taskId));
            }
          };
          await Promise.all([claimer(), claimer(), claimer()]);
          return mine;
        };
        const [mineA, mineB] = await Promise.all([claimAll(a, 'bot-a'), claimAll(b, 'bot-b')]);
        expect(mineA.length + mineB.length).toBe(ids.length);
        expect(new Set([...mineA, ...mineB])).toEqual(new Set(ids));
        expect(mineA.length).toBeGreaterThan(0);
        expect(mineB.length).toBeGreaterThan(0);
      } finally {
        await closeAll();
      }
    });

    it('a version-14 click keeps the places of its hold, so the tasks found of an Imagine all count four', async () => {
      const url = await server().createDatabase();
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const old = new Kysely<PgSchema>({ dialect: new PostgresDialect({ pool }) });
      try {
        await migratePostgres(old, PG_MIGRATIONS.slice(0, 14));
        await query(
          url,
          `INSERT INTO clicks (id, custom_id, user_id, at) OVERRIDING SYSTEM VALUE
            VALUES (1, 'imagine', 'm', 1), (2, 'imagine', 'm', 1);
          INSERT INTO usage_reservations (guild_id, user_id, day, at, expires_at, places, click_id)
            VALUES ('g', 'm', '2026-12-04', 1, 600001, 4, 1)`,
        );
      } finally {
        await old.destroy();
      }
      try {
        await open(url).ready();
        const rows = await query(url, 'SELECT id, usage_places, usage_found FROM clicks ORDER BY id');
        expect(rows.rows).toEqual([
          { id: '1', usage_places: 4, usage_found: [] },
          { id: '2', usage_places: 1, usage_found: [] },
        ]);
      } finally {
        await closeAll();
      }
    });

    it('relays a push to the other instances by task id (NOTIFY / LISTEN), and refuses a payload that is no task id', async () => {
      const url = await server().createDatabase();
      const [a, b] = [open(url), open(url)];
      const heard: string[] = [];
      let arrived: () => void = () => undefined;
      const stop = await b.relay.listen((taskId) => {
        heard.push(taskId);
        arrived();
      });
      try {
        const next = () => new Promise<void>((resolve) => (arrived = resolve));
        let coming = next();
        expect(await a.relay.tell('1700000000000001')).toBe(true);
        await coming;
        expect(await a.relay.tell('x'.repeat(101))).toBe(false);
        expect(await a.relay.tell('a b')).toBe(false);
        coming = next();
        // Sent around the relay: the listener takes only what can be a task id.
        await query(
          url,
          `SELECT pg_notify('mjtask_push', '${'9'.repeat(150)}'), pg_notify('mjtask_push', '1700000000000002')`,
        );
        await coming;
        expect(heard).toEqual(['1700000000000001', '1700000000000002']);
      } finally {
        await stop();
        await closeAll();
      }
    });

    it('a double click and a member’s clicks past the limit, arriving at two instances at once, are recorded once and up to the limit', async () => {
      const url = await server().createDatabase();
      try {
        const [a, b] = [open(url, { poolSize: 5 }), open(url, { poolSize: 5 })];
        await Promise.all([a.ready(), b.ready()]);
        const tries = (build: (i: number) => Parameters<Store['clicks']['recordFirst']>) =>
          Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).clicks.recordFirst(...build(i))));
        const sameButton = await tries((i) => [
          { messageId: '900000000000000001', customId: 'U1', userId: `member-${i}`, at: 1_000 + i },
          { repeatSince: 0, rate: null },
        ]);
        expect(sameButton.filter((r) => r.kind === 'recorded')).toHaveLength(1);
        expect(sameButton.filter((r) => r.kind === 'repeat')).toHaveLength(9);
        const oneMember = await tries((i) => [
          { messageId: `90000000000000010${i}`, customId: 'U1', userId: 'member-x', at: 2_000 + i },
          { repeatSince: 0, rate: { since: 0, limit: 3 } },
        ]);
        expect(oneMember.filter((r) => r.kind === 'recorded')).toHaveLength(3);
        expect(oneMember.filter((r) => r.kind === 'rate_limited')).toHaveLength(7);
      } finally {
        await closeAll();
      }
    });

    it('queries waiting for a busy pool wait past the connect timeout, and a wait past acquireTimeoutMs is a busy StoreWriteError', async () => {
      const url = await server().createDatabase();
      let lock: { release(): Promise<void> } | null = null;
      try {
        const ids = ['1700000000000011', '1700000000000012', '1700000000000013'];
        const seed = open(url);
        await seed.ready();
        for (const id of ids) await seed.tracked.upsert(trackedTask(id, 5));
        // The table locked for a while: the store's only connection waits on the lock, its other
        // queries wait for that connection, longer than a connection may take to open (200 ms).
        lock = await lockTable(url, 'tracked_tasks');
        const patient = open(url, { poolSize: 1, connectTimeoutMs: 200, acquireTimeoutMs: 20_000 });
        const hasty = open(url, { poolSize: 1, connectTimeoutMs: 200, acquireTimeoutMs: 300 });
        await Promise.all([patient.ready(), hasty.ready()]);
        const read = patient.tracked.get(ids[0]!);
        const waited = Promise.all(ids.map((id) => patient.tracked.update(id, { lastProgress: '50%' })));
        // A read has the connection (it waits on the lock); the writes time out in the pool, and each
        // of them is told. (Patches have connections of their own, open.ts: they wait on the lock.)
        const first = hasty.tracked.get(ids[0]!);
        const failures = await Promise.all(
          ids.map((id) =>
            hasty.tracked.upsert({ ...trackedTask(id, 5), lastProgress: '60%' }).then(
              () => null,
              (e: unknown) => e,
            ),
          ),
        );
        await lock.release();
        // The read and the patches wait on the lock on connections of their own: either goes first.
        expect(['', '50%']).toContain((await read)?.lastProgress);
        expect(await waited).toEqual([true, true, true]);
        expect(await first).toMatchObject({ taskId: ids[0] });
        for (const failure of failures) {
          expect(failure).toBeInstanceOf(StoreWriteError);
          expect(failure).toMatchObject({ reason: 'busy', operation: 'tracked.upsert', code: 'PG_POOL_TIMEOUT' });
        }
        for (const id of ids) expect((await seed.tracked.get(id))?.lastProgress).toBe('50%');
      } finally {
        await lock?.release();
        await closeAll();
      }
    });

    it('refuses a database written by a newer version', async () => {
      const url = await server().createDatabase();
      try {
        await open(url).ready();
        await query(url, `INSERT INTO schema_version VALUES (${PG_MIGRATIONS.length + 1}, 'future', 0)`);
        await expect(open(url).ready()).rejects.toThrow(/newer than this bot knows/);
      } finally {
        await closeAll();
      }
    });

    it('a server that cannot be reached, a wrong password or no such database is a clear start-up error', async () => {
      const closed = server().url('x').replace(`:${server().port}/`, ':1/');
      const wrongPassword = server().url().replace(':test-password@', ':not-the-password@');
      const missing = server().url('no_such_database');
      try {
        const unreachable = await open(closed.replace('/x', '/mjtask'))
          .ready()
          .catch((e: unknown) => e);
        expect(isStoreUnreachableError(unreachable)).toBe(true);
        expect(unreachable).toMatchObject({ code: 'ECONNREFUSED', target: '127.0.0.1:1/mjtask' });
        const login = await open(wrongPassword)
          .ready()
          .catch((e: unknown) => e);
        expect(login).toMatchObject({ name: 'StoreUnreachableError', code: 'PG_28P01' });
        expect(String((login as Error).message)).toMatch(/refused the login/);
        expect(String((login as Error).message)).not.toContain('not-the-password');
        await expect(open(missing).ready()).rejects.toThrow(/does not exist/);
      } finally {
        await closeAll();
      }
    });

    it('a write a read-only server refuses is a StoreWriteError (read_only) with a log line; reads go on', async () => {
      const url = await server().createDatabase();
      const lines: string[] = [];
      const log = createLogger({ level: 'info', secrets: [], destination: { write: (l: string) => lines.push(l) } });
      try {
        const store = open(url);
        await store.ready();
        await store.tracked.upsert(trackedTask('1700000000000001', 5));
        await store.close();
        await query(
          server().url(),
          `ALTER DATABASE ${new URL(url).pathname.slice(1)} SET default_transaction_read_only = on`,
        );
        const readOnly = open(url, { log });
        await readOnly.ready();
        const failure = await readOnly.tracked.update('1700000000000001', { phase: 'done' }).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(StoreWriteError);
        expect(failure).toMatchObject({ reason: 'read_only', operation: 'tracked.update', code: 'PG_25006' });
        expect(await readOnly.tracked.get('1700000000000001')).toMatchObject({ phase: 'active' });
        const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(logged.filter((l) => l.event === 'store.write_failed')).toEqual([
          expect.objectContaining({ reason: 'read_only', operation: 'tracked.update', code: 'PG_25006' }),
        ]);
      } finally {
        await closeAll();
      }
    });
  });
}
