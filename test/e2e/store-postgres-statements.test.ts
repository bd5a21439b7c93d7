// What one task costs PostgreSQL, counted by the server (pg_stat_statements, support/statement-stats.ts):
// the real bot on a real PostgreSQL 18 follows one /imagine (submitted, in progress, its result) and
// one button click on that result to its own result, first in a server with no settings, then in one
// with a daily quota (the path that holds a place per submit). Each flow's statements are counted
// from a reset until the bot is idle with nothing left to write. PRINT_STATEMENTS=1 prints each table.
// Measured before the settings cache and the one-statement owner and usage writes: 28, 30, 35 and 39
// statements (guild_settings read 6, 5, 6 and 5 times, task_owners written with 4, a usage event with 4
// or 5); after: 15, 19, 22 and 27.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/pg/open.js';
import type { Harness } from '../support/harness.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import {
  callsOf,
  openStatementStats,
  totalCalls,
  type StatementCounts,
  type StatementStats,
} from '../support/statement-stats.js';
import { imagine, resultsOf, startTrackingHarness, type StartedTask } from '../support/tracking-e2e.js';
import { actionBodies, answerOf, buttonIdWith, click, followedFrom } from './support-clicks.js';

let server: TestPostgres;
let stats: StatementStats;
let h: Harness;
let database: string;
let url: string;

beforeAll(async () => {
  server = await startTestPostgres({ statementStats: true });
  stats = await openStatementStats(server.url());
  url = await server.createDatabase();
  database = new URL(url).pathname.slice(1);
  h = await startTrackingHarness({ env: { DATABASE_URL: url } });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await stats?.close();
  await server?.stop();
});

/** A submitted task through one progress edit to its result. */
async function followToResult(task: Pick<StartedTask, 'taskId' | 'channelId' | 'progressId'>) {
  h.mj.clock.advance(2_000); // running
  await h.discord.waitFor(
    () => /\(\d+%\)$/m.test(h.discord.message(task.channelId, task.progressId)?.content ?? ''),
    5_000,
    `the progress of ${task.taskId}`,
  );
  h.mj.clock.advance(10_000); // finished
  const result = await h.discord.waitFor(() => resultsOf(h, task)[0], 5_000, `the result of ${task.taskId}`);
  await h.quiesce();
  return result;
}

/** The statements `flow` cost, from a reset until the bot has nothing in flight and nothing waiting. */
async function counted<T>(what: string, flow: () => Promise<T>): Promise<{ value: T; counts: StatementCounts }> {
  await h.quiesce();
  await stats.reset();
  const value = await flow();
  await h.quiesce();
  const counts = await stats.counts(database);
  if (process.env.PRINT_STATEMENTS)
    console.info(`${what}: ${totalCalls(counts)} statements\n${counts.map((c) => `${c.calls}\t${c.kind}`).join('\n')}`);
  return { value, counts };
}

async function imagineFlow(prompt: string) {
  h.mj.nextTask({ timeline: { queuedMs: 1_000, runMs: 6_000 } });
  const started = await imagine(h, prompt);
  const result = await followToResult(started);
  return { started, result };
}

async function clickFlow(on: { channel_id: string; id: string }) {
  const where = { channelId: on.channel_id, messageId: on.id };
  h.mj.nextTask({ timeline: { queuedMs: 1_000, runMs: 6_000 } });
  const answer = await click(h, where, buttonIdWith(h, where, '::upsample::1::'));
  const followed = followedFrom(h, answer.text);
  return followToResult({ taskId: followed.taskId, channelId: followed.channelId, progressId: followed.messageId });
}

/**
 * What holds in every flow: the owner in one statement, the server's settings read at most once (this
 * instance's copy, store/settings-cache.ts: none when a flow a moment before read them; a quota's
 * reservation reads its limits in its own statement on usage_daily), and at most `most` statements
 * in all: two over what was measured (one more poll's write when the machine is slow).
 */
function expectLean(counts: StatementCounts, most: number) {
  expect(callsOf(counts, 'INSERT task_owners'), 'the owner recorded once').toBe(1);
  expect(callsOf(counts, 'UPDATE task_owners'), 'the owner in one statement').toBe(0);
  expect(callsOf(counts, 'SELECT guild_settings'), 'the settings read at most once').toBeLessThanOrEqual(1);
  expect(totalCalls(counts), 'statements in all').toBeLessThanOrEqual(most);
}

describe('statements per task on PostgreSQL', () => {
  it('a server without settings: /imagine to its result, then a click on it to its result', async () => {
    const first = await counted('/imagine, no settings', () => imagineFlow('a heron at dawn'));
    expect(resultsOf(h, first.value.started)).toHaveLength(1);
    expectLean(first.counts, 17);
    const clicked = await counted('click, no settings', () => clickFlow(first.value.result));
    expectLean(clicked.counts, 21);
  });

  it('a server with a daily quota: the same flows, each holding its place', async () => {
    const quota = h.discord.slashCommand({
      name: 'mjsettings quota',
      user: h.discord.defaults.adminUserId,
      options: { member_per_day: 50 },
    });
    expect((await answerOf(h, quota.id)).text).toMatch(/^✅ /);
    const first = await counted('/imagine, quota', () => imagineFlow('a heron at dusk'));
    expectLean(first.counts, 24);
    expect(callsOf(first.counts, 'INSERT usage_reservations'), 'one place held').toBe(1);
    const clicked = await counted('click, quota', () => clickFlow(first.value.result));
    expectLean(clicked.counts, 29);
    expect(callsOf(clicked.counts, 'INSERT usage_reservations'), 'one place held').toBe(1);

    // Another instance lowers the quota to the 4 tasks the member started today (2 before it was set,
    // 2 since): this one's copy of the settings still says 50, but the place is checked against the
    // quota stored now, so the next click is refused and nothing is submitted.
    const elsewhere = openPostgresStore(url);
    await elsewhere.ready();
    await elsewhere.settings.update(
      h.discord.defaults.guildId,
      { memberDailyQuota: 4 },
      h.discord.defaults.adminUserId,
    );
    await elsewhere.close();
    const on = { channelId: first.value.result.channel_id, messageId: first.value.result.id };
    const submits = actionBodies(h).length;
    const refused = await click(h, on, buttonIdWith(h, on, '::upsample::2::'));
    expect(refused.text).toMatch(/^📅 You have used your daily quota of 4 tasks in this server/);
    expect(actionBodies(h)).toHaveLength(submits);
  });
});
