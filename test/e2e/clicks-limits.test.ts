// How much a member may spend, end to end: CLICKS_PER_MINUTE, MAX_RUNNING_TASKS_PER_MEMBER and the
// double-click window, for buttons, the Custom Zoom form and /imagine. A refused attempt submits
// nothing and says why within 3 s; a double click also says where the first one went.
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { createOffsetClock, FAST_BUCKET, FAST_BUDGET, resultsOf, type OffsetClock } from '../support/tracking-e2e.js';
import {
  actionBodies,
  answerOf,
  buttonIdWith,
  click,
  everythingSaid,
  followedFrom,
  requestsFor,
  showFinishedTask,
} from './support-clicks.js';
import { clickForModal, submitForm } from './support-forms.js';

async function harness(env: Record<string, string>, clock?: OffsetClock): Promise<Harness> {
  return startHarness({
    env: { CLICK_POLICY: 'anyone', ...env },
    discord: { editBucket: FAST_BUCKET },
    channelBudget: FAST_BUDGET,
    ...(clock ? { clock } : {}),
  });
}

async function imagine(h: Harness, prompt: string, user?: string) {
  const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt }, ...(user ? { user } : {}) });
  return answerOf(h, interaction.id);
}

describe('CLICKS_PER_MINUTE', () => {
  let h: Harness;
  const clock = createOffsetClock();
  beforeAll(async () => {
    h = await harness({ CLICKS_PER_MINUTE: '2', MAX_RUNNING_TASKS_PER_MEMBER: '0' }, clock);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses the third submit within a minute (buttons, form and /imagine alike), then allows it again', async () => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a kite' });
    expect((await click(h, shown, buttonIdWith(h, shown, 'low_variation'))).text).toMatch(/^✅/);
    expect((await imagine(h, 'a second kite')).text).toMatch(/^✅/);
    const since = h.mj.requests.length;
    const third = await click(h, shown, buttonIdWith(h, shown, 'high_variation'));
    expect(third.ephemeral).toBe(true);
    expect(third.text).toMatch(/^⏳ You can submit 2 times per minute\. Try again in \d+ seconds?\.$/);
    expect((await imagine(h, 'a third kite')).text).toMatch(/^⏳ You can submit 2 times per minute/);
    const zoom = await click(h, shown, buttonIdWith(h, shown, 'MJ::CustomZoom::'));
    expect(zoom.view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource); // refused instead of the form
    expect(zoom.text).toMatch(/^⏳ You can submit 2 times per minute/);
    expect(h.mj.requests.slice(since).filter((r) => r.route === 'action' || r.route === 'imagine')).toEqual([]);

    // Another member has their own budget.
    const other = h.discord.addMember({ username: 'other' }).id;
    expect((await click(h, shown, buttonIdWith(h, shown, 'pan_up'), other)).text).toMatch(/^✅/);

    clock.advance(61_000);
    expect((await click(h, shown, buttonIdWith(h, shown, 'high_variation'))).text).toMatch(
      /^✅ Vary \(Strong\) submitted/,
    );
  });
});

describe('MAX_RUNNING_TASKS_PER_MEMBER', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '1' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a new submit while the member has a task running, and allows it once it finished', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a windmill' });
    const first = await click(h, shown, buttonIdWith(h, shown, '::upsample::1::'));
    const running = followedFrom(h, first.text);
    const since = h.mj.requests.length;
    const second = await click(h, shown, buttonIdWith(h, shown, '::upsample::2::'));
    expect(second.text).toBe('⏳ You already have 1 task running. Wait for one to finish, then try again.');
    expect((await imagine(h, 'another windmill')).text).toBe(second.text);
    const zoomSource = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a windmill, wider' });
    const zoom = await click(h, zoomSource, buttonIdWith(h, zoomSource, 'MJ::CustomZoom::'));
    expect(zoom.view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(zoom.text).toBe(second.text);
    expect(h.mj.requests.slice(since).filter((r) => r.route === 'action' || r.route === 'imagine')).toEqual([]);

    // Someone else is not held back by this member's task.
    const other = h.discord.addMember({ username: 'other' }).id;
    expect((await click(h, shown, buttonIdWith(h, shown, '::upsample::3::'), other)).text).toMatch(/^✅/);

    h.mj.clock.advance(20_000); // every task finishes
    await h.discord.waitFor(
      async () => (await h.bot.context.store.tracked.get(running.taskId))?.phase === 'done',
      5_000,
      'the first task to finish',
    );
    await h.discord.waitFor(
      () => h.bot.context.tracking.runningCountFor(h.discord.defaults.userId) === 0,
      5_000,
      'no task running',
    );
    expect((await click(h, shown, buttonIdWith(h, shown, '::upsample::2::'))).text).toMatch(/^✅ U2 submitted/);
  });
});

describe('a double click', () => {
  let h: Harness;
  const clock = createOffsetClock();
  beforeAll(async () => {
    h = await harness(
      { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0', DOUBLE_CLICK_WINDOW_SECONDS: '60' },
      clock,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('on the same button of the same message submits nothing and links to where the first went', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a red door' });
    const v1 = buttonIdWith(h, shown, '::variation::1::');
    const first = await click(h, shown, v1);
    const firstPlace = /https:\/\/discord\.com\/channels\/\S+/.exec(first.text)![0];
    const since = h.mj.requests.length;
    const other = h.discord.addMember({ username: 'late' }).id;
    const second = await click(h, shown, v1, other);
    expect(second.ephemeral).toBe(true);
    expect(second.text).toMatch(
      new RegExp(
        `^🔁 Already submitted by <@${h.discord.defaults.userId}> <t:\\d+:R>, so nothing new was submitted → <#\\d+>: `,
      ),
    );
    expect(second.text).toContain(firstPlace);
    expect(actionBodies(h, since)).toEqual([]);
  });

  it('once the first one has its result, links to the result (its progress message is gone)', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a blue door' });
    const v2 = buttonIdWith(h, shown, '::variation::2::');
    const progress = followedFrom(h, (await click(h, shown, v2)).text);
    h.mj.clock.advance(30_000);
    const result = await h.discord.waitFor(
      () => resultsOf(h, { taskId: progress.taskId, channelId: progress.channelId, progressId: progress.messageId })[0],
      10_000,
      'the result message',
    );
    await h.discord.waitFor(
      () => (h.discord.message(progress.channelId, progress.messageId) ? null : true),
      5_000,
      'the progress message deleted',
    );
    const since = h.mj.requests.length;
    const second = await click(h, shown, v2, h.discord.addMember({ username: 'later' }).id);
    expect(second.text).toMatch(/^🔁 Already submitted by /);
    expect(second.text).toMatch(new RegExp(`/${progress.channelId}/${result.id}$`));
    expect(actionBodies(h, since)).toEqual([]);
  });

  it('two clicks at the same moment submit once', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a blue door' });
    const v2 = buttonIdWith(h, shown, '::variation::2::');
    const since = h.mj.requests.length;
    const a = h.discord.clickButton({ channelId: shown.channelId, messageId: shown.messageId, customId: v2 });
    const b = h.discord.clickButton({ channelId: shown.channelId, messageId: shown.messageId, customId: v2 });
    const answers = await Promise.all([answerOf(h, a.id), answerOf(h, b.id)]);
    expect(answers.filter((x) => x.text.startsWith('✅ V2 submitted'))).toHaveLength(1);
    expect(answers.filter((x) => x.text.startsWith('🔁 Already submitted'))).toHaveLength(1);
    expect(actionBodies(h, since)).toHaveLength(1);
  });

  it('is not a double click on another button, another message of the same task, or after the window', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a green door' });
    const again = await showFinishedTask(h, { existingId: shown.taskId });
    const v3 = buttonIdWith(h, shown, '::variation::3::');
    expect((await click(h, shown, v3)).text).toMatch(/^✅/);
    expect((await click(h, shown, buttonIdWith(h, shown, '::variation::4::'))).text).toMatch(/^✅/);
    expect((await click(h, again, v3)).text).toMatch(/^✅/);
    clock.advance(61_000);
    expect((await click(h, shown, v3)).text).toMatch(/^✅ V3 submitted/);
  });

  it('Custom Zoom: a second click after the form was sent is refused before any form', async () => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a yellow door' });
    const zoomId = buttonIdWith(h, shown, 'MJ::CustomZoom::');
    const form = await clickForModal(h, shown, zoomId);
    expect((await submitForm(h, form, 'a yellow door --ar 1:1 --zoom 1.5')).text).toMatch(/^✅ Custom Zoom submitted/);
    const since = h.mj.requests.length;
    const second = await click(h, shown, zoomId);
    expect(second.view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(second.text).toMatch(/^🔁 Already submitted by <@\d+>/);
    expect(requestsFor(h, since, shown.taskId)).toEqual([]);
  });

  it('a click the API refused does not block the next one', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a black door' });
    const u1 = buttonIdWith(h, shown, '::upsample::1::');
    h.mj.nextSubmit('action', { code: 23 });
    expect((await click(h, shown, u1)).text).toMatch(/^🚦 The Midjourney queue is full/);
    expect((await click(h, shown, u1)).text).toMatch(/^✅ U1 submitted/);
  });

  it('never shows a secret', () => {
    expect(everythingSaid(h)).not.toContain(h.mj.apiKey);
    expect(everythingSaid(h)).not.toContain(h.discord.token);
  });
});
