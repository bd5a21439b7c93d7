// How followed tasks end, end to end: FAILURE with the API's failReason shown verbatim (Chinese
// included), an aggregator's FAILURE at "100%" that must never read as done, CANCEL, and a MODAL
// task shown as "waiting for your input" and followed until the member's prompt lets it finish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  editsOf,
  fieldOf,
  imagine,
  problems,
  resultPosts,
  resultsOf,
  startTrackingHarness,
  statusField,
  taskIdOf,
} from '../support/tracking-e2e.js';

let h: Harness;

beforeAll(async () => {
  h = await startTrackingHarness({});
});
afterAll(async () => {
  await h?.close();
});

const imageDownloads = (taskId: string) => h.mj.requests.filter((r) => r.path.endsWith(`/images/${taskId}.png`)).length;

/** /mjtask on a task the stand-in already has: the reply becomes the progress message. */
async function watch(taskId: string) {
  const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId } });
  const reply = await h.discord.waitFor(
    () => {
      const original = h.discord.interactionResponses(interaction.id).original;
      return original && taskIdOf(original) === taskId ? original : null;
    },
    5_000,
    `the /mjtask reply for ${taskId}`,
  );
  await h.discord.waitFor(async () => await h.bot.context.store.tracked.get(taskId), 5_000, `${taskId} to be followed`);
  // The tracker's first write of what it follows has landed (the reply came before the follow).
  await h.quiesce();
  return { taskId, channelId: reply.channel_id, progressId: reply.id };
}

async function finalResult(task: { taskId: string; channelId: string; progressId: string }) {
  const result = await h.discord.waitFor(() => resultsOf(h, task)[0], 5_000, `the result of ${task.taskId}`);
  await h.discord.waitFor(
    () => h.discord.message(task.channelId, task.progressId) === undefined,
    5_000,
    'the progress message to be deleted',
  );
  return result;
}

describe('a task that fails', () => {
  // Verbatim as a member reads it: markdown and mentions are escaped, so they show as typed.
  it.each([
    ['Chinese', '可能包含敏感词，请修改后重试（任务失败）', '可能包含敏感词，请修改后重试（任务失败）'],
    [
      'bracketed with markdown',
      '[Invalid parameter] Unrecognized parameter(s): `--foo` *bold* <@123>',
      '\\[Invalid parameter\\] Unrecognized parameter(s): \\`--foo\\` \\*bold\\* \\<@123\\>',
    ],
  ])(
    'shows failReason verbatim (%s) in a result that mentions the member, without an image',
    async (_name, failReason, shown) => {
      h.mj.nextTask({ timeline: { outcome: 'FAILURE', failReason } });
      const started = await imagine(h, 'a forbidden prompt');
      h.mj.clock.advance(6_000); // running
      await h.discord.waitFor(
        () => h.discord.message(started.channelId, started.progressId)?.content.includes('%)'),
        5_000,
        'progress',
      );
      h.mj.clock.advance(20_000); // failed
      const result = await finalResult(started);
      expect(result.content.split('\n')[0]).toBe(`**a forbidden prompt** - <@${h.discord.defaults.userId}> (Failed)`);
      expect(fieldOf(result, 'Reason')).toBe(shown);
      expect(statusField(result)).toBe('Failed');
      expect(result.attachments).toHaveLength(0);
      expect(result.components).toHaveLength(0); // nothing to click on a failed task
      expect(imageDownloads(started.taskId)).toBe(0);
      expect(
        resultPosts(h, started.channelId).filter((r) => JSON.stringify(r.body).includes(`Task ${started.taskId}`)),
      ).toHaveLength(1);
      await expect
        .poll(async () => await h.bot.context.store.tracked.get(started.taskId))
        .toMatchObject({ phase: 'done', messageId: null, resultMessageId: result.id });
    },
  );

  it('never reads an aggregator FAILURE at "100%" as done', async () => {
    const started = await imagine(h, 'an hour too long');
    h.mj.clock.advance(6_000);
    await h.discord.waitFor(
      () => h.discord.message(started.channelId, started.progressId)?.content.includes('%)'),
      5_000,
      'progress',
    );
    // new-api forces every failure to progress "100%" (and keeps the image of the last preview).
    h.mj.setTask(started.taskId, { status: 'FAILURE', progress: '100%', failReason: '上游任务超时（超过1小时）' });
    const result = await finalResult(started);
    expect(result.content).toMatch(/\(Failed\)$/m);
    expect(statusField(result)).toBe('Failed');
    expect(statusField(result)).not.toContain('100%');
    expect(fieldOf(result, 'Reason')).toBe('上游任务超时（超过1小时）');
    expect(result.attachments).toHaveLength(0);
    expect(imageDownloads(started.taskId)).toBe(0);
  });

  it('ends a cancelled task with one result', async () => {
    const started = await imagine(h, 'never mind');
    h.mj.setTask(started.taskId, { status: 'CANCEL', progress: '', failReason: '取消任务' });
    const result = await finalResult(started);
    expect(result.content).toMatch(/\(Cancelled\)$/m);
    expect(fieldOf(result, 'Reason')).toBe('取消任务');
    await h.quiesce();
    expect((await h.bot.context.store.tracked.get(started.taskId))?.phase).toBe('done');
    expect(resultsOf(h, started)).toHaveLength(1);
  });
});

describe('a task waiting in MODAL', () => {
  it('shows "waiting for your input", keeps following it without edits, and reports the result once the prompt is sent', async () => {
    const taskId = h.mj.createTask({ prompt: 'a castle --ar 16:9', action: 'VARIATION', status: 'MODAL' });
    const watched = await watch(taskId);
    const progress = () => h.discord.message(watched.channelId, watched.progressId);
    expect(progress()?.content).toMatch(/\(Waiting for your input\)$/m);
    expect(statusField(progress())).toBe('Waiting for your input');

    // MODAL never moves by itself: the tracker keeps polling (slowly) and edits nothing.
    const polls = () => h.mj.requests.filter((r) => JSON.stringify(r.body ?? r.path).includes(taskId)).length;
    await h.quiesce(); // the first edit may still be on its way: count from a settled bot
    const before = polls();
    const edits = () => editsOf(h, watched.progressId);
    const editsBefore = edits();
    h.mj.clock.advance(60_000);
    await h.discord.waitFor(() => polls() >= before + 3, 5_000, 'three more polls in MODAL');
    await h.quiesce();
    expect(polls()).toBeGreaterThan(before);
    expect(edits()).toBe(editsBefore);
    expect(await h.bot.context.store.tracked.get(taskId)).toMatchObject({ phase: 'active', lastStatus: 'MODAL' });

    // The member's prompt reaches the API (as the bot's modal would send it); the task runs and ends.
    const sent = await fetch(`${h.mj.baseUrl}/mj/submit/modal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'mj-api-secret': h.mj.apiKey },
      body: JSON.stringify({ taskId, prompt: 'a castle at night --ar 16:9' }),
    });
    expect(((await sent.json()) as { code: number }).code).toBe(1);
    h.mj.clock.advance(6_000);
    await h.discord.waitFor(() => /\(\d+%\)$/m.test(progress()?.content ?? ''), 5_000, 'progress after the prompt');
    h.mj.clock.advance(20_000);
    const result = await finalResult(watched);
    expect(result.content).toMatch(new RegExp(`<@${h.discord.defaults.userId}>\\n-# Task \\d+$`));
    expect(result.attachments).toHaveLength(1);
    // The first version is the deferred reply's "thinking…" (empty until /mjtask answered).
    const states = h.discord
      .messageHistory(watched.progressId)
      .filter((m) => m.content !== '')
      .map((m) => /\(([^)]*)\)$/m.exec(m.content)?.[1]);
    expect(states[0]).toBe('Waiting for your input');
    expect(states.slice(1).some((s) => /^\d+%$/.test(s ?? ''))).toBe(true);
  });

  it('logged no warnings and drew no 429', () => {
    expect(problems(h)).toEqual([]);
    expect(h.discord.count429()).toBe(0);
    expect(h.discord.serverErrors).toEqual([]);
  });
});
