// A click whose submit answer is lost, on a server with no task list (midjourney-proxy-plus, new-api):
// only the notifyHook pushes find its tasks, in the server's updates channel, and each task they find
// counts once in the member's daily quota and /mjusage; a repeated push counts nothing. (With no
// updates channel, where the member clicked: webhook-found-click.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { GUARDS_OFF, startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { answerOf, click } from './support-clicks.js';
import { png, resultFrom, runCommand } from './support-new-tasks.js';

const UPDATES = '1180000000000000201'; // the Discord stand-in's second channel
// Pushes alone move the tasks along (the safety-net poll never comes within a test).
const ENV = { ...GUARDS_OFF, POLL_FAST_MS: '600000', POLL_SLOW_MS: '600000', UPDATES_CHANNEL_ID: UPDATES };

/** The state a message's first line ends with ("15%"); a result shows none. */
const stateOf = (content: string | undefined): string => /\(([^)]*)\)$/m.exec(content ?? '')?.[1] ?? '';
/** The results posted in the updates channel since `before`. */
const foundResults = (h: Harness, before: ReadonlySet<string>) =>
  h.discord.messages(UPDATES).filter((m) => !before.has(m.id) && taskIdOf(m) !== null && stateOf(m.content) === '');
const countedLines = (h: Harness) => h.logLines().filter((l) => l.includes('"event":"webhook.found_usage"')).length;

async function usageText(h: Harness, user: string): Promise<string> {
  const usage = h.discord.slashCommand({ name: 'mjusage', options: { period: '1' }, user });
  return (await answerOf(h, usage.id)).text;
}

async function setQuota(h: Harness, perDay: number): Promise<void> {
  const quota = h.discord.slashCommand({
    name: 'mjsettings quota',
    user: h.discord.defaults.adminUserId,
    options: { member_per_day: perDay },
  });
  expect((await answerOf(h, quota.id)).text).toMatch(/^✅ /);
}

/** The final state of each task pushed again (proxies repeat it): nothing more shown or counted. */
async function pushedAgain(h: Harness, results: readonly StoredMessage[]): Promise<void> {
  await h.mj.flushHooks();
  for (const result of results) await h.mj.pushNow(taskIdOf(result)!);
  await h.quiesce();
}

// 🎉 Imagine all under a Describe makes the bot submit one /submit/imagine per prompt line (plus runs
// no server-side Imagine all: src/mj/capabilities.ts), each with the click's signed state; the fourth
// request times out, so the member is told the API did not answer and the bot never learns any of the
// four ids. The server took all four and pushes each one's state as it changes (plus docs/api.md §6
// 任务变更回调: on every status or progress change, to the submit's notifyHook).
describe('midjourney-proxy-plus: 🎉 Imagine all, the answer lost', () => {
  let h: Harness;
  let member: string;
  let described: StoredMessage;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect: 'plus', webhook: true, env: ENV });
    member = h.discord.addMember({ username: 'looker' }).id;
    await setQuota(h, 6);
    const answer = await runCommand(h, 'describe', { image: png('harbour.png', 3_000) }, member);
    described = await resultFrom(h, answer.text);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  it('counts each of the four tasks its pushes find once', async () => {
    const before = new Set(h.discord.messages(UPDATES).map((m) => m.id));
    const imagines = h.mj.countRequests('imagine');
    // Three answers come at once; the fourth after MJ_TIMEOUT_MS (2 s), once the bot gave up on it.
    h.mj.fault('imagine', { kind: 'slow', delayMs: 1 }, 3);
    h.mj.fault('imagine', { kind: 'slow', delayMs: 3_000 }, 1);
    const where = { channelId: described.channel_id, messageId: described.id };
    const answer = await click(h, where, 'MJ::Job::PicReader::all', member);
    expect(answer.text).toMatch(/^⌛ The Midjourney API did not answer/);
    expect(h.mj.countRequests('imagine') - imagines).toBe(4);

    await h.discord.waitFor(() => countedLines(h) === 4, 10_000, 'the four tasks counted as their pushes found them');
    h.mj.clock.advance(120_000); // every one to SUCCESS, pushed
    const results = await h.discord.waitFor(
      () => (foundResults(h, before).length === 4 ? foundResults(h, before) : null),
      10_000,
      'a result for each of the four',
    );
    for (const result of results) expect(result.content).toContain(`<@${member}>`);
    expect(new Set(results.map((m) => taskIdOf(m))).size).toBe(4);
    // The /describe and the four tasks: five of six, the click's four held places gone with them.
    const used = await usageText(h, member);
    expect(used).toContain('**5** started (Imagine 4, /describe 1)');
    expect(used).toContain('Today: **5** of 6 daily tasks used, **1** left');

    await pushedAgain(h, results);
    expect(foundResults(h, before)).toHaveLength(4);
    expect(await usageText(h, member)).toContain('**5** started (Imagine 4, /describe 1)');
    expect(countedLines(h)).toBe(4);

    // The click is answered with the first task found: 🎉 again links to the message it was shown in
    // (its progress message, as for an answered click), and submits nothing.
    const again = await click(h, where, 'MJ::Job::PicReader::all', member);
    expect(again.text).toMatch(
      /^🔁 Already submitted by .* → <#\d+>: https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+$/,
    );
    expect(/\/channels\/\d+\/(\d+)\/\d+$/.exec(again.text)?.[1]).toBe(UPDATES);
    expect(h.mj.countRequests('imagine') - imagines).toBe(4);
  }, 60_000);
});

// new-api forwards notifyHook to its upstream only when its admin enabled MjNotifyEnabled
// (service/midjourney.go L174-176), and then the push is the upstream's own task JSON; the bot reads
// the task from new-api, whose copy carries the task's state from its first refresh (15 s) on.
describe('new-api: /imagine, the answer lost', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({
      dialect: 'newapi',
      webhook: true,
      mj: { aggregatorForwardsNotifyHook: true },
      env: ENV,
    });
    await setQuota(h, 3);
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  it('counts the task its pushes find once', async () => {
    const { userId } = h.discord.defaults;
    const before = new Set(h.discord.messages(UPDATES).map((m) => m.id));
    h.mj.fault('imagine', { kind: 'slow', delayMs: 3_000 }, 1);
    const answer = await runCommand(h, 'imagine', { prompt: 'a lighthouse nobody heard of' });
    expect(answer.text).toMatch(/^⌛ The Midjourney API did not answer/);
    // The task exists once the held request goes through; its SUBMITTED push comes then.
    await h.discord.waitFor(() => h.mj.hookDeliveries.length > 0, 5_000, 'the first push');
    h.mj.clock.advance(20_000); // new-api's first refresh, with more pushes
    await h.discord.waitFor(() => countedLines(h) === 1, 10_000, 'the task counted as a push found it');
    h.mj.clock.advance(120_000); // to SUCCESS, pushed
    const [result] = await h.discord.waitFor(
      () => (foundResults(h, before).length === 1 ? foundResults(h, before) : null),
      10_000,
      'its result',
    );
    expect(result!.content).toContain('a lighthouse nobody heard of');
    expect(result!.content).toContain(`<@${userId}>`);
    const used = await usageText(h, userId);
    expect(used).toContain('**1** started (/imagine 1)');
    expect(used).toContain('Today: **1** of 3 daily tasks used, **2** left');

    await pushedAgain(h, [result!]);
    expect(foundResults(h, before)).toHaveLength(1);
    expect(await usageText(h, userId)).toContain('**1** started (/imagine 1)');
    expect(countedLines(h)).toBe(1);
  }, 60_000);
});
