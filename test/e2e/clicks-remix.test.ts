// Remix mode, end to end. The API tells only after a submit (code 21 "Waiting for window confirm", or
// behind new-api a code 1 whose new task is MODAL), so the first click offers "Edit prompt & submit",
// whose form sends /mj/submit/modal for that MODAL task; once the bot has seen Remix, V/🔄/Pan/Vary open
// the form at once (action, then modal). Every step is acknowledged within 3 s.
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  actionBodies,
  buttonIdWith,
  click,
  customIdsOn,
  followedFrom,
  markedUsed,
  showFinishedTask,
  sentState,
} from './support-clicks.js';
import { clickForModal, editPromptButton, modalBodies, startFormHarness, submitForm } from './support-forms.js';

/** V1 in Remix mode: the click asks, then "Edit prompt & submit" opens the form and sends the prompt. */
async function remixV1(h: Harness, prompt: string) {
  const shown = await showFinishedTask(h, { prompt: 'a koi pond --ar 1:1' });
  if (h.mj.flavor === 'aggregator') h.mj.clock.advance(15_000); // new-api sees SUCCESS after a refresh
  const v1 = buttonIdWith(h, shown, '::variation::1::');
  const since = h.mj.requests.length;
  const asked = await click(h, shown, v1);
  expect(asked.view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
  expect(asked.text).toMatch(/^✏️ V1 needs a prompt first \(Remix mode is on/);
  const [action] = actionBodies(h, since);
  expect(action).toMatchObject({ taskId: shown.taskId, customId: v1 });
  expect(modalBodies(h, since)).toEqual([]); // nothing runs until the member confirms
  await markedUsed(h, shown, v1);

  const edit = editPromptButton(asked);
  const childId = /^mjedit:p:(\d+)$/.exec(edit.customId)![1]!;
  const form = await clickForModal(h, edit.where, edit.customId);
  expect(form.prefill).toBe('a koi pond --ar 1:1');
  const answer = await submitForm(h, form, prompt);
  expect(answer.text).toMatch(/^✅ Remix submitted — following it in <#\d+>: https:/);
  expect(modalBodies(h, since)).toEqual([{ taskId: childId, prompt, state: sentState(h) }]);
  const progress = followedFrom(h, answer.text);
  expect(progress.taskId).toBe(childId);
  return { shown, form, progress };
}

describe('Remix mode on a proxy (code 21 "Waiting for window confirm")', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startFormHarness({ remix: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('V1 → Edit prompt & submit → form → /submit/modal for the MODAL task, followed to its result', async () => {
    const { progress } = await remixV1(h, 'a koi pond in autumn --ar 1:1');
    expect(progress.message.content).toContain(`<@${h.discord.defaults.userId}>`);
    h.mj.clock.advance(20_000);
    await h.discord.waitFor(
      () =>
        h.discord
          .messages(progress.channelId)
          .find((m) =>
            m.content.startsWith(`**a koi pond in autumn --ar 1:1** - <@${h.discord.defaults.userId}>\n-# Task `),
          ),
      5_000,
      'the remixed result',
    );
  });

  it('once the API showed Remix mode, V2 opens the form at once; its submit sends the action, then the prompt', async () => {
    // The V1 click of the test above was answered with code 21: the bot now knows Remix is on.
    const shown = await showFinishedTask(h, { prompt: 'a koi pond --ar 1:1' });
    const v2 = buttonIdWith(h, shown, '::variation::2::');
    const since = h.mj.requests.length;
    const form = await clickForModal(h, shown, v2);
    expect(form.title).toBe('V2: edit the prompt');
    expect(form.prefill).toBe('a koi pond --ar 1:1');
    expect(h.mj.requests.slice(since)).toEqual([]); // nothing is paid before the member confirms
    const answer = await submitForm(h, form, 'a koi pond in summer --ar 1:1');
    expect(answer.text).toMatch(/^✅ V2 submitted — following it in <#\d+>: https:/);
    const [action] = actionBodies(h, since);
    expect(action).toEqual({ taskId: shown.taskId, customId: v2, state: sentState(h) });
    const progress = followedFrom(h, answer.text);
    expect(modalBodies(h, since)).toEqual([
      { taskId: progress.taskId, prompt: 'a koi pond in summer --ar 1:1', state: sentState(h) },
    ]);
    await markedUsed(h, shown, v2);
  });

  it('when Remix was turned off meanwhile, the form-first click still runs (the prompt cannot apply), and the next click submits at once', async () => {
    h.mj.setRemix(false);
    try {
      const shown = await showFinishedTask(h, { prompt: 'a koi pond --ar 1:1' });
      const form = await clickForModal(h, shown, buttonIdWith(h, shown, '::variation::4::'));
      const since = h.mj.requests.length;
      const answer = await submitForm(h, form, 'a koi pond in winter --ar 1:1');
      // The action started a normal task (not MODAL): no /submit/modal, that task is followed, and the member told.
      expect(answer.text).toMatch(
        /^⚠️ V4 started without waiting for a prompt, so your edited prompt could not apply: it runs with the original prompt — following it in/,
      );
      expect(actionBodies(h, since)).toHaveLength(1);
      expect(modalBodies(h, since)).toEqual([]);
      const next = await click(h, shown, buttonIdWith(h, shown, '::variation::1::'));
      expect(next.view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource); // deferred: a direct submit, no form
      expect(next.text).toMatch(/^✅ V1 submitted — following it in/);
    } finally {
      h.mj.setRemix(true);
    }
    // Remix on again: the next click is answered with code 21 and the bot learns it back.
    const shown = await showFinishedTask(h, { prompt: 'a koi pond --ar 1:1' });
    expect((await click(h, shown, buttonIdWith(h, shown, '::variation::2::'))).text).toMatch(
      /^✏️ V2 needs a prompt first/,
    );
    expect((await clickForModal(h, shown, buttonIdWith(h, shown, '::variation::3::'))).title).toBe(
      'V3: edit the prompt',
    );
  });

  it('an empty prompt keeps the original one', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a koi pond --ar 1:1' });
    const form = await clickForModal(h, shown, buttonIdWith(h, shown, '::variation::3::'));
    const answer = await submitForm(h, form, '');
    const progress = followedFrom(h, answer.text);
    expect(progress.message.content).toMatch(/^\*\*(a koi pond --ar 1:1|Variation|Midjourney task)\*\*/);
  });

  it('after a restart the first click asks the API again; sending the same form twice submits nothing the second time', async () => {
    await h.restartBot(); // what the bot learned of Remix mode is in memory only
    const { form } = await remixV1(h, 'a koi pond at dawn');
    const since = h.mj.requests.length;
    const again = await submitForm(h, form, 'a koi pond at dawn');
    expect(again.text).toMatch(/^ℹ️ This prompt was already submitted/);
    // The API is the judge (the task is no longer MODAL): it refuses, so nothing runs or is paid twice.
    expect(modalBodies(h, since)).toHaveLength(1);
    expect(h.mj.requests.slice(since).filter((r) => r.route === 'action')).toEqual([]);
  });
  it('a task left waiting in MODAL, shown with /mjtask, offers the form; its prompt goes to /submit/modal', async () => {
    const taskId = h.mj.createTask({ prompt: 'a forgotten remix', action: 'VARIATION', status: 'MODAL' });
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId } });
    const reply = await h.discord.waitFor(
      () => {
        const original = h.discord.interactionResponses(interaction.id).original;
        return original?.content.split('\n')[0]?.endsWith('(Waiting for your input)') ? original : null;
      },
      5_000,
      'the /mjtask reply',
    );
    expect(customIdsOn(reply)).toEqual([`mjedit:p:${taskId}`]);
    const where = { channelId: reply.channel_id, messageId: reply.id };
    const form = await clickForModal(h, where, `mjedit:p:${taskId}`);
    expect(form.prefill).toBe('a forgotten remix');
    const since = h.mj.requests.length;
    const answer = await submitForm(h, form, 'a remembered remix');
    expect(answer.text).toMatch(/^✅ Remix submitted — following it in/);
    expect(modalBodies(h, since)).toEqual([{ taskId, prompt: 'a remembered remix', state: sentState(h) }]);
  });
});

describe('Remix mode behind an aggregator (code 1, the new task turns MODAL after new-api refreshes)', () => {
  let h: Harness;
  beforeAll(async () => {
    // One running task at most: the MODAL task itself must not block its own prompt.
    h = await startFormHarness({ flavor: 'aggregator', remix: true }, { MAX_RUNNING_TASKS_PER_MEMBER: '1' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the progress message offers the form once the task shows MODAL; its prompt goes to /submit/modal', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a koi pond --ar 1:1' });
    h.mj.clock.advance(15_000); // new-api sees SUCCESS after a refresh
    const v1 = buttonIdWith(h, shown, '::variation::1::');
    const clicked = await click(h, shown, v1);
    // new-api answered code 1 and its row still says "" (not refreshed): it looks like a normal start.
    expect(clicked.text).toMatch(/^✅ V1 submitted — following it in/);
    const progress = followedFrom(h, clicked.text);
    h.mj.clock.advance(15_000); // the next refresh shows MODAL
    const message = () => h.discord.message(progress.channelId, progress.messageId);
    await h.discord.waitFor(
      () => message()?.content.split('\n')[0]?.endsWith('(Waiting for your input)'),
      5_000,
      'the MODAL status',
    );
    const [editId] = customIdsOn(message());
    expect(editId).toBe(`mjedit:p:${progress.taskId}`);

    // Only the member who clicked may give the prompt (CLICK_POLICY=requester).
    const stranger = h.discord.addMember({ username: 'stranger' }).id;
    expect((await click(h, progress, editId!, stranger)).text).toMatch(/^🔒 Only <@\d+>/);

    const form = await clickForModal(h, progress, editId!);
    expect(form.prefill).toBe('a koi pond --ar 1:1');
    const since = h.mj.requests.length;
    const answer = await submitForm(h, form, 'a koi pond under snow --ar 1:1');
    expect(answer.text).toMatch(/^✅ Remix submitted — following it in <#\d+>: https:/);
    expect(modalBodies(h, since)).toEqual([
      { taskId: progress.taskId, prompt: 'a koi pond under snow --ar 1:1', state: sentState(h) },
    ]);
    expect(followedFrom(h, answer.text).messageId).toBe(progress.messageId); // the same message keeps following it

    h.mj.clock.advance(30_000);
    await h.discord.waitFor(
      () =>
        h.discord
          .messages(progress.channelId)
          .find((m) =>
            m.content.startsWith(`**a koi pond under snow --ar 1:1** - <@${h.discord.defaults.userId}>\n-# Task `),
          ),
      5_000,
      'the remixed result',
    );
  });

  it('Custom Zoom (21 kept by new-api) goes through action + modal', async () => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a mountain hut' });
    h.mj.clock.advance(15_000);
    await h.discord.waitFor(
      () => h.bot.context.tracking.runningCountFor(h.discord.defaults.userId) === 0,
      5_000,
      'no task running',
    );
    const form = await clickForModal(h, shown, buttonIdWith(h, shown, 'MJ::CustomZoom::'));
    const since = h.mj.requests.length;
    const answer = await submitForm(h, form, 'a mountain hut --ar 1:1 --zoom 1.8');
    expect(answer.text).toMatch(/^✅ Custom Zoom submitted/);
    expect(modalBodies(h, since)).toEqual([
      {
        taskId: followedFrom(h, answer.text).taskId,
        prompt: 'a mountain hut --ar 1:1 --zoom 1.8',
        state: sentState(h),
      },
    ]);
  });
});
