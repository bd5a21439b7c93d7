// Who may click, end to end (CLICK_POLICY requester | roles with ALLOWED_ROLE_IDS): a refused member
// gets a private explanation within 3 s, nothing is submitted and the button is not marked used; the
// requester, an allowed role and a server manager go through. /imagine has no owner, so no policy.
import { ButtonStyle, InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { FAST_BUCKET, FAST_BUDGET } from '../support/tracking-e2e.js';
import {
  actionBodies,
  answerOf,
  buttonIdWith,
  buttonOn,
  click,
  everythingSaid,
  followedFrom,
  showFinishedTask,
  submitState,
  type Shown,
} from './support-clicks.js';
import { clickForModal } from './support-forms.js';

/** A harness whose ALLOWED_ROLE_IDS names a role created in the stand-in before the bot starts. */
async function harnessWithRole(policy: 'requester' | 'roles'): Promise<{ h: Harness; roleId: string }> {
  const h = await startHarness({
    startBot: false,
    env: { CLICK_POLICY: policy, CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' },
    discord: { editBucket: FAST_BUCKET },
    channelBudget: FAST_BUDGET,
  });
  const roleId = h.discord.addRole({ name: 'Artists', permissions: 0n });
  h.env.ALLOWED_ROLE_IDS = roleId;
  await h.startBot();
  return { h, roleId };
}

/** The click was refused privately: one immediate or deferred ephemeral answer, no submit, button untouched. */
async function expectRefused(h: Harness, shown: Shown, customId: string, user: string, text: RegExp) {
  const since = h.mj.requests.length;
  const answer = await click(h, shown, customId, user);
  expect(answer.ephemeral).toBe(true);
  expect(answer.text).toMatch(text);
  expect(actionBodies(h, since)).toEqual([]);
  expect(buttonOn(h.discord.message(shown.channelId, shown.messageId), customId)?.style).toBe(ButtonStyle.Secondary);
}

async function expectAccepted(h: Harness, shown: Shown, customId: string, user: string) {
  const since = h.mj.requests.length;
  const answer = await click(h, shown, customId, user);
  expect(answer.text).toMatch(/^✅ .* submitted — following it in/);
  expect(actionBodies(h, since)).toHaveLength(1);
  expect(followedFrom(h, answer.text).message.content).toContain(`<@${user}>`);
}

describe('CLICK_POLICY=requester', () => {
  let h: Harness;
  let roleId: string;
  let shown: Shown;
  const requester = () => h.discord.defaults.userId;

  beforeAll(async () => {
    ({ h, roleId } = await harnessWithRole('requester'));
    // Started with the bot by the requester: its signed state names them (the store need not know).
    const state = submitState(h, requester());
    shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a paper boat --ar 1:1', state }, requester());
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses another member, naming the requester, and submits nothing', async () => {
    const stranger = h.discord.addMember({ username: 'stranger' }).id;
    await expectRefused(
      h,
      shown,
      buttonIdWith(h, shown, 'low_variation'),
      stranger,
      new RegExp(`^🔒 Only <@${requester()}>, who started this task, can use its buttons\\.$`),
    );
  });

  it('refuses another member on Custom Zoom before any form is shown', async () => {
    const stranger = h.discord.addMember({ username: 'stranger2' }).id;
    const answer = await click(h, shown, buttonIdWith(h, shown, 'MJ::CustomZoom::'), stranger);
    expect(answer.view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.view.modal).toBeNull();
    expect(answer.text).toMatch(/^🔒 Only <@\d+>, who started this task/);
  });

  it('lets the requester click', async () => {
    await expectAccepted(h, shown, buttonIdWith(h, shown, 'high_variation'), requester());
  });

  it('lets a member with an allowed role click', async () => {
    const artist = h.discord.addMember({ username: 'artist', roles: [roleId] }).id;
    await expectAccepted(h, shown, buttonIdWith(h, shown, 'pan_left'), artist);
  });

  it('lets a server manager click', async () => {
    await expectAccepted(h, shown, buttonIdWith(h, shown, 'pan_right'), h.discord.defaults.adminUserId);
  });

  it('follows the rule on a result message posted by the tracker (requester = the mention)', async () => {
    const started = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a tin robot' }, user: requester() });
    const progress = followedFrom(h, (await answerOf(h, started.id)).text);
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(
      () =>
        h.discord
          .messages(progress.channelId)
          .find((m) => m.content.startsWith(`**a tin robot** - <@${requester()}>\n-# Task `)),
      5_000,
      'the result',
    );
    const onResult: Shown = { channelId: result.channel_id, messageId: result.id, taskId: progress.taskId };
    const stranger = h.discord.addMember({ username: 'stranger3' }).id;
    await expectRefused(h, onResult, buttonIdWith(h, onResult, '::upsample::1::'), stranger, /^🔒 Only <@\d+>/);
    await expectAccepted(h, onResult, buttonIdWith(h, onResult, '::upsample::1::'), requester());
  });
});

describe('CLICK_POLICY=roles', () => {
  let h: Harness;
  let roleId: string;
  let shown: Shown;

  beforeAll(async () => {
    ({ h, roleId } = await harnessWithRole('roles'));
    shown = await showFinishedTask(h, { prompt: 'a glass city' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a member without an allowed role, even the requester', async () => {
    await expectRefused(
      h,
      shown,
      buttonIdWith(h, shown, '::upsample::1::'),
      h.discord.defaults.userId,
      /^🔒 Only members with an allowed role can use these buttons\.$/,
    );
  });

  it('shows no Custom Zoom form to a member without the role', async () => {
    const upscale = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a glass city, closer' });
    const answer = await click(h, upscale, buttonIdWith(h, upscale, 'MJ::CustomZoom::'), h.discord.defaults.userId);
    expect(answer.view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.text).toMatch(/^🔒 Only members with an allowed role/);
  });

  it('accepts a member with the role, for buttons and the Custom Zoom form', async () => {
    const artist = h.discord.addMember({ username: 'artist', roles: [roleId] }).id;
    await expectAccepted(h, shown, buttonIdWith(h, shown, '::upsample::2::'), artist);
    const upscale = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a glass city, wider' });
    const form = await clickForModal(h, upscale, buttonIdWith(h, upscale, 'MJ::CustomZoom::'), artist);
    expect(form.prefill).toBe('a glass city, wider --ar 1:1 --zoom 2');
  });

  it('accepts a server manager without the role', async () => {
    await expectAccepted(h, shown, buttonIdWith(h, shown, '::upsample::3::'), h.discord.defaults.adminUserId);
  });

  it('never shows a secret in any reply or log line', () => {
    expect(everythingSaid(h)).not.toContain(h.mj.apiKey);
    expect(everythingSaid(h)).not.toContain(h.discord.token);
  });
});
