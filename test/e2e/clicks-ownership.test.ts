// Who may spend on a task, end to end (CLICK_POLICY=requester): the member who started it, as the
// store or the task's signed state says, never the member who showed it with /mjtask and never a
// mention in the message's text. A task started outside the bot belongs to whoever showed it. Every
// refusal is private, within 3 s, and reaches no /mj/submit route.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitState as signedState } from '../../src/mj/submit-state.js';
import type { Harness } from '../support/harness.js';
import { GUARDS_OFF } from '../support/tracking-e2e.js';
import {
  answerOf,
  buttonIdWith,
  click,
  followedFrom,
  showFinishedTask,
  stateKeyOf,
  submitState,
  type Shown,
} from './support-clicks.js';
import { clickForModal, startFormHarness } from './support-forms.js';

/** Submits since `since`: any /mj/submit/* request. */
const submitsSince = (h: Harness, since: number) =>
  h.mj.requests.slice(since).filter((r) => r.route === 'action' || r.route === 'modal' || r.route === 'imagine');

/** The refusal for a task started outside the bot, naming who showed it. */
const onlyShower = (showerId: string) =>
  new RegExp(`^🔒 This task was not started with this bot, so only <@${showerId}>, who showed it here`);

/** `user` runs /imagine and waits for its result message; returns the task and where the result is. */
async function imagineToResult(h: Harness, user: string, prompt: string): Promise<Shown> {
  const started = h.discord.slashCommand({ name: 'imagine', options: { prompt }, user });
  const progress = followedFrom(h, (await answerOf(h, started.id)).text);
  h.mj.clock.advance(20_000);
  const result = await h.discord.waitFor(
    () =>
      h.discord.messages(progress.channelId).find((m) => m.content.startsWith(`**${prompt}** - <@${user}>\n-# Task `)),
    5_000,
    `the result of ${prompt}`,
  );
  return { channelId: result.channel_id, messageId: result.id, taskId: progress.taskId };
}

/** `user` runs /mjtask for a task that may still run (no buttons needed); returns their reply. */
async function showMjtask(h: Harness, taskId: string, user: string): Promise<Shown> {
  const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId, watch: false }, user });
  const reply = await h.discord.waitFor(
    () => {
      const original = h.discord.interactionResponses(interaction.id).original;
      return original && original.components.length > 0 ? original : null;
    },
    5_000,
    `the /mjtask reply for ${taskId}`,
  );
  return { channelId: reply.channel_id, messageId: reply.id, taskId };
}

/** A click on the button whose id contains `fragment`, refused privately with `text` and without any submit. */
async function expectRefusedClick(h: Harness, shown: Shown, fragment: string, user: string, text: RegExp) {
  const since = h.mj.requests.length;
  const answer = await click(h, shown, buttonIdWith(h, shown, fragment), user);
  expect(answer.ephemeral).toBe(true);
  expect(answer.text).toMatch(text);
  expect(submitsSince(h, since)).toEqual([]);
}

describe('a task started with the bot belongs to its starter', () => {
  let h: Harness;
  let starter: string;
  let other: string;
  let task: Shown;
  /** The starter's V1 child, waiting in MODAL for its prompt. */
  let childId: string;

  beforeAll(async () => {
    h = await startFormHarness({ remix: true }, GUARDS_OFF);
    starter = h.discord.defaults.userId;
    other = h.discord.addMember({ username: 'member-b' }).id;
    task = await imagineToResult(h, starter, 'a lighthouse in fog');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('A1: another member showing it with /mjtask and clicking U1 on their copy is refused, nothing submitted', async () => {
    const copy = await showFinishedTask(h, { existingId: task.taskId }, other);
    await expectRefusedClick(
      h,
      copy,
      '::upsample::1::',
      other,
      new RegExp(`^🔒 Only <@${starter}>, who started this task, can use its buttons\\.$`),
    );
  });

  it('A1: the starter may click on the other member’s copy; the child task belongs to the clicker', async () => {
    const copy = await showFinishedTask(h, { existingId: task.taskId }, other);
    const since = h.mj.requests.length;
    const answer = await click(h, copy, buttonIdWith(h, copy, '::upsample::2::'), starter);
    expect(answer.text).toMatch(/^✅ U2 submitted — following it in/);
    expect(submitsSince(h, since)).toHaveLength(1);
    expect((await h.bot.context.store.owners.get(followedFrom(h, answer.text).taskId))?.userId).toBe(starter);
  });

  it('A1: with Remix on, the other member cannot open (or type in) the form on their copy', async () => {
    // The starter's V1 shows the bot that Remix is on: from now on V2–V4 open the form at once.
    const asked = await click(h, task, buttonIdWith(h, task, '::variation::1::'), starter);
    expect(asked.text).toMatch(/^✏️ V1 needs a prompt first/);
    childId = /mjedit:p:(\d+)/.exec(JSON.stringify(asked.view.original?.components))![1]!;
    const copy = await showFinishedTask(h, { existingId: task.taskId }, other);
    const since = h.mj.requests.length;
    const answer = await click(h, copy, buttonIdWith(h, copy, '::variation::2::'), other);
    expect(answer.view.modal, 'no form is shown').toBeNull();
    expect(answer.text).toMatch(new RegExp(`^🔒 Only <@${starter}>, who started this task`));
    expect(submitsSince(h, since)).toEqual([]);
    expect((await h.bot.context.store.owners.get(childId))?.userId, 'the MODAL child is the clicker’s').toBe(starter);
  });

  it('A2: a form submit with no message, typed by the other member into the starter’s Remix task, is refused', async () => {
    const since = h.mj.requests.length;
    const crafted = h.discord.submitModal({
      customId: `mjmodal:p::${childId}:`,
      fields: { prompt: 'a lighthouse, paid by someone else' },
      user: other,
      crafted: true,
    });
    const answer = await answerOf(h, crafted.id);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(new RegExp(`^🔒 Only <@${starter}>, who started this task`));
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('A2: the Edit prompt button of the starter’s MODAL task, shown by the other member, opens no form for them', async () => {
    const copy = await showMjtask(h, childId, other);
    const since = h.mj.requests.length;
    const answer = await click(h, copy, `mjedit:p:${childId}`, other);
    expect(answer.view.modal).toBeNull();
    expect(answer.text).toMatch(new RegExp(`^🔒 Only <@${starter}>, who started this task`));
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('A2: a crafted Edit prompt click on the member’s own ephemeral message runs the same checks', async () => {
    const mine = await click(h, task, buttonIdWith(h, task, '::upsample::3::'), other); // refused, ephemeral
    const where = { channelId: mine.view.original!.channel_id, messageId: mine.view.original!.id };
    const asked = await click(h, task, buttonIdWith(h, task, '::upsample::4::'), starter);
    const since = h.mj.requests.length;
    const childId = followedFrom(h, asked.text).taskId;
    const crafted = h.discord.clickButton({ ...where, customId: `mjedit:p:${childId}`, user: other, crafted: true });
    const answer = await answerOf(h, crafted.id);
    expect(answer.view.modal).toBeNull();
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/^(⚠️ This button no longer matches|🔒 Only <@)/);
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('A3: a crafted MJ:: custom_id not among the task’s buttons (a click, or a Custom Zoom form) gets zero submits', async () => {
    const unknownJob = '00000000-0000-4000-8000-000000000000';
    const since = h.mj.requests.length;
    const crafted = [
      h.discord.clickButton({
        channelId: task.channelId,
        messageId: task.messageId,
        customId: `MJ::JOB::upsample::1::${unknownJob}`,
        user: starter,
        crafted: true,
      }),
      h.discord.submitModal({
        customId: `mjmodal:z:${task.taskId}::MJ::CustomZoom::${unknownJob}`,
        fields: { prompt: 'a lighthouse --ar 1:1 --zoom 1.5' },
        user: starter,
        crafted: true,
      }),
    ];
    for (const interaction of crafted) {
      const answer = await answerOf(h, interaction.id);
      expect(answer.ephemeral).toBe(true);
      expect(answer.text).toMatch(/^⚠️ This button no longer matches any button of the task/);
    }
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('after losing the database, the signed state still names the starter', async () => {
    await h.stopBot();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${h.env.DATABASE_PATH}${suffix}`, { force: true });
    await h.startBot();
    expect(await h.bot.context.store.owners.get(task.taskId)).toBeNull();
    const copy = await showFinishedTask(h, { existingId: task.taskId }, other);
    await expectRefusedClick(
      h,
      copy,
      '::upsample::1::',
      other,
      new RegExp(`^🔒 Only <@${starter}>, who started this task`),
    );
    expect((await h.bot.context.store.owners.get(task.taskId))?.userId).toBe(starter);
  });
});

describe('a task started outside the bot', () => {
  let h: Harness;
  let shower: string;
  let other: string;

  beforeAll(async () => {
    h = await startFormHarness({}, GUARDS_OFF);
    shower = h.discord.defaults.userId;
    other = h.discord.addMember({ username: 'member-b' }).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('may be acted on by the member who showed it, not by another member clicking their copy', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a fox from elsewhere' }, shower);
    await expectRefusedClick(h, shown, '::upsample::1::', other, onlyShower(shower));
    const since = h.mj.requests.length;
    const answer = await click(h, shown, buttonIdWith(h, shown, '::upsample::2::'), shower);
    expect(answer.text).toMatch(/^✅ U2 submitted/);
    expect(submitsSince(h, since)).toHaveLength(1);
  });

  it('the member who watched it with /mjtask may act on the result the bot posted; another member may not', async () => {
    const taskId = h.mj.createTask({ prompt: 'a watched fox' });
    const watched = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId }, user: shower });
    await answerOf(h, watched.id);
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(
      () =>
        h.discord
          .messages(h.discord.defaults.channelId)
          .find((m) => m.content.startsWith(`**a watched fox** - <@${shower}>\n-# Task `) && !m.interaction_metadata),
      5_000,
      'the watched result',
    );
    const onResult: Shown = { channelId: result.channel_id, messageId: result.id, taskId };
    await expectRefusedClick(h, onResult, '::upsample::1::', other, onlyShower(shower));
    const answer = await click(h, onResult, buttonIdWith(h, onResult, '::upsample::2::'), shower);
    expect(answer.text).toMatch(/^✅ U2 submitted/);
  });

  it('M4: an empty prompt whose action is a mention does not make the mentioned member the owner', async () => {
    const shown = await showFinishedTask(h, { prompt: '', action: `<@${other}>` }, shower);
    const content = h.discord.message(shown.channelId, shown.messageId)?.content ?? '';
    expect(content.indexOf(`<@${other}>`)).toBeLessThan(content.indexOf(`<@${shower}>`)); // the mention comes first
    await expectRefusedClick(h, shown, '::upsample::1::', other, onlyShower(shower));
  });

  it('an unsigned or forged state is not the bot’s: it names no owner', async () => {
    const { guildId } = h.discord.defaults;
    const forged = signedState(stateKeyOf(h), guildId, other).replace(/[0-9a-f]{16}$/, '0123456789abcdef');
    for (const state of [`mjtask-bot:${guildId}:${other}`, forged]) {
      const shown = await showFinishedTask(h, { prompt: 'a claimed task', state }, shower);
      await expectRefusedClick(h, shown, '::upsample::1::', other, onlyShower(shower));
    }
  });

  it('a task whose signed state names a member is theirs, whoever shows it', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a signed task', state: submitState(h, other) }, shower);
    await expectRefusedClick(
      h,
      shown,
      '::upsample::1::',
      shower,
      new RegExp(`^🔒 Only <@${other}>, who started this task`),
    );
  });

  it('the shower’s Custom Zoom form opens (policy requester)', async () => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a fox, closer' }, shower);
    const form = await clickForModal(h, shown, buttonIdWith(h, shown, 'MJ::CustomZoom::'), shower);
    expect(form.prefill).toBe('a fox, closer --ar 1:1 --zoom 2');
  });
});
