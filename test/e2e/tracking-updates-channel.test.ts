// Where tasks started from the bot are reported: /mjupdates set|off|show (Manage Server only, kept in
// SQLite across restarts) and UPDATES_CHANNEL_ID. A task started with /imagine lands in that
// channel: its progress message, then its result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { imagine, resultsOf, startTrackingHarness } from '../support/tracking-e2e.js';
import { closedChannel } from './support-clicks.js';

/** Runs /mjupdates <sub> as `user` and returns the private answer. */
async function mjupdates(h: Harness, sub: 'set' | 'off' | 'show', user: string, channel?: string): Promise<string> {
  const interaction = h.discord.slashCommand({
    name: `mjupdates ${sub}`,
    user,
    ...(channel ? { options: { channel } } : {}),
  });
  const view = await h.discord.waitFor(
    () => {
      const v = h.discord.interactionResponses(interaction.id);
      const text = v.callbackData?.content ?? v.original?.content ?? v.followUps[0]?.content;
      return typeof text === 'string' && text !== '' ? { v, text } : null;
    },
    5_000,
    `/mjupdates ${sub}`,
  );
  const flags =
    (view.v.callbackData?.flags as number | undefined) ?? view.v.original?.flags ?? view.v.followUps[0]?.flags ?? 0;
  expect(flags & 64, 'the answer is private').toBe(64);
  return view.text;
}

/** /imagine in #general, then the task runs to its end; returns where it was shown. */
async function imagineToTheEnd(h: Harness, prompt: string) {
  const started = await imagine(h, prompt, { channelId: h.discord.defaults.channelId });
  h.mj.clock.advance(20_000);
  const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, `the result of ${prompt}`);
  await h.discord.waitFor(
    () => h.discord.message(started.channelId, started.progressId) === undefined,
    5_000,
    'the progress message to be deleted',
  );
  return { started, result };
}

describe('/mjupdates without UPDATES_CHANNEL_ID', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is refused to a member without Manage Server, and changes nothing', async () => {
    const { userId, guildId, otherChannelId } = h.discord.defaults;
    for (const sub of ['set', 'off', 'show'] as const) {
      expect(await mjupdates(h, sub, userId, sub === 'set' ? otherChannelId : undefined)).toMatch(
        /Only members with the Manage Server permission/,
      );
    }
    expect(await h.bot.context.store.settings.get(guildId)).toBeNull();
    expect(h.discord.commands(guildId).find((c) => c.name === 'mjupdates')?.default_member_permissions).toBe(
      String(Permission.ManageGuild),
    );
  });

  it('reports /imagine tasks where they were started until an admin sets a channel', async () => {
    const { adminUserId, channelId } = h.discord.defaults;
    expect(await mjupdates(h, 'show', adminUserId)).toMatch(/reported in the channel where each task is started/);
    const { started, result } = await imagineToTheEnd(h, 'reported where started');
    expect(started.channelId).toBe(channelId);
    expect(result.channel_id).toBe(channelId);
  });

  it('set: a member with a Manage Server role moves reports to another channel; the task and its result land there', async () => {
    const { channelId, otherChannelId, guildId, userId } = h.discord.defaults;
    const managerRole = h.discord.addRole({
      name: 'Server managers',
      permissions: Permission.ManageGuild | Permission.ViewChannel | Permission.SendMessages,
    });
    const manager = h.discord.addMember({ username: 'manager', roles: [managerRole] });
    expect(await mjupdates(h, 'set', manager.id, otherChannelId)).toBe(
      `📣 Done: tasks started with the bot in this server are now reported in <#${otherChannelId}>.`,
    );
    expect(await h.bot.context.store.settings.get(guildId)).toMatchObject({
      updatesChannelId: otherChannelId,
      updatedBy: manager.id,
    });
    expect(await mjupdates(h, 'show', manager.id)).toBe(
      `📣 Tasks started with the bot are reported in <#${otherChannelId}> (set with /mjupdates).`,
    );

    const publicIn = (id: string) => h.discord.messages(id).filter((m) => (m.flags & 64) === 0);
    const generalBefore = publicIn(channelId).length;
    const { started, result } = await imagineToTheEnd(h, 'reported in the updates channel');
    expect(started.channelId).toBe(otherChannelId);
    expect(started.answer).toContain(`<#${otherChannelId}>`);
    expect(result.channel_id).toBe(otherChannelId);
    expect(result.content).toContain(`<@${userId}>`);
    expect(publicIn(channelId)).toHaveLength(generalBefore); // nothing public landed in #general
  });

  it('refuses a channel the bot cannot post in, and keeps the current one', async () => {
    const { adminUserId, guildId, otherChannelId } = h.discord.defaults;
    const closed = await closedChannel(h);
    expect(await mjupdates(h, 'set', adminUserId, closed)).toMatch(
      /I cannot use <#\d+>: I am missing Send Messages there/,
    );
    expect(await h.bot.context.store.settings.getUpdatesChannel(guildId)).toBe(otherChannelId);
  });

  it('survives a restart (SQLite), and off goes back to the channel where each task is started', async () => {
    const { adminUserId, otherChannelId, channelId } = h.discord.defaults;
    await h.restartBot();
    expect(await mjupdates(h, 'show', adminUserId)).toContain(`<#${otherChannelId}> (set with /mjupdates)`);
    expect(await mjupdates(h, 'off', adminUserId)).toMatch(/reported in the channel where it was started/);
    expect(await mjupdates(h, 'show', adminUserId)).toMatch(/the channel where each task is started/);
    const { started } = await imagineToTheEnd(h, 'back where started');
    expect(started.channelId).toBe(channelId);
  });
});

describe('UPDATES_CHANNEL_ID', () => {
  let h: Harness;
  const UPDATES = '1180000000000000201'; // the stand-in's #mj-updates
  beforeAll(async () => {
    h = await startTrackingHarness({ env: { UPDATES_CHANNEL_ID: UPDATES } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reports /imagine tasks there; a server setting overrides it; off falls back to it', async () => {
    const { adminUserId } = h.discord.defaults;
    expect(UPDATES).toBe(h.discord.defaults.otherChannelId);
    expect(await mjupdates(h, 'show', adminUserId)).toBe(
      `📣 Tasks started with the bot are reported in <#${UPDATES}> (UPDATES_CHANNEL_ID).`,
    );
    expect((await imagineToTheEnd(h, 'configured channel')).result.channel_id).toBe(UPDATES);

    const third = h.discord.addChannel({ name: 'art' });
    await h.discord.waitFor(() => h.bot.client.channels.cache.has(third), 2_000, 'the channel in the bot cache');
    await mjupdates(h, 'set', adminUserId, third);
    expect((await imagineToTheEnd(h, 'server setting')).result.channel_id).toBe(third);

    await mjupdates(h, 'off', adminUserId);
    expect((await imagineToTheEnd(h, 'after off')).result.channel_id).toBe(UPDATES);
  });
});
