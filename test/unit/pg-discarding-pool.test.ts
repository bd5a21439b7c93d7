// discardingPool: a connection whose query failed because the link went away is destroyed on release;
// one whose query failed for any other reason (a constraint, a bug) goes back to the pool.
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { discardingPool } from '../../src/store/pg/discarding-pool.js';

function fakePool(fail: Error) {
  const released: unknown[] = [];
  const client = {
    query: (sql: string) => (sql === 'fail' ? Promise.reject(fail) : Promise.resolve({ rows: [{ sql }], rowCount: 1 })),
    release: (err?: unknown) => void released.push(err),
  };
  const pool = { connect: () => Promise.resolve(client), end: () => Promise.resolve() } as unknown as pg.Pool;
  return { pool: discardingPool(pool), released };
}

describe('discardingPool', () => {
  it('destroys a connection whose query failed as unreachable, and keeps one after any other failure', async () => {
    const cases: Array<[Error, boolean]> = [
      [Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }), true],
      [new Error('Connection terminated unexpectedly'), true],
      [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
      [Object.assign(new Error('duplicate key value'), { code: '23505' }), false],
    ];
    for (const [failure, destroyed] of cases) {
      const { pool, released } = fakePool(failure);
      const client = await pool.connect();
      await expect(client.query('fail', [])).rejects.toBe(failure);
      client.release();
      expect(released).toEqual([destroyed]);
    }
  });

  it('passes answers through and keeps a healthy connection, unless Kysely asks to destroy it', async () => {
    const { pool, released } = fakePool(new Error('never thrown: no query fails'));
    const client = await pool.connect();
    expect((await client.query<{ sql: string }>('SELECT 1', [])).rows).toEqual([{ sql: 'SELECT 1' }]);
    client.release();
    (await pool.connect()).release(true);
    expect(released).toEqual([false, true]);
  });
});
