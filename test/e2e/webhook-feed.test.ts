// Pushes for tasks the bot does not follow (submitted before a restart, or whose follow failed): the
// signed `state` the bot passes on submit (mjtask-bot:<guildId>:<userId>:<hmac>) names the server and
// the member. With an updates channel (/mjupdates or UPDATES_CHANNEL_ID) the task is read from the API
// and, when the API's answer carries the bot's signed state, picked up there and followed to its
// result; without one, or for another tool's (or a forged) state, the push is ignored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { submitState as signedState } from '../../src/mj/submit-state.js';
import { stateKeyOf, submitState } from './support-clicks.js';

const NO_POLLING = { POLL_FAST_MS: '600000', POLL_SLOW_MS: '600000' };
/** The state a message's first line ends with ("15%"); the id line follows it. */
const stateOf = (content: string | undefined): string => /\(([^)]*)\)$/m.exec(content ?? '')?.[1] ?? '';
const about = (h: Harness, channelId: string, taskId: string) =>
  h.discord.messages(channelId).filter((m) => taskIdOf(m) === taskId);
const messagePosts = (h: Harness) =>
  h.discord.requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)).length;

/** What the receiver did with each push of this task, in order (`notify.push` log lines). */
function pushResults(h: Harness, taskId: string): string[] {
  return h
    .logLines()
    .filter((l) => l.includes('"event":"notify.push"') && l.includes(`"taskId":"${taskId}"`))
    .map((l) => (JSON.parse(l) as { result: string }).result);
}

/** How many times the task was picked up from a push (`webhook.recorded` log lines). */
const pickUps = (h: Harness, taskId: string) =>
  h.logLines().filter((l) => l.includes('"event":"webhook.recorded"') && l.includes(`"taskId":"${taskId}"`)).length;

/** A task submitted elsewhere with a hook to this bot: the stand-in pushes its state from now on. */
function foreignTask(h: Harness, prompt: string, state: string): string {
  return h.mj.createTask({ prompt, state, notifyHook: h.notifyUrl! });
}

/** Runs the task to its end through pushes alone and checks exactly one result arrives in `channelId`. */
async function pushedToTheEnd(h: Harness, taskId: string, channelId: string) {
  h.mj.clock.advance(20_000);
  const result = await h.discord.waitFor(
    () => about(h, channelId, taskId).find((m) => stateOf(m.content) === ''), // a result shows no state
    5_000,
    `the result of ${taskId}`,
  );
  await h.discord.waitFor(() => about(h, channelId, taskId).length === 1, 5_000, 'the progress message to make way');
  // The final state again (proxies repeat it), long after the task is done: no second result.
  await h.discord.waitFor(
    async () => (await h.bot.context.store.tracked.get(taskId))?.phase === 'done',
    5_000,
    'the task to be recorded as done',
  );
  await h.mj.flushHooks();
  const seen = pushResults(h, taskId).length;
  await h.mj.pushNow(taskId);
  await h.mj.pushNow(taskId);
  await h.quiesce();
  expect(about(h, channelId, taskId).map((m) => m.id)).toEqual([result.id]);
  expect(pushResults(h, taskId).slice(seen)).toEqual(['stale', 'stale']);
  expect(await h.bot.context.store.tracked.get(taskId)).toMatchObject({ phase: 'done', resultMessageId: result.id });
  return result;
}

describe('a push for an unfollowed task, no updates channel configured', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ webhook: true, env: NO_POLLING });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is answered 200 and ignored: nothing posted, nothing followed', async () => {
    const { userId } = h.discord.defaults;
    const posts = messagePosts(h);
    const taskId = foreignTask(h, 'a task from before a restart', submitState(h, userId));
    h.mj.clock.advance(4_000);
    await h.mj.flushHooks();
    const deliveries = h.mj.hookDeliveries.filter((d) => d.taskId === taskId);
    expect(deliveries.length).toBeGreaterThanOrEqual(3); // SUBMITTED, 0%, 15%
    expect(deliveries.every((d) => d.httpStatus === 200)).toBe(true);
    expect(new Set(pushResults(h, taskId))).toEqual(new Set(['ignored']));
    await h.quiesce();
    expect(messagePosts(h)).toBe(posts);
    expect(await h.bot.context.store.tracked.get(taskId)).toBeNull();
    expect(await h.bot.context.store.tracked.listActive()).toEqual([]);
  });

  it('once /mjupdates sets a channel, the server’s tasks are picked up there; other servers’ are not', async () => {
    const { guildId, userId, adminUserId, otherChannelId } = h.discord.defaults;
    const set = h.discord.slashCommand({
      name: 'mjupdates set',
      user: adminUserId,
      options: { channel: otherChannelId },
    });
    await h.discord.waitFor(
      () =>
        /Done/.test(
          h.discord.interactionResponses(set.id).original?.content ??
            (h.discord.interactionResponses(set.id).callbackData?.content as string) ??
            '',
        ),
      5_000,
      '/mjupdates set',
    );
    expect(await h.bot.context.store.settings.getUpdatesChannel(guildId)).toBe(otherChannelId);

    // Another server (no channel there, none configured): still ignored.
    const elsewhere = foreignTask(h, 'from another server', signedState(stateKeyOf(h), '1180000000000009999', userId));
    h.mj.clock.advance(4_000);
    await h.mj.flushHooks();
    expect(new Set(pushResults(h, elsewhere))).toEqual(new Set(['ignored']));
    expect(await h.bot.context.store.tracked.get(elsewhere)).toBeNull();

    const taskId = foreignTask(h, 'a lost task comes home', submitState(h, userId));
    h.mj.clock.advance(4_000);
    const progress = await h.discord.waitFor(() => about(h, otherChannelId, taskId)[0], 5_000, 'the picked-up task');
    expect(progress.content).toContain('a lost task comes home');
    expect(progress.content).toContain(`<@${userId}>`);
    expect(await h.bot.context.store.tracked.get(taskId)).toMatchObject({
      channelId: otherChannelId,
      requesterId: userId,
      guildId,
      phase: 'active',
    });
    await h.discord.waitFor(() => pickUps(h, taskId) > 0, 5_000, 'the pick-up to be logged');
    expect(pickUps(h, taskId)).toBe(1);

    const result = await pushedToTheEnd(h, taskId, otherChannelId);
    expect(result.content).toContain(`<@${userId}>`);
    expect(h.discord.messages(h.discord.defaults.channelId).filter((m) => taskIdOf(m) === taskId)).toEqual([]);
  });
});

describe('a push for an unfollowed task, UPDATES_CHANNEL_ID configured', () => {
  let h: Harness;
  const UPDATES = '1180000000000000201'; // the stand-in's second channel
  beforeAll(async () => {
    h = await startTrackingHarness({
      webhook: true,
      env: { ...NO_POLLING, UPDATES_CHANNEL_ID: UPDATES },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('records the task in the updates channel and follows it to one result', async () => {
    const { userId } = h.discord.defaults;
    expect(UPDATES).toBe(h.discord.defaults.otherChannelId);
    const taskId = foreignTask(h, 'picked up by the configured channel', submitState(h, userId));
    const progress = await h.discord.waitFor(() => about(h, UPDATES, taskId)[0], 5_000, 'the picked-up task');
    expect(progress.content).toContain(`<@${userId}>`);
    h.mj.clock.advance(4_000);
    await h.discord.waitFor(
      () => stateOf(h.discord.message(UPDATES, progress.id)?.content) === '15%',
      5_000,
      'the pushed 15%',
    );
    expect(pushResults(h, taskId)).toContain('hinted');
    expect(pickUps(h, taskId)).toBe(1);
    await pushedToTheEnd(h, taskId, UPDATES);
  });

  it('a task whose state is not the bot’s is not picked up: nothing posted, nobody pinged', async () => {
    const posts = messagePosts(h);
    const taskId = foreignTask(h, 'submitted by another tool', 'another-app:42');
    h.mj.clock.advance(4_000);
    await h.mj.flushHooks();
    await h.quiesce();
    expect(new Set(pushResults(h, taskId))).toEqual(new Set(['ignored']));
    expect(messagePosts(h)).toBe(posts);
    expect(await h.bot.context.store.tracked.get(taskId)).toBeNull();
  });

  it('leaves no errors behind', () => {
    expect(h.discord.serverErrors).toEqual([]);
    expect(h.logLines().filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
  });
});
