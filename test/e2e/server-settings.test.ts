// /mjsettings end to end (Manage Server only): the summary and its audit trail, and the rules it sets
// applied to members the way Discord drives them — a channel not allowed, a role without the right to
// start or to click, a daily quota reached and reset across UTC midnight on the bot's injected clock.
// Every refusal is private, names its rule, says when a quota resets, and submits nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextUtcMidnight } from '../../src/days.js';
import { Permission } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { createOffsetClock, imagine, startTrackingHarness, type OffsetClock } from '../support/tracking-e2e.js';
import { answerOf, buttonIdWith, click, showFinishedTask } from './support-clicks.js';

type Options = Record<string, string | number | boolean>;

/** Runs `/mjsettings <sub>` as `user` (default the admin) and returns the private answer. */
export async function mjsettings(h: Harness, sub: string, options: Options = {}, user?: string): Promise<string> {
  const interaction = h.discord.slashCommand({
    name: `mjsettings ${sub}`,
    user: user ?? h.discord.defaults.adminUserId,
    options,
  });
  const answer = await answerOf(h, interaction.id);
  expect(answer.ephemeral, 'the answer is private').toBe(true);
  return answer.text;
}

/** Runs a command as a member and returns its final private answer. */
async function run(h: Harness, name: string, options: Options, who: { user?: string; channelId?: string } = {}) {
  const interaction = h.discord.slashCommand({ name, options, ...who });
  const answer = await answerOf(h, interaction.id);
  expect(answer.ephemeral, 'the answer is private').toBe(true);
  return answer.text;
}

const submits = (h: Harness) =>
  h.mj.requests.filter((r) => r.route === 'imagine' || r.route === 'action' || r.route === 'modal').length;

describe('/mjsettings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is registered for Manage Server and refused to a member who lacks it', async () => {
    const registered = [...h.discord.commands(h.discord.defaults.guildId), ...h.discord.commands()].find(
      (c) => c.name === 'mjsettings',
    );
    expect(registered?.default_member_permissions).toBe(String(Permission.ManageGuild));
    const text = await mjsettings(h, 'quota', { member_per_day: 1 }, h.discord.defaults.userId);
    expect(text).toMatch(/^🔒 Only members with the Manage Server permission/);
    expect(await h.bot.context.store.settings.get(h.discord.defaults.guildId)).toBeNull();
  });

  it('shows the defaults, then each change with who made it', async () => {
    const { adminUserId, otherChannelId } = h.discord.defaults;
    expect(await mjsettings(h, 'show')).toContain('• Channels: every channel');
    const saved = await mjsettings(h, 'quota', { member_per_day: 5, server_per_day: 100 });
    expect(saved).toMatch(/^✅ Saved: Member quota, Server budget\./);
    expect(saved).toContain('• Member quota: 5 tasks per day');
    expect(saved).toContain('• Server budget: 100 tasks per day, 0 used today');
    await mjsettings(h, 'speed', { mode: 'relax' });
    await mjsettings(h, 'language', { value: 'zh-CN' });
    await mjsettings(h, 'updates', { channel: otherChannelId });
    const shown = await mjsettings(h, 'show');
    expect(shown).toContain('• Default speed: --relax');
    expect(shown).toContain('• Language of channel messages: 简体中文');
    expect(shown).toContain(`• Updates channel: <#${otherChannelId}>`);
    expect(shown).toMatch(
      new RegExp(
        `<t:\\d+:R> <@${adminUserId}>: Updates channel the channel where each task is started → <#${otherChannelId}>`,
      ),
    );
    expect(shown).toMatch(new RegExp(`<@${adminUserId}>: Member quota no limit → 5 tasks per day`));
    expect(await mjsettings(h, 'speed', { mode: 'relax' })).toMatch(/^ℹ️ Nothing changed/);
  });

  it('adds the default speed to /imagine prompts that name none', async () => {
    const started = await imagine(h, 'a lighthouse at dusk');
    expect(h.mj.requests.filter((r) => r.route === 'imagine').at(-1)?.body).toMatchObject({
      prompt: 'a lighthouse at dusk --relax',
    });
    expect(started.channelId).toBe(h.discord.defaults.otherChannelId);
    await imagine(h, 'a lighthouse --fast');
    expect(h.mj.requests.filter((r) => r.route === 'imagine').at(-1)?.body).toMatchObject({
      prompt: 'a lighthouse --fast',
    });
  });

  it('refuses reset without confirm, and resets everything with it', async () => {
    expect(await mjsettings(h, 'reset', { confirm: false })).toMatch(/^⚠️ Nothing was reset/);
    const reset = await mjsettings(h, 'reset', { confirm: true });
    expect(reset).toMatch(/^♻️ Every setting is back to its default/);
    expect(reset).toContain('• Member quota: no limit');
    expect(await h.bot.context.store.settings.effective(h.discord.defaults.guildId)).toMatchObject({
      memberDailyQuota: null,
      defaultSpeed: null,
      updatesChannelId: null,
      channelLocale: null,
    });
  });

  it('a channel not allowed: commands and clicks there are refused naming where the bot is; allowed channels work', async () => {
    const { channelId, otherChannelId, userId } = h.discord.defaults;
    const shown = await showFinishedTask(h, { action: 'IMAGINE', prompt: 'a kite' }, userId);
    const saved = await mjsettings(h, 'channels', { action: 'add', channel: otherChannelId });
    expect(saved).toContain(`• Channels: <#${otherChannelId}> (and their threads)`);
    const before = submits(h);
    const refusal = `🚫 The admins keep this bot to <#${otherChannelId}> in this server. Nothing was submitted; use it there.`;
    expect(await run(h, 'imagine', { prompt: 'a kite' }, { channelId })).toBe(refusal);
    expect(await run(h, 'mjtask', { id: shown.taskId }, { channelId })).toBe(refusal);
    expect((await click(h, shown, buttonIdWith(h, shown, '::upsample::1::'), userId)).text).toBe(refusal);
    expect(submits(h)).toBe(before);
    await imagine(h, 'a kite over the sea', { channelId: otherChannelId });
    expect(submits(h)).toBe(before + 1);
    // Admins still reach /mjsettings from any channel.
    expect(await mjsettings(h, 'channels', { action: 'everywhere' })).toContain('• Channels: every channel');
  });

  it('a role without the right: starting and clicking are kept to the named roles, separately', async () => {
    const { userId } = h.discord.defaults;
    const artists = h.discord.addRole({ name: 'Artists', permissions: 0n });
    const clickers = h.discord.addRole({ name: 'Clickers', permissions: 0n });
    const artist = h.discord.addMember({ username: 'artist', roles: [artists] }).id;
    const shown = await showFinishedTask(h, { action: 'IMAGINE', prompt: 'a moth' }, userId);
    await mjsettings(h, 'roles', { right: 'start', action: 'add', role: artists });
    const saved = await mjsettings(h, 'roles', { right: 'click', action: 'add', role: clickers });
    expect(saved).toContain(`• Who may start tasks: <@&${artists}>`);
    expect(saved).toContain(`• Who may use buttons: <@&${clickers}>`);
    const before = submits(h);
    expect(await run(h, 'imagine', { prompt: 'a moth' }, { user: userId })).toBe(
      `🔒 In this server only members with <@&${artists}> can start tasks (a rule set by the admins). Nothing was submitted.`,
    );
    expect((await click(h, shown, buttonIdWith(h, shown, '::upsample::2::'), userId)).text).toBe(
      `🔒 In this server only members with <@&${clickers}> can use task buttons (a rule set by the admins). Nothing was submitted.`,
    );
    expect(submits(h)).toBe(before);
    await imagine(h, 'a moth at a lamp', { user: artist });
    expect(submits(h)).toBe(before + 1);
    await mjsettings(h, 'roles', { right: 'start', action: 'everyone' });
    await mjsettings(h, 'roles', { right: 'click', action: 'remove', role: clickers });
    await imagine(h, 'a moth again', { user: userId });
  });
});

describe('the daily quota across UTC midnight (injected clock)', () => {
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

  it('refuses the member past their quota until midnight, says when it resets, and lets them again after', async () => {
    const { userId, adminUserId } = h.discord.defaults;
    await mjsettings(h, 'quota', { member_per_day: 2 });
    await imagine(h, 'first');
    await imagine(h, 'second');
    const before = submits(h);
    const midnight = Math.floor(nextUtcMidnight(clock.now()) / 1000);
    expect(await run(h, 'imagine', { prompt: 'third' }, { user: userId })).toBe(
      `📅 You have used your daily quota of 2 tasks in this server (set by the admins). Nothing was submitted. It resets at <t:${midnight}:f> (<t:${midnight}:R>, midnight UTC).`,
    );
    expect(submits(h)).toBe(before);
    // Managers are exempt from the member quota.
    await imagine(h, 'the admin’s', { user: adminUserId });
    clock.advance(180_000);
    await imagine(h, 'the next day');
    expect(submits(h)).toBe(before + 2);
  });

  it('the server budget binds everyone, managers too', async () => {
    const { adminUserId } = h.discord.defaults;
    const member = h.discord.addMember({ username: 'second' }).id;
    await mjsettings(h, 'quota', { member_per_day: 0, server_per_day: 2 });
    await imagine(h, 'one more', { user: member });
    const text = await run(h, 'imagine', { prompt: 'over budget' }, { user: adminUserId });
    expect(text).toMatch(
      /^📅 This server has used its daily budget of 2 tasks \(set by the admins\)\. Nothing was submitted\. It resets at <t:\d+:f>/,
    );
  });
});
