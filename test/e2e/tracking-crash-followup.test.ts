// SIGKILL between Discord's create of a follow-up task's result and the bot's store write: a task a
// click started (its progress in a public follow-up of the click, through the interaction webhook)
// succeeds, the bot is killed the moment the Discord stand-in has created the result and before the
// bot hears the answer, so the store still says "not delivered". The restarted bot (interaction
// tokens forgotten on purpose) sends the result again with the same nonce and `enforce_nonce: true`;
// Discord returns the message it already has instead of creating a second one (Discord API, Create
// Message: "enforce_nonce: if true and nonce is present, it will be checked for uniqueness in the past
// few minutes"; the stand-in: routes-channels.ts L67-71). In the end: one result, no progress left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { killAllBots, spawnBot } from '../support/bot-process.js';
import type { RecordedRequest } from '../support/discord/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { resultsOf, taskIdOf } from '../support/tracking-e2e.js';
import { buttonIdWith, followedFrom, showFinishedTask } from './support-clicks.js';

let h: Harness;

beforeAll(async () => {
  // The fork's profile: the click goes through /submit/action as on most servers.
  h = await startHarness({
    dialect: 'fork',
    startBot: false,
    env: { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' },
  });
});
afterAll(async () => {
  await killAllBots();
  await h?.close();
});

const nonceOf = (r: RecordedRequest) => String((r.body as { nonce?: unknown } | undefined)?.nonce ?? '');

describe('kill -9 as Discord creates a follow-up task’s result', () => {
  it('posts the result once: the resend after the restart gets the same message back', async () => {
    const p1 = spawnBot(h.env);
    await p1.ready();
    const grid = await showFinishedTask(h, { action: 'IMAGINE', prompt: 'a kite over the dunes' });
    h.mj.nextTask({ timeline: { queuedMs: 0, runMs: 1_000 } });
    // A process bot: its answer is read off the stand-in (support-clicks' click() asks the in-process bot).
    const clicked = h.discord.clickButton({ ...grid, customId: buttonIdWith(h, grid, '::upsample::2::') });
    const answer = await h.discord
      .waitFor(
        () => {
          const text = h.discord.interactionResponses(clicked.id).original?.content ?? '';
          return /following it in .*discord\.com\/channels\/\d+\/\d+\/\d+/.test(text) && text;
        },
        8_000,
        'the answer to the click, with its link',
      )
      .catch((err: unknown) => {
        throw new Error(`${String(err)}: ${h.discord.interactionResponses(clicked.id).original?.content}`);
      });
    const child = followedFrom(h, answer);
    // Its progress is a public follow-up of the click, made through the interaction's webhook.
    expect(h.discord.requestsTo('POST', /^\/webhooks\//).length).toBeGreaterThanOrEqual(1);

    const isResult = (r: RecordedRequest) =>
      r.method === 'POST' && r.path === `/channels/${child.channelId}/messages` && nonceOf(r).startsWith('r');
    const off = h.discord.beforeAnswer((r) => {
      if (!isResult(r)) return;
      off();
      p1.kill('SIGKILL');
    });
    h.mj.clock.advance(5_000); // the child succeeds
    expect((await p1.exited).signal).toBe('SIGKILL');
    expect(resultsOf(h, { ...child, progressId: child.messageId })).toHaveLength(1);

    // The restart on the same database (in this process: one real process is enough to kill).
    await h.startBot();
    await h.discord.waitFor(
      () => h.discord.message(child.channelId, child.messageId) === undefined,
      8_000,
      'the progress message to make way for the result',
    );
    await h.stopBot();

    const results = resultsOf(h, { ...child, progressId: child.messageId });
    expect(results).toHaveLength(1);
    expect(taskIdOf(results[0])).toBe(child.taskId);
    expect(results[0]!.content).toMatch(/ - Image #2 /);
    const posts = h.discord.requestsTo('POST', `/channels/${child.channelId}/messages`).filter(isResult);
    expect(posts.length).toBe(2); // before the kill, and once more after the restart
    expect(new Set(posts.map(nonceOf)).size).toBe(1);
    expect(new Set(posts.map((r) => (r.responseBody as { id: string }).id))).toEqual(new Set([results[0]!.id]));
    const store = openStore(h.env.DATABASE_PATH!);
    try {
      expect(await store.tracked.get(child.taskId)).toMatchObject({
        phase: 'done',
        resultMessageId: results[0]!.id,
        messageId: null,
      });
    } finally {
      await store.close();
    }
  }, 30_000);
});
