// /imagine prompt:<text>, end to end, through the same submit flow as the buttons: acknowledged
// within 3 s, one /mj/submit/imagine, a private answer with a link, and a progress message that
// mentions the member and is followed to its result. Refusals (banned word, queue full, API failure)
// are explained privately and start nothing. (Rate limit and running cap: clicks-limits.test.ts.)
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import type { ForcedSubmit } from '../support/mj/index.js';
import { FAST_BUCKET, FAST_BUDGET } from '../support/tracking-e2e.js';
import { answerOf, customIdsOn, everythingSaid, followedFrom, requestsFor, sentState } from './support-clicks.js';

const ENV = { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' };

async function imagine(h: Harness, prompt: string, user?: string) {
  const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt }, ...(user ? { user } : {}) });
  const answer = await answerOf(h, interaction.id);
  expect(answer.ephemeral).toBe(true);
  return answer;
}
const imagineBodies = (h: Harness, since: number) =>
  h.mj.requests
    .slice(since)
    .filter((r) => r.route === 'imagine')
    .map((r) => r.body);

describe('/imagine on a proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      mj: { bannedWords: ['gore'] },
      env: ENV,
      discord: { editBucket: FAST_BUCKET },
      channelBudget: FAST_BUDGET,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('submits the prompt and follows the task to a result that mentions the member', async () => {
    const member = h.discord.addMember({ username: 'painter' }).id;
    const since = h.mj.requests.length;
    const answer = await imagine(h, 'a red fox in the snow --ar 3:2', member);
    expect(answer.view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(answer.text).toMatch(/^✅ \/imagine submitted — following it in <#\d+>: https:\/\/discord\.com\/channels\//);
    expect(imagineBodies(h, since)).toEqual([
      { prompt: 'a red fox in the snow --ar 3:2', state: sentState(h, member) },
    ]);
    const progress = followedFrom(h, answer.text);
    expect(progress.message.content.split('\n')[0]).toBe(
      `**a red fox in the snow --ar 3:2** - <@${member}> (Waiting to start)`,
    );

    h.mj.clock.advance(6_000);
    await h.discord.waitFor(
      () => /\(\d+%\)$/m.test(h.discord.message(progress.channelId, progress.messageId)?.content ?? ''),
      5_000,
      'progress',
    );
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(
      () =>
        h.discord
          .messages(progress.channelId)
          .find(
            (m) =>
              m.id !== progress.messageId &&
              m.content.startsWith(`**a red fox in the snow --ar 3:2** - <@${member}>\n-# Task `),
          ),
      5_000,
      'the result',
    );
    expect(customIdsOn(result)).toHaveLength(9); // the grid to click on next
    await h.discord.waitFor(
      () => h.discord.message(progress.channelId, progress.messageId) === undefined,
      5_000,
      'progress message removed',
    );
  });

  it('a banned word (code 24) is named, and nothing is followed', async () => {
    const since = h.mj.requests.length;
    const channelPosts = () =>
      h.discord.messages(h.discord.defaults.channelId).filter((m) => !m.interaction_metadata).length;
    const before = channelPosts();
    const answer = await imagine(h, 'a scene full of gore --v 6');
    expect(answer.text).toBe(
      '🚫 Midjourney refused the prompt: the word `gore` is banned. Rephrase it and try again. Nothing was submitted.',
    );
    expect(imagineBodies(h, since)).toHaveLength(1);
    expect(channelPosts()).toBe(before); // no progress message
  });

  it.each<[string, ForcedSubmit, RegExp]>([
    [
      '22 queued',
      { code: 22, numberOfQueues: 0 },
      /^✅ \/imagine submitted — position 1 in the queue — following it in/,
    ],
    ['23 queue full', { code: 23 }, /^🚦 The Midjourney queue is full\. Nothing was submitted/],
    ['3 no account', { code: 3 }, /^⏳ No Midjourney account is available right now/],
    [
      '4 validation',
      { code: 4, description: 'prompt不能为空' },
      /^⚠️ The Midjourney API refused \/imagine \(the API said: `prompt不能为空`\)/,
    ],
    ['9 failure', { code: 9, description: '提交失败，系统异常' }, /^💥 The Midjourney API could not submit \/imagine/],
  ])('code %s', async (_name, forced, expected) => {
    h.mj.nextSubmit('imagine', forced);
    expect((await imagine(h, 'a quiet lake')).text).toMatch(expected);
  });

  it('an HTTP 500 during the submit is explained', async () => {
    h.mj.fault('imagine', { kind: 'status', status: 500, body: 'oops' }, 1);
    expect((await imagine(h, 'a quiet lake')).text).toMatch(
      /^💥 The Midjourney API gave an unusable answer: [^.]*\bHTTP 500\b/,
    );
  });

  it('a prompt of only spaces is refused at once, without a request', async () => {
    const since = h.mj.requests.length;
    const answer = await imagine(h, '   ');
    expect(answer.view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.text).toBe('⚠️ The prompt is empty. Nothing was submitted.');
    expect(requestsFor(h, since)).toEqual([]);
  });

  it('never shows a secret', () => {
    expect(everythingSaid(h)).not.toContain(h.mj.apiKey);
    expect(everythingSaid(h)).not.toContain(h.discord.token);
  });
});

describe('/imagine behind an aggregator (no banned-word check up front)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      mj: { flavor: 'aggregator', bannedWords: ['gore'] },
      env: ENV,
      discord: { editBucket: FAST_BUCKET },
      channelBudget: FAST_BUDGET,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a banned word is accepted, then the task fails and the result names the reason', async () => {
    const answer = await imagine(h, 'a scene full of gore');
    expect(answer.text).toMatch(/^✅ \/imagine submitted/);
    const progress = followedFrom(h, answer.text);
    h.mj.clock.advance(45_000);
    const result = await h.discord.waitFor(
      () =>
        h.discord
          .messages(progress.channelId)
          .find((m) =>
            m.content.startsWith(`**a scene full of gore** - <@${h.discord.defaults.userId}> (Failed)\n-# Task `),
          ),
      5_000,
      'the failed result',
    );
    // Shown as plain text: the brackets are escaped, so the reason reads as the API wrote it.
    expect(JSON.stringify(result.embeds)).toContain('\\\\[Banned prompt detected\\\\] gore');
  });
});
