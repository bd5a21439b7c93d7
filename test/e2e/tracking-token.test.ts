// A task that outlives its interaction token (15 min): the Discord stand-in's clock and the bot's
// are moved past it, and updates still arrive: while the token lives progress goes through the
// interaction webhook, afterwards the tracker edits the same bot-owned messages through the channel
// routes (bot token), and never tries the dead token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  createOffsetClock,
  imagine,
  problems,
  resultsOf,
  startTrackingHarness,
  taskIdOf,
} from '../support/tracking-e2e.js';

let h: Harness;
const botClock = createOffsetClock();
const MINUTE = 60_000;
const LONG = { timeline: { queuedMs: 2 * MINUTE, runMs: 28 * MINUTE, progressSteps: [0, 25, 50, 75] } };

beforeAll(async () => {
  h = await startTrackingHarness({
    discord: { clock: 'manual' },
    clock: botClock,
  });
});
afterAll(async () => {
  await h?.close();
});

/** What Discord answers to an edit of the interaction's reply with its (webhook) token. */
async function editWithToken(interactionId: string, token: string): Promise<{ status: number; code?: number }> {
  const res = await fetch(`${h.discord.apiBase}/v10/webhooks/${h.discord.applicationId}/${token}/messages/@original`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content: `probe ${interactionId}` }),
  });
  const body = (await res.json()) as { code?: number };
  return { status: res.status, code: body.code };
}

describe('a task longer than the interaction token', () => {
  it('keeps updating /imagine and /mjtask messages after 15 min and posts their results', async () => {
    h.mj.nextTask(LONG);
    const imagined = await imagine(h, 'a slow relax-mode landscape');

    const watchedId = h.mj.createTask({ prompt: 'a watched relax-mode portrait', ...LONG });
    const slash = h.discord.slashCommand({ name: 'mjtask', options: { id: watchedId } });
    const reply = await h.discord.waitFor(
      () => {
        const original = h.discord.interactionResponses(slash.id).original;
        return original && taskIdOf(original) === watchedId ? original : null;
      },
      5_000,
      'the /mjtask reply',
    );
    const watched = { taskId: watchedId, channelId: reply.channel_id, progressId: reply.id };
    await h.discord.waitFor(
      async () => await h.bot.context.store.tracked.get(watchedId),
      5_000,
      'the watched task to be followed',
    );

    await h.quiesce(); // nothing in flight through a token when the clocks jump
    h.discord.clock.advance(16 * MINUTE);
    botClock.advance(16 * MINUTE);
    h.mj.clock.advance(16 * MINUTE); // both tasks running, 50%
    // The tokens are dead now: Discord refuses edits through them.
    expect(await editWithToken(slash.id, slash.token)).toEqual({ status: 401, code: 50027 });

    const webhookCallsBefore = h.discord.requests.filter((r) => r.path.startsWith('/webhooks/')).length;
    for (const task of [imagined, watched]) {
      await h.discord.waitFor(
        () => h.discord.message(task.channelId, task.progressId)?.content.split('\n')[0]?.endsWith('(50%)'),
        5_000,
        `50% on ${task.taskId}`,
      );
    }
    h.mj.clock.advance(14 * MINUTE); // done
    for (const task of [imagined, watched]) {
      const result = await h.discord.waitFor(() => resultsOf(h, task)[0], 5_000, `the result of ${task.taskId}`);
      expect(result.content).toMatch(new RegExp(`<@${h.discord.defaults.userId}>\\n-# Task \\d+$`));
      await h.discord.waitFor(
        () => h.discord.message(task.channelId, task.progressId) === undefined,
        5_000,
        'the progress message to be deleted',
      );
    }

    // Every update went through the channel routes and succeeded; nothing used a token (beyond our probe).
    const edits = [imagined, watched].flatMap((t) =>
      h.discord.requestsTo('PATCH', `/channels/${t.channelId}/messages/${t.progressId}`),
    );
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits.every((r) => r.status === 200)).toBe(true);
    const lateWebhookCalls = h.discord.requests
      .filter((r) => r.path.startsWith('/webhooks/'))
      .slice(webhookCallsBefore);
    expect(lateWebhookCalls).toEqual([]);
    expect(h.discord.requests.filter((r) => r.status === 401)).toHaveLength(1); // our probe only
    expect(problems(h)).toEqual([]);
  });
});
