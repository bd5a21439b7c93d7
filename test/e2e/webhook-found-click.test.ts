// Where a task a push finds is shown (src/webhook/feed.ts), on midjourney-proxy-plus (no task list,
// so pushes are the only way back to a submit whose answer was lost) with no updates channel set
// anywhere: as the list look shows it, in the channel where the member clicked, mentioning them, and
// the click answered with it, so a repeat click on the button links to the task. The push's state
// names the click (signed); a state naming a click of another server is shown nowhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSubmitState, submitState } from '../../src/mj/submit-state.js';
import { defaultGuildSpec } from '../support/discord/world.js';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { GUARDS_OFF, startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { answerOf, buttonIdWith, click, showFinishedTask, stateKeyOf } from './support-clicks.js';
import { bodiesOf } from './support-new-tasks.js';

const OTHER_GUILD = '1180000000000009000';
const OTHER_CHANNEL = '1180000000000009001';
const VISITOR = '1180000000000009100';
// Pushes alone move the tasks along (the safety-net poll never comes within a test). No
// UPDATES_CHANNEL_ID, and neither server sets one with /mjupdates.
const ENV = { ...GUARDS_OFF, POLL_FAST_MS: '600000', POLL_SLOW_MS: '600000', DISCORD_GUILD_ID: '' };

/** The state a message's first line ends with ("15%"); a result shows none. */
const stateOf = (content: string | undefined): string => /\(([^)]*)\)$/m.exec(content ?? '')?.[1] ?? '';
/** Every channel of both servers. */
const channelsOf = (h: Harness) => [h.discord.defaults.channelId, h.discord.defaults.otherChannelId, OTHER_CHANNEL];
/** The messages, in any channel, that show this task. */
const showing = (h: Harness, taskId: string): StoredMessage[] =>
  channelsOf(h).flatMap((c) => h.discord.messages(c).filter((m) => taskIdOf(m) === taskId));
const resultOf = (h: Harness, taskId: string) =>
  showing(h, taskId).find((m) => stateOf(m.content) === '' && !m.interaction_metadata) ?? null;
/** The task ids of the pushes the bot got since `since` (the stand-in's hook posts). */
const pushedSince = (h: Harness, since: number) => h.mj.hookDeliveries.slice(since).map((d) => d.taskId);

describe('midjourney-proxy-plus: a push finds the task of a click whose answer was lost', () => {
  let h: Harness;
  beforeAll(async () => {
    const other = {
      id: OTHER_GUILD,
      name: 'Another server',
      ownerId: VISITOR,
      channels: [{ id: OTHER_CHANNEL, name: 'general' }],
      members: [{ user: { id: VISITOR, username: 'visitor', global_name: null }, roles: [] }],
    };
    h = await startTrackingHarness({
      dialect: 'plus',
      webhook: true,
      discord: { guilds: [defaultGuildSpec(), other] },
      env: ENV,
    });
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });

  it('shows it where the member clicked, mentioning them; a repeat click links to it', async () => {
    const member = h.discord.addMember({ username: 'clicker' }).id;
    const shown = await showFinishedTask(h, { prompt: 'a harbour at dawn' }, member);
    const u1 = buttonIdWith(h, shown, 'upsample::1');
    const since = h.mj.requests.length;
    // The answer comes after MJ_TIMEOUT_MS (2 s), once the bot gave up on it; the server took the task.
    h.mj.fault('action', { kind: 'slow', delayMs: 3_000 }, 1);
    const answer = await click(h, shown, u1, member);
    expect(answer.text).toMatch(/^⌛ The Midjourney API did not answer/);
    const [sent] = bodiesOf(h, 'action', since);
    expect(parseSubmitState(String(sent?.state), stateKeyOf(h))).toMatchObject({ userId: member });

    // Its SUBMITTED push once the held request goes through, then every change to SUCCESS.
    await h.discord.waitFor(() => h.mj.hookDeliveries.length > 0, 5_000, 'the first push');
    const taskId = pushedSince(h, 0).find((id) => id !== shown.taskId)!;
    h.mj.clock.advance(120_000);
    const result = await h.discord.waitFor(() => resultOf(h, taskId), 10_000, 'its result');
    expect(result.channel_id).toBe(shown.channelId);
    expect(result.content).toContain(`<@${member}>`);
    expect(showing(h, taskId).every((m) => m.channel_id === shown.channelId)).toBe(true);

    // The click is answered with the task: a second click on U1 says where it is, and spends nothing.
    const actions = h.mj.countRequests('action');
    const again = await click(h, shown, u1, member);
    expect(again.ephemeral).toBe(true);
    expect(again.text).toMatch(
      new RegExp(`^🔁 Already submitted by <@${member}> <t:\\d+:R>, so nothing new was submitted → `),
    );
    // The link is the message that shows the task (its progress message, now its result).
    const [message] = showing(h, taskId);
    expect(again.text).toContain(
      `→ <#${shown.channelId}>: https://discord.com/channels/${h.discord.defaults.guildId}/${shown.channelId}/${message!.id}`,
    );
    expect(again.text).not.toContain('never confirmed');
    expect(h.mj.countRequests('action')).toBe(actions);
  }, 60_000);

  it('a click in another server is shown in its channel only; a state naming it for this server, nowhere', async () => {
    const since = h.mj.requests.length;
    const pushes = h.mj.hookDeliveries.length;
    h.mj.fault('imagine', { kind: 'slow', delayMs: 3_000 }, 1);
    const imagine = h.discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a visitor’s lighthouse' },
      user: VISITOR,
      guildId: OTHER_GUILD,
      channelId: OTHER_CHANNEL,
    });
    expect((await answerOf(h, imagine.id)).text).toMatch(/^⌛ The Midjourney API did not answer/);
    const [sent] = bodiesOf(h, 'imagine', since);
    const origin = parseSubmitState(String(sent?.state), stateKeyOf(h));
    expect(origin).toMatchObject({ guildId: OTHER_GUILD, userId: VISITOR, clickId: expect.any(Number) as number });

    await h.discord.waitFor(() => pushedSince(h, pushes).length > 0, 5_000, 'the visitor’s first push');
    const visitors = pushedSince(h, pushes)[0]!;
    h.mj.clock.advance(120_000);
    const result = await h.discord.waitFor(() => resultOf(h, visitors), 10_000, 'the visitor’s result');
    expect(result.channel_id).toBe(OTHER_CHANNEL);
    expect(result.content).toContain(`<@${VISITOR}>`);
    expect(showing(h, visitors).every((m) => m.channel_id === OTHER_CHANNEL)).toBe(true);

    // A task whose signed state names this server's member and the visitor's click (another database
    // behind the same secrets would write one): the click log holds that id as another server's, so it
    // is no click of this task; this server has no updates channel, so the task is shown nowhere.
    const { userId } = h.discord.defaults;
    const forged = h.mj.createTask({
      status: 'IN_PROGRESS',
      progress: '46%',
      prompt: 'not the visitor’s',
      state: submitState(stateKeyOf(h), h.discord.defaults.guildId, userId, origin!.clickId),
      notifyHook: String(sent?.notifyHook),
    });
    await h.mj.pushNow(forged);
    await h.mj.flushHooks();
    await h.quiesce();
    // Each push of it (its creation's and this one) was answered "ignored": the API was not even asked.
    const answered = h
      .logLines()
      .filter((l) => l.includes('"event":"notify.push"') && l.includes(`"taskId":"${forged}"`));
    expect(answered.length).toBeGreaterThan(0);
    for (const line of answered) expect(line).toContain('"result":"ignored"');
    expect(showing(h, forged)).toEqual([]);
  }, 60_000);
});
