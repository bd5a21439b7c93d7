// The instance registry (src/store/pg/instances.ts), PostgreSQL only: what a beat answers, who counts
// as alive, leaving, forgetting long-silent rows, beats of many instances at once each seeing all the
// beats before it, and the Discord and Midjourney budgets kept apart.
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../../src/store/pg/open.js';
import type { Store } from '../../../src/store/store.js';
import { lockTable, type TestPostgres } from '../../support/postgres.js';

export function describePostgresInstances(server: () => TestPostgres): void {
  describe('PostgreSQL instance registry', () => {
    const opened: Store[] = [];
    let now = 1_700_000_000_000;
    const clock = { now: () => now };
    const open = async (url: string) => {
      const store = openPostgresStore(url, { clock, poolSize: 4 });
      opened.push(store);
      await store.ready();
      return store.instances!;
    };
    const closeAll = () => Promise.all(opened.splice(0).map((s) => s.close()));

    it('answers the instances heard from within the alive window, itself included; one that left or fell silent is not', async () => {
      const url = await server().createDatabase();
      try {
        const [a, b, c] = [await open(url), await open(url), await open(url)];
        expect(await a.beat({ budget: 'discord', instanceId: 'a', shards: 1, share: 45 }, 10_000)).toEqual([
          { instanceId: 'a', shards: 1, share: 45 },
        ]);
        await b.beat({ budget: 'discord', instanceId: 'b', shards: 2, share: 1 }, 10_000);
        now += 4_000;
        await c.beat({ budget: 'discord', instanceId: 'c', shards: 1, share: 1 }, 10_000);
        const seen = await a.beat({ budget: 'discord', instanceId: 'a', shards: 1, share: 22 }, 10_000);
        expect(seen).toHaveLength(3);
        expect(seen).toContainEqual({ instanceId: 'b', shards: 2, share: 1 });
        expect(seen).toContainEqual({ instanceId: 'a', shards: 1, share: 22 });
        await c.leave('c', 'discord');
        now += 7_000; // b silent for 11 s
        expect(await a.beat({ budget: 'discord', instanceId: 'a', shards: 1, share: 22 }, 10_000)).toEqual([
          { instanceId: 'a', shards: 1, share: 22 },
        ]);
        // Still known (a restart under the same id renews it), until silent for a hundred windows.
        expect(
          (await b.beat({ budget: 'discord', instanceId: 'b', shards: 2, share: 1 }, 10_000))
            .map((i) => i.instanceId)
            .sort(),
        ).toEqual(['a', 'b']);
      } finally {
        await closeAll();
      }
    });

    it('forgets a row silent for a hundred alive windows', async () => {
      const url = await server().createDatabase();
      try {
        const a = await open(url);
        await a.beat({ budget: 'discord', instanceId: 'dead', shards: 1, share: 22 }, 1_000);
        now += 100_001;
        await a.beat({ budget: 'discord', instanceId: 'a', shards: 1, share: 22 }, 1_000);
        // A window wide enough to see it again: it is gone, not just silent.
        expect(
          (await a.beat({ budget: 'discord', instanceId: 'a', shards: 1, share: 22 }, 1_000_000)).map(
            (i) => i.instanceId,
          ),
        ).toEqual(['a']);
      } finally {
        await closeAll();
      }
    });

    it('keeps each budget apart: a beat answers the parts of its own budget, and leaving one keeps the other', async () => {
      const url = await server().createDatabase();
      try {
        const [a, b] = [await open(url), await open(url)];
        await a.beat({ budget: 'discord', instanceId: 'a', shards: 1, share: 22 }, 10_000);
        await a.beat({ budget: 'mj', instanceId: 'a', shards: 1, share: 5 }, 10_000);
        await b.beat({ budget: 'discord', instanceId: 'b', shards: 1, share: 23 }, 10_000);
        const mj = await b.beat({ budget: 'mj', instanceId: 'b', shards: 1, share: 5 }, 10_000);
        expect(mj).toHaveLength(2);
        expect(mj).toContainEqual({ instanceId: 'a', shards: 1, share: 5 });
        await a.leave('a', 'mj');
        expect(await b.beat({ budget: 'mj', instanceId: 'b', shards: 1, share: 10 }, 10_000)).toEqual([
          { instanceId: 'b', shards: 1, share: 10 },
        ]);
        expect(await b.beat({ budget: 'discord', instanceId: 'b', shards: 1, share: 23 }, 10_000)).toContainEqual({
          instanceId: 'a',
          shards: 1,
          share: 22,
        });
      } finally {
        await closeAll();
      }
    });

    it('beats on a connection of their own: a pool whose every connection waits does not hold them up', async () => {
      const url = await server().createDatabase();
      let lock: { release(): Promise<void> } | null = null;
      try {
        const store = openPostgresStore(url, { clock, poolSize: 1 });
        opened.push(store);
        await store.ready();
        lock = await lockTable(url, 'tracked_tasks');
        // The pool's only connection waits on the lock.
        let readDone = false;
        const read = store.tracked.get('1700000000000001').finally(() => (readDone = true));
        expect(
          await store.instances!.beat({ budget: 'discord', instanceId: 'a', shards: 1, share: 45 }, 10_000),
        ).toEqual([{ instanceId: 'a', shards: 1, share: 45 }]);
        expect(readDone).toBe(false);
        await lock.release();
        expect(await read).toBeNull();
      } finally {
        await lock?.release();
        await closeAll();
      }
    });

    it('beats sent at the same moment by many instances are serialized: the last one sees every other', async () => {
      const url = await server().createDatabase();
      try {
        const registries = await Promise.all(Array.from({ length: 6 }, () => open(url)));
        const answers = await Promise.all(
          registries.map((r, i) => r.beat({ budget: 'discord', instanceId: `i${i}`, shards: 1, share: 1 }, 10_000)),
        );
        // Each beat saw the ones committed before it: the sizes are 1..6, each once.
        expect(answers.map((a) => a.length).sort()).toEqual([1, 2, 3, 4, 5, 6]);
      } finally {
        await closeAll();
      }
    });
  });
}
