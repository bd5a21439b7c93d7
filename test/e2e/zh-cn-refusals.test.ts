// A zh-CN member refused, end to end, by every rule: the server's channels, roles and daily quota
// (reached, then reset across UTC midnight on the bot's injected clock), whose task it is, how often
// and how much at once they may submit. Each refusal is private, in Chinese with no English left,
// names its rule and submits nothing. A zh-CN admin reads /mjsettings and /mjusage in Chinese too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextUtcMidnight } from '../../src/days.js';
import type { Harness } from '../support/harness.js';
import { createOffsetClock, startTrackingHarness, type OffsetClock } from '../support/tracking-e2e.js';
import { answerOf, buttonIdWith, showFinishedTask } from './support-clicks.js';
import { expectChinese, zhClick, zhCommand } from './support-zh-cn.js';

const submits = (h: Harness) =>
  h.mj.requests.filter((r) => r.route === 'imagine' || r.route === 'action' || r.route === 'modal').length;

/** `/mjsettings <sub>` as the (English-speaking) admin. */
async function setting(h: Harness, sub: string, options: Record<string, string | number | boolean>) {
  const interaction = h.discord.slashCommand({
    name: `mjsettings ${sub}`,
    user: h.discord.defaults.adminUserId,
    options,
  });
  return (await answerOf(h, interaction.id)).text;
}

/** /imagine as the zh-CN member, expected to be refused privately with nothing submitted. */
async function refusedImagine(h: Harness, who: { channelId?: string; user?: string } = {}) {
  const before = submits(h);
  const answer = await zhCommand(h, 'imagine', { prompt: 'a paper crane' }, who);
  expect(answer.ephemeral).toBe(true);
  expect(submits(h)).toBe(before);
  expectChinese(answer.text);
  return answer.text;
}

describe("the server's rules", () => {
  let h: Harness;
  let clock: OffsetClock;
  beforeAll(async () => {
    clock = createOffsetClock();
    // Two minutes before the next UTC midnight, on the bot's clock.
    clock.advance(nextUtcMidnight(Date.now()) - 120_000 - Date.now());
    h = await startTrackingHarness({ clock });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a channel not allowed: named, in Chinese', async () => {
    const { channelId, otherChannelId } = h.discord.defaults;
    await setting(h, 'channels', { action: 'add', channel: otherChannelId });
    expect(await refusedImagine(h, { channelId })).toBe(
      `🚫 管理员将本机器人限制在此服务器的 <#${otherChannelId}> 中使用。未提交任何内容；请到那里使用。`,
    );
    await setting(h, 'channels', { action: 'everywhere' });
  });

  it('a role without the right to start, and to click: named, in Chinese', async () => {
    const artists = h.discord.addRole({ name: 'Artists', permissions: 0n });
    const shown = await showFinishedTask(h, { action: 'IMAGINE', prompt: 'a moth' });
    await setting(h, 'roles', { right: 'start', action: 'add', role: artists });
    await setting(h, 'roles', { right: 'click', action: 'add', role: artists });
    expect(await refusedImagine(h)).toBe(
      `🔒 在此服务器中，只有拥有 <@&${artists}> 身份组的成员才能发起任务（管理员设置的规则）。未提交任何内容。`,
    );
    const click = await zhClick(h, shown, buttonIdWith(h, shown, '::upsample::1::'));
    expect(click.text).toMatch(/^🔒 在此服务器中，只有拥有 <@&\d+> 身份组的成员才能使用任务按钮/);
    expectChinese(click.text);
    await setting(h, 'roles', { right: 'start', action: 'everyone' });
    await setting(h, 'roles', { right: 'click', action: 'everyone' });
  });

  it('the daily quota: refused until midnight, said when it resets, allowed again after', async () => {
    await setting(h, 'quota', { member_per_day: 1 });
    const first = await zhCommand(h, 'imagine', { prompt: 'first' });
    expect(first.text).toMatch(/^✅ /);
    const midnight = Math.floor(nextUtcMidnight(clock.now()) / 1000);
    expect(await refusedImagine(h)).toBe(
      `📅 你已用完在此服务器的每日额度（1 个任务，由管理员设置）。未提交任何内容。额度将于 <t:${midnight}:f>（<t:${midnight}:R>，UTC 零点）重置。`,
    );
    clock.advance(180_000);
    const nextDay = await zhCommand(h, 'imagine', { prompt: 'the next day' });
    expect(nextDay.text).toMatch(/^✅ /);
    expectChinese(nextDay.text);
  });

  it('a zh-CN admin reads /mjsettings and /mjusage in Chinese', async () => {
    const admin = { user: h.discord.defaults.adminUserId };
    await setting(h, 'speed', { mode: 'relax' });
    const shown = await zhCommand(h, 'mjsettings show', {}, admin);
    expect(shown.text).toContain('• 成员额度：每天 1 个任务（管理者不受限制）');
    expect(shown.text).toContain('• 默认速度：--relax');
    expect(shown.text).toContain('**最近的更改**');
    expectChinese(shown.text, [], '/mjsettings show');
    const saved = await zhCommand(h, 'mjsettings language', { value: 'zh-CN' }, admin);
    expect(saved.text).toMatch(/^✅ 已保存：频道消息的语言。/);
    expect(saved.text).toContain('• 频道消息的语言：简体中文');
    const usage = await zhCommand(h, 'mjusage', { period: '7' }, admin);
    expect(usage.text).toMatch(/^📊 \*\*本服务器的用量，最近 7 天/);
    expect(usage.text).toContain('被拒绝 **');
    expectChinese(usage.text, [], '/mjusage');
    const own = await zhCommand(h, 'mjusage', {});
    expect(own.text).toMatch(/^📊 \*\*你在本服务器的用量/);
    expectChinese(own.text, [], "a member's /mjusage");
  });
});

describe('whose task it is, how often and how much', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({
      env: { CLICK_POLICY: 'requester', CLICKS_PER_MINUTE: '2', MAX_RUNNING_TASKS_PER_MEMBER: '1' },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("another member's task: refused, naming who started it", async () => {
    const other = h.discord.addMember({ username: 'starter' }).id;
    const shown = await showFinishedTask(h, { action: 'IMAGINE', prompt: 'a lantern' }, other);
    const before = submits(h);
    // The stand-in's task carries no signed state: the member who showed it is who may act.
    const answer = await zhClick(h, shown, buttonIdWith(h, shown, '::upsample::1::'));
    expect(answer.text).toBe(`🔒 此任务不是通过本机器人发起的，所以只有在这里展示它的 <@${other}> 可以使用它的按钮。`);
    expectChinese(answer.text);
    expect(submits(h)).toBe(before);
  });

  it('a task still running: the running cap, in Chinese; then the per-minute limit', async () => {
    h.mj.nextTask({ timeline: { queuedMs: 60_000 } });
    expect((await zhCommand(h, 'imagine', { prompt: 'slow' })).text).toMatch(/^✅ /);
    expect(await refusedImagine(h)).toBe('⏳ 你已有 1 个任务正在运行。请等其中一个完成后再试。');
    h.mj.clock.advance(120_000); // the first one finishes
    await h.discord.waitFor(
      () => h.bot.context.tracking.runningCountFor(h.discord.defaults.userId) === 0,
      10_000,
      'done',
    );
    expect((await zhCommand(h, 'imagine', { prompt: 'second' })).text).toMatch(/^✅ /);
    h.mj.clock.advance(120_000);
    await h.discord.waitFor(
      () => h.bot.context.tracking.runningCountFor(h.discord.defaults.userId) === 0,
      10_000,
      'done',
    );
    expect(await refusedImagine(h)).toMatch(/^⏳ 你每分钟最多可提交 2 次。请在 \d+ 秒后重试。$/);
  });
});
