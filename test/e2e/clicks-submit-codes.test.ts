// Every answer /mj/submit/action can give, end to end: the member always gets one clear private
// message within 3 s, a task is followed only when one runs, the button is marked used only when the
// submit took, and nothing secret (API key, bot token) ever reaches Discord or the logs.
import { ButtonStyle, InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import type { ForcedSubmit, MjFault } from '../support/mj/index.js';
import { FAST_BUCKET, FAST_BUDGET } from '../support/tracking-e2e.js';
import {
  actionBodies,
  buttonIdWith,
  buttonOn,
  click,
  everythingSaid,
  followedFrom,
  markedUsed,
  showFinishedTask,
  sentState,
} from './support-clicks.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    // notifyHook on: every submit carries the receiver's URL, whose path holds the webhook secret.
    webhook: true,
    // A short API timeout so the timeout case costs half a second, not fifteen.
    env: { CLICK_POLICY: 'anyone', CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0', MJ_TIMEOUT_MS: '500' },
    discord: { editBucket: FAST_BUCKET },
    channelBudget: FAST_BUDGET,
  });
});
afterAll(async () => {
  await h?.close();
});

const progressMessages = (channelId: string) =>
  h.discord.messages(channelId).filter((m) => !m.interaction_metadata && m.content.includes('(Waiting to start)'));

/** Clicks U1 on a fresh grid and returns the answer, the shown message and what was posted meanwhile. */
async function clickU1() {
  const shown = await showFinishedTask(h, { prompt: 'a copper kettle' });
  const before = progressMessages(shown.channelId).length;
  const since = h.mj.requests.length;
  const u1 = buttonIdWith(h, shown, '::upsample::1::');
  const answer = await click(h, shown, u1);
  expect(answer.view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
  expect(answer.ephemeral).toBe(true);
  expect(actionBodies(h, since)).toHaveLength(1);
  return { shown, u1, answer, newProgress: () => progressMessages(shown.channelId).length - before };
}

describe('accepted answers', () => {
  it('code 1: follows the new task; the submit carries notifyHook and state', async () => {
    h.mj.nextSubmit('action', { code: 1 });
    const since = h.mj.requests.length;
    const { answer, shown, u1 } = await clickU1();
    expect(actionBodies(h, since)).toEqual([
      { taskId: shown.taskId, customId: u1, notifyHook: h.notifyUrl, state: sentState(h) },
    ]);
    expect(answer.text).toMatch(/^✅ U1 submitted — following it in <#\d+>: https:/);
    expect(followedFrom(h, answer.text).message.content).toContain(`<@${h.discord.defaults.userId}>`);
    await markedUsed(h, shown, u1);
  });

  it('code 22: accepted, with the queue position', async () => {
    h.mj.nextSubmit('action', { code: 22, numberOfQueues: 2 });
    const { answer } = await clickU1();
    expect(answer.text).toMatch(/^✅ U1 submitted — position 3 in the queue — following it in <#\d+>: https:/);
    expect(followedFrom(h, answer.text).taskId).toMatch(/^\d+$/);
  });

  it('code 21 "already exists": shows the existing task, nothing new runs', async () => {
    // NZK answers 21 for U1 repeated on the same grid: here the grid is shown twice.
    const first = await showFinishedTask(h, { prompt: 'twice shown' });
    const u1 = buttonIdWith(h, first, '::upsample::1::');
    const started = followedFrom(h, (await click(h, first, u1)).text);
    const second = await showFinishedTask(h, { existingId: first.taskId });
    const since = h.mj.requests.length;
    const answer = await click(h, second, u1);
    expect(answer.text).toMatch(
      /^ℹ️ U1 was already done for this image, so nothing new was submitted\. Showing it in <#\d+>: https:/,
    );
    expect(actionBodies(h, since)).toHaveLength(1);
    expect(followedFrom(h, answer.text).taskId).toBe(started.taskId);
  });

  it('code 21 "Waiting for window confirm": asks for the prompt, nothing runs yet', async () => {
    h.mj.nextSubmit('action', { code: 21 });
    const { answer, newProgress } = await clickU1();
    expect(answer.text).toMatch(
      /^✏️ U1 needs a prompt first .* Press \*\*Edit prompt & submit\*\*; nothing runs until you do\.$/,
    );
    const reply = answer.view.original!;
    expect(JSON.stringify(reply.components)).toContain('Edit prompt & submit');
    expect(newProgress()).toBe(0);
  });
});

describe('accepted, but nothing to follow', () => {
  it('an action whose answer names the clicked task itself: done, nothing to follow, the button marked used', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a paper crane' });
    h.mj.nextSubmit('action', { code: 1, result: shown.taskId });
    const before = progressMessages(shown.channelId).length;
    const u1 = buttonIdWith(h, shown, '::upsample::1::');
    const answer = await click(h, shown, u1);
    expect(answer.text).toBe('✅ U1 done. It does not start a new image, so there is nothing to follow.');
    expect(progressMessages(shown.channelId)).toHaveLength(before);
    await markedUsed(h, shown, u1);
  });

  it('the bot cannot post in the channel any more: says which task was submitted and how to see it', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a locked room' });
    const u1 = buttonIdWith(h, shown, '::upsample::1::');
    h.discord.revokeAccess(shown.channelId, 'send');
    try {
      const since = h.mj.requests.length;
      const answer = await click(h, shown, u1);
      const [, taskId] = /submitted as task `(\d+)`/.exec(answer.text) ?? [];
      expect(answer.text).toBe(
        `✅ U1 submitted as task \`${taskId}\`, but the bot could not post in <#${shown.channelId}>. Use \`/mjtask id:${taskId}\` to see it.`,
      );
      expect(actionBodies(h, since)).toHaveLength(1); // paid once, and said so
      expect((await h.bot.context.store.tracked.get(taskId!))?.phase).not.toBe('active');
    } finally {
      h.discord.restoreAccess(shown.channelId);
    }
  });
});

describe('refused answers: nothing submitted, nothing followed, the button stays clickable', () => {
  const CASES: Array<[string, ForcedSubmit, RegExp]> = [
    [
      '23 queue full',
      { code: 23 },
      /^🚦 The Midjourney queue is full\. Nothing was submitted; try again in a few minutes\.$/,
    ],
    [
      '24 banned prompt',
      { code: 24, properties: { bannedWord: 'gore' } },
      /^🚫 Midjourney refused the prompt: the word `gore` is banned\./,
    ],
    [
      '3 no account',
      { code: 3 },
      /^⏳ No Midjourney account is available right now \(the API said: `无可用的账号实例`\)\. Nothing was submitted/,
    ],
    [
      '3 parent gone (HTTP 404)',
      { code: 3, description: '关联任务不存在或已失效', httpStatus: 404 },
      /^🔍 The Midjourney API no longer knows this task .*Nothing was submitted\.$/,
    ],
    [
      '4 validation',
      { code: 4, description: '参数校验错误' },
      /^⚠️ The Midjourney API refused U1 \(the API said: `参数校验错误`\)\. Nothing was submitted\.$/,
    ],
    [
      '4 account limit',
      { code: 4, description: '并发数已达上限' },
      /^🚦 The Midjourney account has reached a limit \(the API said: `并发数已达上限`\)/,
    ],
    ['9 FORK queue full', { code: 9 }, /^🚦 The Midjourney queue is full\./],
    [
      '9 failure',
      { code: 9, description: '提交失败，系统异常' },
      /^💥 The Midjourney API could not submit U1 \(the API said: `提交失败，系统异常`\)\. Try again in a minute\.$/,
    ],
    [
      'an unknown code',
      { code: 42, description: 'strange' },
      /^⚠️ The Midjourney API gave an unexpected answer to U1 \(code 42\)/,
    ],
  ];

  it.each(CASES)('code %s', async (_name, forced, expected) => {
    h.mj.nextSubmit('action', forced);
    const { answer, shown, u1, newProgress } = await clickU1();
    expect(answer.text).toMatch(expected);
    expect(newProgress()).toBe(0);
    expect(buttonOn(h.discord.message(shown.channelId, shown.messageId), u1)?.style).toBe(ButtonStyle.Secondary);
  });
});

describe('the API failing during the submit', () => {
  const FAULTS: Array<[string, MjFault, RegExp]> = [
    [
      'HTTP 500',
      { kind: 'status', status: 500, body: 'Internal Server Error' },
      /^💥 The Midjourney API gave an unusable answer: [^.]*\bHTTP 500\b.*Try again in a minute\.$/s,
    ],
    [
      'an HTML 502 page',
      { kind: 'html', status: 502 },
      /^💥 The Midjourney API gave an unusable answer: [^.]*\bHTTP 502\b/,
    ],
    [
      'malformed JSON',
      { kind: 'malformed' },
      /^💥 The Midjourney API gave an unusable answer: malformed JSON \(HTTP 200\)\. Try again in a minute\.$/,
    ],
    ['a reset connection', { kind: 'reset' }, /^📡 The bot cannot reach the Midjourney API right now\./],
    [
      'a 401 that quotes the key back',
      { kind: 'echo', status: 401 },
      /^🔒 The Midjourney API rejected the bot's API key\./,
    ],
    [
      'a 400 that quotes the request back',
      { kind: 'echo', status: 400 },
      /^💥 The Midjourney API gave an unusable answer: [^.]*\bHTTP 400\b/,
    ],
    ['an envelope that quotes the request back', { kind: 'echo', as: 'envelope' }, /^⚠️ The Midjourney API refused U1/],
  ];

  it.each(FAULTS)('%s: a specific private message; a retry is not blocked', async (_name, fault, expected) => {
    h.mj.fault('action', fault, 1);
    const { answer, shown, u1, newProgress } = await clickU1();
    expect(answer.text).toMatch(expected);
    expect(answer.text).not.toContain(h.mj.apiKey);
    expect(answer.text).not.toContain(h.env.WEBHOOK_SECRET);
    expect(newProgress()).toBe(0);
    // Nothing was spent, so the same button works at once.
    expect((await click(h, shown, u1)).text).toMatch(/^✅ U1 submitted/);
  });

  it('a timeout: says so, and blocks a repeat that could pay twice', async () => {
    h.mj.fault('action', { kind: 'slow', delayMs: 1_500 }, 1);
    const { answer, shown, u1 } = await clickU1();
    expect(answer.text).toBe('⌛ The Midjourney API did not answer within 1 second. Try again in a minute.');
    const again = await click(h, shown, u1);
    expect(again.text).toMatch(
      /^🔁 Already submitted by <@\d+> <t:\d+:R>, so nothing new was submitted \(the API never confirmed it/,
    );
  });

  it('never shows the API key, the bot token or the webhook secret anywhere', () => {
    const all = everythingSaid(h);
    expect(all).not.toContain(h.mj.apiKey);
    expect(all).not.toContain(h.discord.token);
    expect(all).not.toContain(h.env.WEBHOOK_SECRET);
    expect(h.discord.serverErrors).toEqual([]);
  });
});
