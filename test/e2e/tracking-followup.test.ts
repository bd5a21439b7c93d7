// Progress through the member's own interaction (issue 14): a task a member starts shows its progress
// in a follow-up of their interaction, created and edited through the interaction webhook, which
// Discord does not count against the global limit; the task's only channel request is its result,
// which mentions the member. Once the token is near its 15 minutes (the bot's clock is moved) the
// same message is edited through the channel, and the dead token is never tried. /mjtask's reply is
// followed the same way: @original when shown at once, the follow-up after a private wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  createOffsetClock,
  imagine,
  problems,
  resultPosts,
  resultsOf,
  startTrackingHarness,
  statusField,
  taskIdOf,
  type StartedTask,
} from '../support/tracking-e2e.js';

const MINUTE = 60_000;
const FLAG_EPHEMERAL = 1 << 6;
const LONG = { timeline: { queuedMs: 1_000, runMs: 40 * MINUTE, progressSteps: [0, 25, 50, 75] } };

let h: Harness;
const botClock = createOffsetClock();

beforeAll(async () => {
  h = await startTrackingHarness({ clock: botClock, env: { MJTASK_ANSWER_BUDGET_MS: '100' } });
});
afterAll(async () => {
  await h?.close();
});

const webhookBase = (token: string) => `/webhooks/${h.discord.applicationId}/${token}`;
/** Every request about this task's messages: through its interaction's webhook, or its channel. */
function requestsOf(task: Pick<StartedTask, 'token' | 'channelId'>) {
  const all = h.discord.requests;
  return {
    webhook: all.filter((r) => r.path.startsWith(webhookBase(task.token))),
    channel: all.filter((r) => r.path.startsWith(`/channels/${task.channelId}/messages`)),
  };
}
const showsProgress = (task: StartedTask, status: string) =>
  h.discord.waitFor(
    () => statusField(h.discord.message(task.channelId, task.progressId)) === status,
    5_000,
    `${status} on ${task.taskId}`,
  );
describe('progress through the interaction', () => {
  it('a /imagine task: progress in a public follow-up edited through the webhook, the result the only channel message', async () => {
    h.mj.nextTask({ timeline: { queuedMs: 1_000, runMs: 4_000, progressSteps: [0, 50] } });
    const task = await imagine(h, 'a kite over the dunes');

    // The progress message is a public follow-up of the member's interaction, below the private answer.
    const view = h.discord.interactionResponses(task.interactionId);
    expect(view.original?.flags ?? 0).toBe(FLAG_EPHEMERAL);
    expect(view.original?.content).toContain(task.progressId);
    expect(view.followUps.map((m) => m.id)).toEqual([task.progressId]);
    expect(view.followUps[0]!.flags & FLAG_EPHEMERAL).toBe(0);

    h.mj.clock.advance(1_500); // running, 0%
    await showsProgress(task, '0%');
    h.mj.clock.advance(2_000); // 50%
    await showsProgress(task, '50%');
    h.mj.clock.advance(5_000); // done
    const [result] = await h.discord.waitFor(
      () => resultsOf(h, task).length === 1 && resultsOf(h, task),
      5_000,
      'the result',
    );
    expect(result!.content).toMatch(new RegExp(`<@${h.discord.defaults.userId}>`));
    await h.discord.waitFor(
      () => !h.discord.message(task.channelId, task.progressId),
      5_000,
      'the progress message to go',
    );
    await h.quiesce();

    const { webhook, channel } = requestsOf(task);
    // Created, edited and deleted through the webhook: none of it counts against the global limit.
    expect(webhook.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([200]);
    const edits = webhook.filter((r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${task.progressId}`));
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(webhook.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      `${webhookBase(task.token)}/messages/${task.progressId}`,
    ]);
    expect(webhook.every((r) => !r.countsTowardGlobal && r.status < 300)).toBe(true);
    // Through the channel: the result, once, and nothing about the progress message.
    expect(channel.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 200']);
    expect(
      resultPosts(h, task.channelId)
        .filter((r) => r.status === 200)
        .at(-1)?.responseBody,
    ).toMatchObject({
      id: result!.id,
    });
    expect(problems(h)).toEqual([]);
  });

  it('after the token is past its time, the same message is edited through the channel and the token is not tried', async () => {
    h.mj.nextTask(LONG);
    const task = await imagine(h, 'a glacier at dawn');
    h.mj.clock.advance(1_500); // running, 0%
    await showsProgress(task, '0%');
    const before = requestsOf(task);
    expect(before.webhook.some((r) => r.method === 'POST')).toBe(true);

    await h.quiesce(); // nothing in flight through the token when the clocks jump
    botClock.advance(13 * MINUTE); // past 15 min less the bot's margin
    h.mj.clock.advance(10 * MINUTE); // 25%
    await showsProgress(task, '25%');
    h.mj.clock.advance(35 * MINUTE); // done
    await h.discord.waitFor(() => resultsOf(h, task).length === 1, 5_000, 'the result');
    await h.discord.waitFor(
      () => !h.discord.message(task.channelId, task.progressId),
      5_000,
      'the progress message to go',
    );
    await h.quiesce();

    const after = requestsOf(task);
    expect(after.webhook.slice(before.webhook.length)).toEqual([]);
    const late = after.channel
      .slice(before.channel.length)
      .map((r) => `${r.method} ${r.path.split('/').length} ${r.status}`);
    expect(late).toEqual(expect.arrayContaining([`PATCH 5 200`, `POST 4 200`, `DELETE 5 204`]));
    expect(
      after.channel
        .slice(before.channel.length)
        .filter((r) => r.method === 'PATCH')
        .every((r) => r.path.endsWith(task.progressId)),
    ).toBe(true);
    expect(problems(h)).toEqual([]);
  });

  it('/mjtask after a private wait follows its follow-up by id, not @original', async () => {
    const id = h.mj.createTask({ prompt: 'a slow harbour', ...LONG });
    h.mj.fault(id, { kind: 'slow', delayMs: 400 }, 1);
    const slash = h.discord.slashCommand({ name: 'mjtask', options: { id } });
    const shown = await h.discord.waitFor(
      () => h.discord.interactionResponses(slash.id).followUps.find((m) => taskIdOf(m) === id),
      5_000,
      'the task posted as a follow-up',
    );
    await h.discord.waitFor(async () => await h.bot.context.store.tracked.get(id), 5_000, 'the task to be followed');
    h.mj.clock.advance(1_500); // running, 0%
    await h.discord.waitFor(
      () => statusField(h.discord.message(shown.channel_id, shown.id)) === '0%',
      5_000,
      'progress on the follow-up',
    );
    const edits = h.discord.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith(webhookBase(slash.token)));
    const progressEdits = edits.filter((r) => r.path.endsWith(`/messages/${shown.id}`));
    expect(progressEdits.length).toBeGreaterThan(0);
    expect(progressEdits.every((r) => r.status === 200)).toBe(true);
    // @original is the private note ("posted below"), deleted: never edited with progress.
    expect(edits.filter((r) => r.path.endsWith('/@original') && /\(\d+%\)/.test(JSON.stringify(r.body)))).toEqual([]);
    expect(h.discord.requestsTo('PATCH', `/channels/${shown.channel_id}/messages/${shown.id}`)).toEqual([]);
  });
});
