// The pg pool as Kysely sees it, with one difference: a connection whose query failed because the
// link to the server went away (the server terminated the backend, a failover, a reset) is
// destroyed on release instead of going back to the pool. pg-pool only drops a client once its socket
// has closed; under load the socket's close can come after Kysely's release, and the next query then
// got the dead connection and failed as unreachable too (found by CI: the group-commit contract test,
// 2 runs in 8 on a busy machine, its first write after a terminated statement failed).
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { pgWriteFaultReason } from './errors.js';

export function discardingPool(pool: pg.Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      let lost = false;
      const query = async <R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> => {
        try {
          return (await client.query(sql, [...parameters])) as unknown as PostgresQueryResult<R>;
        } catch (err) {
          if (pgWriteFaultReason(err) === 'unreachable') lost = true;
          throw err;
        }
      };
      return {
        query: query as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy === true || lost),
      };
    },
    end: () => pool.end(),
  };
}
