// /mjtask watch: the reply to a running task is kept up to date by the tracker (through the
// interaction's webhook while its token lives, see tracking-followup.test.ts for the rest) and the
// result is posted in the channel mentioning the member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    mj: { timeline: { queuedMs: 1_000, runMs: 6_000, progressSteps: [0, 15, 31, 46, 62, 78, 93] } },
  });
});
afterAll(async () => {
  await h?.close();
});

async function showTask(id: string, watch?: boolean) {
  const options: Record<string, string | boolean> = { id };
  if (watch !== undefined) options.watch = watch;
  const interaction = h.discord.slashCommand({ name: 'mjtask', options });
  await expect
    .poll(() => h.discord.interactionResponses(interaction.id).original?.embeds.length ?? 0, { timeout: 5_000 })
    .toBeGreaterThan(0);
  return Object.assign(h.discord.interactionResponses(interaction.id).original!, { token: interaction.token });
}

const channelId = () => h.discord.defaults.channelId;
const resultsFor = (id: string) =>
  h.discord
    .messages(channelId())
    .filter(
      (m) =>
        m.content.endsWith(`\n-# Task ${id}`) &&
        m.content.includes(`<@${h.discord.defaults.userId}>`) &&
        !m.interaction_metadata,
    );

describe('/mjtask watch', () => {
  it('follows a running task by default: the reply shows progress, then the result mentions the member', async () => {
    const id = h.mj.createTask({ prompt: 'a paper boat on a pond' });
    h.mj.clock.advance(1_500); // running, first step
    const reply = await showTask(id);
    h.mj.clock.advance(3_000);
    // The reply is the interaction's @original, edited through its webhook (not counted against the global limit).
    await expect
      .poll(() => h.discord.message(channelId(), reply.id)?.content, { timeout: 5_000 })
      .toMatch(/\((46|62)%\)$/m);
    const webhookEdits = h.discord.requestsTo(
      'PATCH',
      `/webhooks/${h.discord.applicationId}/${reply.token}/messages/@original`,
    );
    expect(webhookEdits.length).toBeGreaterThan(0);
    expect(webhookEdits.every((r) => r.status === 200 && !r.countsTowardGlobal)).toBe(true);
    expect(h.discord.requestsTo('PATCH', new RegExp(`/channels/${channelId()}/messages/${reply.id}$`))).toEqual([]);

    h.mj.clock.advance(10_000); // finished
    await expect.poll(() => resultsFor(id).length, { timeout: 5_000 }).toBe(1);
    const result = resultsFor(id)[0]!;
    expect(result.components.length).toBeGreaterThan(0); // U1… V4, 🔄
    // Like Midjourney: the progress message makes way for the result.
    await expect.poll(() => h.discord.message(channelId(), reply.id), { timeout: 5_000 }).toBeUndefined();
    h.mj.clock.advance(30_000);
    // Recorded as done, the task is no longer followed; once what was in flight has landed, nothing more comes.
    expect((await h.bot.context.store.tracked.get(id))?.phase).toBe('done');
    await h.quiesce();
    expect(resultsFor(id)).toHaveLength(1);
  });

  it('does not follow when watch is false', async () => {
    const id = h.mj.createTask({ prompt: 'a quiet street' });
    h.mj.clock.advance(1_500);
    const reply = await showTask(id, false);
    const requestsAbout = () => h.mj.requests.filter((r) => JSON.stringify(r).includes(id)).length;
    const before = requestsAbout();
    h.mj.clock.advance(20_000);
    expect(await h.bot.context.store.tracked.get(id)).toBeNull(); // never followed
    await h.quiesce();
    expect(h.discord.requestsTo('PATCH', new RegExp(`/channels/${channelId()}/messages/${reply.id}$`))).toHaveLength(0);
    expect(requestsAbout()).toBe(before);
    expect(resultsFor(id)).toHaveLength(0);
    expect(h.bot.context.tracking.runningCountFor(h.discord.defaults.userId)).toBe(0);
  });

  it('does not follow a finished task', async () => {
    const id = h.mj.createTask({ prompt: 'done already', status: 'SUCCESS' });
    await showTask(id);
    const before = h.mj.requests.length;
    expect(await h.bot.context.store.tracked.get(id)).toBeNull(); // never followed
    await h.quiesce();
    expect(h.mj.requests.length).toBe(before);
    expect(resultsFor(id)).toHaveLength(0);
  });
  it('does not edit the reply again while the task shows the state it was shown in', async () => {
    const id = h.mj.createTask({ prompt: 'a lantern in the fog' });
    h.mj.clock.advance(1_500); // running, first step; the clock stays there
    const reply = await showTask(id);
    await h.discord.waitFor(async () => await h.bot.context.store.tracked.get(id), 5_000, 'the task to be followed');
    await h.quiesce();
    const editsOfReply = h.discord.requests.filter(
      (r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${reply.id}`),
    );
    expect(editsOfReply).toEqual([]);
    expect(h.discord.message(channelId(), reply.id)?.content).toBe(reply.content);
  });
});
