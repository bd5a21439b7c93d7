// When a followed message can no longer be reached, its updates end quietly: a member deleted the
// progress message (10008), the bot lost sight of the channel (50001) or may no longer post there
// (50013). Nothing is retried, nothing is posted instead, the API is no longer asked, and other
// tasks carry on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  imagine,
  problems,
  resultsOf,
  startTrackingHarness,
  statusField,
  type StartedTask,
} from '../support/tracking-e2e.js';

let h: Harness;

beforeAll(async () => {
  // The channel routes' refusals (every task's route after its interaction token, or a restart);
  // progress through the interaction webhook: tracking-followup.test.ts.
  h = await startTrackingHarness({ env: { PROGRESS_THROUGH_INTERACTION: 'false' } });
});
afterAll(async () => {
  await h?.close();
});

const apiRequestsAbout = (taskId: string) =>
  h.mj.requests.filter((r) => JSON.stringify(r.body ?? r.path).includes(taskId)).length;
const botWritesIn = (channelId: string) =>
  h.discord.requests.filter((r) => r.method !== 'GET' && r.path.startsWith(`/channels/${channelId}/`));

async function freshChannel(name: string): Promise<string> {
  const channelId = h.discord.addChannel({ name });
  await h.discord.waitFor(() => h.bot.client.channels.cache.has(channelId), 2_000, `${name} in the bot's cache`);
  return channelId;
}

async function progressShows(task: StartedTask, text: string) {
  await h.discord.waitFor(
    () => h.discord.message(task.channelId, task.progressId)?.content.split('\n')[0]?.endsWith(text),
    5_000,
    `${text} on ${task.taskId}`,
  );
}

/** After the error: the task is dropped (phase gone), nothing more is written, the API is not asked again. */
async function expectQuietEnd(task: StartedTask, failing: { method: string; code: number }) {
  await h.discord.waitFor(
    async () => (await h.bot.context.store.tracked.get(task.taskId))?.phase === 'gone',
    5_000,
    `${task.taskId} to end`,
  );
  const refused = h.discord.requests.filter(
    (r) => r.method === failing.method && (r.responseBody as { code?: number } | undefined)?.code === failing.code,
  );
  expect(refused.length).toBeGreaterThanOrEqual(1);
  const writes = botWritesIn(task.channelId).length;
  const asked = apiRequestsAbout(task.taskId);
  h.mj.clock.advance(30_000); // the task finishes on the API side
  expect((await h.bot.context.store.tracked.get(task.taskId))?.phase).toBe('gone');
  await h.quiesce();
  expect(botWritesIn(task.channelId)).toHaveLength(writes);
  expect(apiRequestsAbout(task.taskId)).toBe(asked);
  expect(resultsOf(h, task)).toHaveLength(0);
  expect(h.bot.context.tracking.runningCountFor(h.discord.defaults.userId)).toBe(0);
}

describe('updates end quietly', () => {
  it('when a member deletes the progress message (10008); a task next to it carries on', async () => {
    const deleted = await imagine(h, 'a message someone will delete');
    const neighbour = await imagine(h, 'a neighbour that keeps going');
    h.mj.clock.advance(4_000);
    await progressShows(deleted, '(15%)');
    await progressShows(neighbour, '(15%)');

    expect(h.discord.deleteMessage(deleted.channelId, deleted.progressId)).toBe(true);
    h.mj.clock.advance(4_000); // 46%: the bot tries to edit the deleted message
    await h.discord.waitFor(
      async () => (await h.bot.context.store.tracked.get(deleted.taskId))?.phase === 'gone',
      5_000,
      'the deleted task to end',
    );
    const refused = h.discord
      .requestsTo('PATCH', `/channels/${deleted.channelId}/messages/${deleted.progressId}`)
      .at(-1);
    expect(refused).toMatchObject({ status: 404, responseBody: { code: 10008 } });

    const attemptsOnDeleted = h.discord.requests.filter((r) =>
      r.path.endsWith(`/messages/${deleted.progressId}`),
    ).length;
    const asked = apiRequestsAbout(deleted.taskId);
    h.mj.clock.advance(30_000); // both finish on the API side
    const result = await h.discord.waitFor(() => resultsOf(h, neighbour)[0], 5_000, 'the neighbour result');
    expect(statusField(result)).toBe('');
    await h.quiesce();
    expect(resultsOf(h, deleted)).toHaveLength(0);
    expect(h.discord.requests.filter((r) => r.path.endsWith(`/messages/${deleted.progressId}`))).toHaveLength(
      attemptsOnDeleted,
    );
    expect(apiRequestsAbout(deleted.taskId)).toBe(asked);
  });

  it('when the bot loses sight of the channel (50001)', async () => {
    const channelId = await freshChannel('hidden-later');
    const task = await imagine(h, 'in a channel that disappears', { channelId });
    expect(task.channelId).toBe(channelId);
    h.mj.clock.advance(4_000);
    await progressShows(task, '(15%)');
    h.discord.revokeAccess(channelId, 'view');
    h.mj.clock.advance(4_000); // the next edit is refused
    await expectQuietEnd(task, { method: 'PATCH', code: 50001 });
  });

  it('when the bot may no longer post there (50013): the result cannot go out, nothing else is tried', async () => {
    const channelId = await freshChannel('read-only-later');
    const task = await imagine(h, 'in a channel that turns read-only', { channelId });
    h.mj.clock.advance(4_000);
    await progressShows(task, '(15%)');
    h.discord.revokeAccess(channelId, 'send');
    h.mj.clock.advance(20_000); // done: the result is refused
    await expectQuietEnd(task, { method: 'POST', code: 50013 });
    // The last progress stays as it was; the bot does not try to tidy up a channel it cannot use.
    expect(h.discord.message(channelId, task.progressId)?.content).toMatch(/\(\d+%\)$/m);
  });

  it('without a warning in the log, a 429 or a stand-in error', () => {
    expect(problems(h)).toEqual([]);
    expect(h.discord.count429()).toBe(0);
    expect(h.discord.serverErrors).toEqual([]);
  });
});
