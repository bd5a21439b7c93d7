// 🎉 Imagine all under a Describe on the fork: one click starts an IMAGINE per prompt line
// (trueai-org/midjourney-proxy src/Midjourney.Services/TaskService.cs L1817-1876; the answer is code 1
// with "id1,id2,id3,id4"). Every task the answer names is the member's and is followed to its own
// result in the channel; the member is told one was submitted and how many more came with it. The click
// holds a place in the daily quota for each of the four, so with fewer left it is refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { GUARDS_OFF, startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { answerOf, click, sentState } from './support-clicks.js';
import { bodiesOf, png, resultFrom, runCommand } from './support-new-tasks.js';
import { zhClick } from './support-zh-cn.js';

let h: Harness;
let member: string;
let described: StoredMessage;

beforeAll(async () => {
  h = await startTrackingHarness({ dialect: 'fork', env: GUARDS_OFF });
  member = h.discord.addMember({ username: 'looker' }).id;
  const answer = await runCommand(h, 'describe', { image: png('harbour.png', 3_000) }, member);
  described = await resultFrom(h, answer.text);
});
afterAll(async () => {
  await h?.close();
});

it('follows every task the one click started to its own result, each mentioning the member', async () => {
  const since = h.mj.requests.length;
  const shownBefore = new Set(h.discord.messages(described.channel_id).map((m) => m.id));
  const where = { channelId: described.channel_id, messageId: described.id };
  const answer = await click(h, where, 'MJ::Job::PicReader::all', member);
  expect(bodiesOf(h, 'action', since)).toEqual([
    { taskId: taskIdOf(described), customId: 'MJ::Job::PicReader::all', state: sentState(h, member) },
  ]);
  expect(answer.text).toMatch(/^✅ Imagine all submitted — following it in <#\d+>: https:\S+ \(and 3 more tasks\)$/);

  h.mj.clock.advance(120_000); // every one to SUCCESS
  const newResults = () =>
    h.discord
      .messages(described.channel_id)
      .filter((m) => !shownBefore.has(m.id) && !m.interaction_metadata && taskIdOf(m) !== null);
  const results = await h.discord.waitFor(
    () => (new Set(newResults().map((m) => taskIdOf(m))).size === 4 ? newResults() : null),
    8_000,
    'a result for each of the four tasks',
  );
  // Four different IMAGINE tasks, one per prompt line of the Describe, each shown once, for the member.
  const ids = results.map((m) => taskIdOf(m)!);
  expect(new Set(ids).size).toBe(results.length);
  expect(ids.map((id) => h.mj.task(id)?.action)).toEqual(['IMAGINE', 'IMAGINE', 'IMAGINE', 'IMAGINE']);
  for (const result of results) expect(result.content).toContain(`<@${member}>`);
});

it('counts the four tasks it started in /mjusage, as the daily quota counts them', async () => {
  const usage = h.discord.slashCommand({ name: 'mjusage', options: { period: '1' }, user: member });
  const text = (await answerOf(h, usage.id)).text;
  // The /describe and the four IMAGINE tasks the one click started: each is a task the API took.
  expect(text).toContain('**5** started (Imagine 4, /describe 1)');
  expect(text).toContain('Today: **5** started; no daily quota.');
});

it('with fewer places left in the daily quota than the four it starts, refuses the click in the member’s language and submits nothing', async () => {
  const quota = h.discord.slashCommand({
    name: 'mjsettings quota',
    user: h.discord.defaults.adminUserId,
    options: { member_per_day: 8 },
  });
  expect((await answerOf(h, quota.id)).text).toMatch(/^✅ /);
  // 5 started so far; a second /describe makes 6 of 8: two places left, Imagine all needs four.
  const again = await runCommand(h, 'describe', { image: png('pier.png', 3_000) }, member);
  const second = await resultFrom(h, again.text);
  const where = { channelId: second.channel_id, messageId: second.id };
  const since = h.mj.requests.length;

  const refused = await click(h, where, 'MJ::Job::PicReader::all', member);
  expect(refused.text).toMatch(
    /^📅 This starts 4 tasks, but only 2 remain of your daily quota of 8 tasks in this server \(set by the admins\)\. Nothing was submitted\. It resets at <t:\d+:f> \(<t:\d+:R>, midnight UTC\)\.$/,
  );
  const inChinese = await zhClick(h, where, 'MJ::Job::PicReader::all', { user: member });
  expect(inChinese.text).toMatch(
    /^📅 此操作会发起 4 个任务，但你在此服务器的每日额度（8 个任务，由管理员设置）只剩 2 个。/,
  );
  expect(inChinese.text).toContain('额度将');
  expect(bodiesOf(h, 'action', since)).toEqual([]);
  expect(bodiesOf(h, 'imagine', since)).toEqual([]);

  // One prompt still fits: 1️⃣ starts its one task.
  const one = await click(h, where, 'MJ::Job::PicReader::1', member);
  expect(one.text).toMatch(/^✅ /);
  const usage = h.discord.slashCommand({ name: 'mjusage', options: { period: '1' }, user: member });
  const text = (await answerOf(h, usage.id)).text;
  // The two refusals are logged with their rule; the quota counts the seven tasks that started.
  expect(text).toContain('**7** started (Imagine 5, /describe 2) · **2** refused (daily quota 2)');
  expect(text).toContain('Today: **7** of 8 daily tasks used, **1** left');
});
