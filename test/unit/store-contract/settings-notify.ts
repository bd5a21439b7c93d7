// Instances sharing PostgreSQL keep their copies of a server's settings (src/store/settings-cache.ts)
// current with each other: a change through one store is told to the other as it commits (NOTIFY
// mjtask_settings, pg/guild-settings.ts and pg/push-relay.ts), so its copy is dropped long before the
// copy's 5 seconds; the test's clock never moves, so only the notification can make it read again.
// A listening connection that was lost and opened again says so, since what was told meanwhile is
// missed. A store is not told of its own changes.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src/store/pg/open.js';
import type { RelayWatchers } from '../../../src/store/push-relay.js';
import { withCachedSettings } from '../../../src/store/settings-cache.js';
import type { Store } from '../../../src/store/store.js';
import type { TestPostgres } from '../../support/postgres.js';

const G = '100000000000000001';
const H = '100000000000000002';
const OWN = '100000000000000003';
const ADMIN = '300000000000000001';

/** Asks `read` until it gives `wanted` (each ask a read of the copy), or fails after `ms`. */
async function eventually<T>(read: () => Promise<T>, wanted: T, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value === wanted) return;
    if (Date.now() > until) throw new Error(`still ${String(value)} after ${ms} ms, wanted ${String(wanted)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function describeSettingsNotify(server: () => TestPostgres): void {
  describe('settings changes between instances (PostgreSQL)', () => {
    it('a first quota set through one instance reaches the other’s copy as it commits, not after its TTL', async () => {
      const url = await server().createDatabase();
      const frozen = { now: () => 1_000_000 };
      const a = openPostgresStore(url);
      const b = withCachedSettings(openPostgresStore(url), frozen);
      const stores: Store[] = [a, b];
      await Promise.all(stores.map((s) => s.ready()));
      const stop = await b.relay.listen(() => undefined);
      try {
        // b's copy says "no limit" (the state in which a submit holds no place in the limits).
        expect((await b.settings.effective(G)).memberDailyQuota).toBeNull();
        expect((await b.settings.effective(H)).serverDailyBudget).toBeNull();
        await a.settings.update(G, { memberDailyQuota: 3 }, ADMIN);
        await eventually(async () => (await b.settings.effective(G)).memberDailyQuota, 3);
        // Only the server that changed is read again: H's copy still answers, stale as it is.
        await a.settings.update(H, { serverDailyBudget: 9 }, ADMIN);
        await eventually(async () => (await b.settings.effective(H)).serverDailyBudget, 9);
        await a.settings.reset(G, ADMIN);
        await eventually(async () => (await b.settings.effective(G)).memberDailyQuota, null);
      } finally {
        await stop();
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('says when it listens again after losing its connection, and hears other stores’ changes after that', async () => {
      const url = await server().createDatabase();
      const a = openPostgresStore(url);
      const b = openPostgresStore(url);
      await Promise.all([a.ready(), b.ready()]);
      let resumed = 0;
      const changed: string[] = [];
      const watchers: RelayWatchers = {
        resumed: () => void resumed++,
        settingsChanged: (guildId) => void changed.push(guildId),
      };
      const stop = await b.relay.listen(() => undefined, watchers);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        expect(resumed).toBe(1);
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
        );
        // Reopened after its first pause (1 s).
        await eventually(() => Promise.resolve(resumed), 2);
        // b's own change is not told to b (its copy went with the change); a's is, in commit order.
        await b.settings.update(OWN, { memberDailyQuota: 1 }, ADMIN);
        await a.settings.update(G, { memberDailyQuota: 2 }, ADMIN);
        await eventually(() => Promise.resolve(changed.join()), G);
        // Told by the statement that notifies, not by anything sent around it: a payload that is no server id is not taken.
        await admin.query(`SELECT pg_notify('mjtask_settings', 'not-a-guild')`);
        await a.settings.update(H, { memberDailyQuota: 2 }, ADMIN);
        await eventually(() => Promise.resolve(changed.join()), `${G},${H}`);
      } finally {
        await admin.end();
        await stop();
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
}
