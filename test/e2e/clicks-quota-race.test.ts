// The daily quota under clicks that arrive together, end to end: a member with one task left clicks
// two buttons at the same moment, or clicks again while the first submit is still out at the API.
// One is submitted, the other refused privately with the quota sentence in the member's language; a
// submit the API fails or refuses gives its place back. /mjusage counts what was started and refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextUtcMidnight } from '../../src/days.js';
import type { Harness } from '../support/harness.js';
import { startTrackingHarness } from '../support/tracking-e2e.js';
import { answerOf, buttonIdWith, showFinishedTask } from './support-clicks.js';
import { expectChinese, zhClick, zhCommand } from './support-zh-cn.js';

const submits = (h: Harness) =>
  h.mj.requests.filter((r) => r.route === 'imagine' || r.route === 'action' || r.route === 'modal').length;

const quotaSentence = (quota: number) => {
  const midnight = Math.floor(nextUtcMidnight(Date.now()) / 1000);
  return `📅 你已用完在此服务器的每日额度（${quota} 个任务，由管理员设置）。未提交任何内容。额度将于 <t:${midnight}:f>（<t:${midnight}:R>，UTC 零点）重置。`;
};

describe('the daily quota, two clicks at once', () => {
  let h: Harness;
  beforeAll(async () => {
    // A held submit must not time out while the test acts.
    h = await startTrackingHarness({ env: { MJ_TIMEOUT_MS: '15000' } });
    const quota = h.discord.slashCommand({
      name: 'mjsettings quota',
      user: h.discord.defaults.adminUserId,
      options: { member_per_day: 2 },
    });
    expect((await answerOf(h, quota.id)).text).toMatch(/^✅ /);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A new member who has started one task today (one left) and sees a finished task of their own. */
  async function memberWithOneLeft(name: string) {
    const user = h.discord.addMember({ username: name }).id;
    expect((await zhCommand(h, 'imagine', { prompt: `${name}'s first` }, { user })).text).toMatch(/^✅ /);
    const shown = await showFinishedTask(h, { action: 'IMAGINE', prompt: 'a paper crane' }, user);
    const button = (n: number) => buttonIdWith(h, shown, `::upsample::${n}::`);
    return { user, shown, button };
  }

  it('at the same moment: one is submitted, the other refused with the quota sentence in Chinese', async () => {
    const { user, shown, button } = await memberWithOneLeft('together');
    const before = submits(h);
    const answers = await Promise.all([zhClick(h, shown, button(1), { user }), zhClick(h, shown, button(2), { user })]);
    expect(submits(h)).toBe(before + 1);
    const texts = answers.map((a) => a.text);
    expect(texts.filter((t) => /^✅ /.test(t))).toHaveLength(1);
    expect(texts.filter((t) => t === quotaSentence(2))).toHaveLength(1);
    for (const answer of answers) expect(answer.ephemeral).toBe(true);
    expectChinese(quotaSentence(2));
  });

  it('while the first submit is still out at the API: the second is refused, nothing more is submitted', async () => {
    const { user, shown, button } = await memberWithOneLeft('meanwhile');
    let release: () => void = () => undefined;
    h.mj.fault('action', { kind: 'held', until: new Promise<void>((resolve) => (release = resolve)) }, 1);
    const before = submits(h);
    const first = zhClick(h, shown, button(1), { user });
    await h.discord.waitFor(() => submits(h) === before + 1, 5_000, 'the first click’s submit at the API');
    // Read before the first is answered, the day's counters still show one task left: only the hold says no.
    const second = await zhClick(h, shown, button(2), { user });
    expect(second.text).toBe(quotaSentence(2));
    release();
    expect((await first).text).toMatch(/^✅ /);
    expect(submits(h)).toBe(before + 1);
    // The member's /mjusage: two started, one refused by the quota; the hold itself is no usage.
    const usage = h.discord.slashCommand({ name: 'mjusage', options: { period: '1' }, user });
    const text = (await answerOf(h, usage.id)).text;
    expect(text).toContain('**2** started (/imagine 1, Upscale 1) · **1** refused (daily quota 1)');
    expect(text).toMatch(/Today: \*\*2\*\* of 2 daily tasks used, \*\*0\*\* left/);
  });

  it('a submit the API fails or refuses gives its place back: the next click is submitted', async () => {
    const { user, shown, button } = await memberWithOneLeft('retry');
    h.mj.fault('action', { kind: 'status', status: 500, body: 'upstream down' }, 1);
    expect((await zhClick(h, shown, button(1), { user })).text).not.toMatch(/^✅ |^📅 /);
    h.mj.nextSubmit('action', { code: 23, description: '队列已满，请稍后尝试' });
    expect((await zhClick(h, shown, button(2), { user })).text).not.toMatch(/^✅ |^📅 /);
    expect((await zhClick(h, shown, button(3), { user })).text).toMatch(/^✅ /);
    expect((await zhClick(h, shown, button(4), { user })).text).toBe(quotaSentence(2));
  });
});
