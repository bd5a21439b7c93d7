// Channel messages in the server's language, end to end: a server whose admins set /mjsettings
// language to zh-CN gets its progress and result messages in Chinese (whatever the member's own
// locale, which their private answers keep), the language is fixed when the bot starts following a
// task so a restart keeps it, and a server whose Discord locale is zh-CN gets Chinese without any
// setting — the bot's own notes (timed out) too, while the server's failReason stays verbatim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  createOffsetClock,
  fieldOf,
  imagine,
  resultsOf,
  startTrackingHarness,
  statusField,
  type OffsetClock,
  type StartedTask,
} from '../support/tracking-e2e.js';
import { answerOf } from './support-clicks.js';
import { chineseServer, expectChinese, ownButtonLabels, zhCommand } from './support-zh-cn.js';

async function language(h: Harness, value: string) {
  const interaction = h.discord.slashCommand({
    name: 'mjsettings language',
    user: h.discord.defaults.adminUserId,
    options: { value },
  });
  return (await answerOf(h, interaction.id)).text;
}

const progressOf = (h: Harness, task: StartedTask) => h.discord.message(task.channelId, task.progressId);
const resultOf = (h: Harness, task: StartedTask, what: string) =>
  h.discord.waitFor(() => resultsOf(h, task)[0], 10_000, what);

describe('a server whose channel messages are set to zh-CN', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('posts progress and the result in Chinese; the English member is answered in English', async () => {
    expect(await language(h, 'zh-CN')).toContain('• Language of channel messages: 简体中文');
    h.mj.nextTask({ timeline: { queuedMs: 2_000, runMs: 8_000 } });
    const task = await imagine(h, 'a crane over the river');
    expect(task.answer).toMatch(/^✅ \/imagine submitted — following it in <#\d+>/);
    const queued = progressOf(h, task);
    expect(queued?.content).toBe(
      `**a crane over the river** - <@${h.discord.defaults.userId}> (等待开始)\n-# 任务 ${task.taskId}`,
    );

    h.mj.clock.advance(4_000);
    await h.discord.waitFor(() => /\(\d+%\)/.test(progressOf(h, task)?.content ?? ''), 5_000, 'running');
    expect(progressOf(h, task)?.content).toMatch(new RegExp(`\\n-# 任务 ${task.taskId}$`));

    h.mj.clock.advance(10_000);
    const result = await resultOf(h, task, 'the result');
    expect(result.content).toBe(`**a crane over the river** - <@${h.discord.defaults.userId}>\n-# 任务 ${task.taskId}`);
    expect(ownButtonLabels(result)).toEqual(['打开图片']);
    expectChinese(result.content + ownButtonLabels(result).join(' '), ['crane over the river', task.taskId]);
  });

  it('keeps the language a task was followed in across a restart; a new task takes the new setting', async () => {
    h.mj.nextTask({ timeline: { queuedMs: 60_000 } });
    const chinese = await imagine(h, 'a slow pagoda');
    expect(progressOf(h, chinese)?.content).toContain('(等待开始)');
    await language(h, 'en');
    await h.restartBot();
    h.mj.clock.advance(30_000 + 60_000);
    const result = await resultOf(h, chinese, 'the result after the restart');
    expect(result.content).toMatch(new RegExp(`\\n-# 任务 ${chinese.taskId}$`));
    expect(ownButtonLabels(result)).toEqual(['打开图片']);

    const english = await imagine(h, 'a quick pagoda');
    expect(progressOf(h, english)?.content).toMatch(new RegExp(`\\(Waiting to start\\)\\n-# Task ${english.taskId}$`));
  });
});

describe('a server whose Discord locale is zh-CN, without a setting', () => {
  let h: Harness;
  let clock: OffsetClock;
  beforeAll(async () => {
    clock = createOffsetClock();
    h = await startTrackingHarness({ discord: chineseServer(), clock, env: { TASK_TIMEOUT_MINUTES: '1' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("names the failure's reason in Chinese and quotes the server's own failReason verbatim", async () => {
    h.mj.nextTask({
      timeline: { queuedMs: 1_000, runMs: 1_000, outcome: 'FAILURE', failReason: 'Banned prompt detected' },
    });
    const task = await imagine(h, 'a forbidden thing');
    h.mj.clock.advance(5_000);
    const result = await resultOf(h, task, 'the failed result');
    expect(statusField(result)).toBe('失败');
    expect(fieldOf(result, '原因')).toBe('Banned prompt detected');
  });

  it('says in Chinese that the bot gave up following a task (its own note)', async () => {
    h.mj.nextTask({ timeline: { queuedMs: 600_000 } });
    const task = await imagine(h, 'a very slow render');
    clock.advance(61_000);
    const result = await resultOf(h, task, 'the timed-out result');
    expect(statusField(result)).toBe('已超时');
    const note = fieldOf(result, '备注') ?? '';
    expect(note).toBe('已超时：任务未在 1 分钟内完成，因此机器人停止了跟踪。');
    expectChinese(result.content + note, ['very slow render', task.taskId]);
  });

  it("/mjtask's public message follows the server; the zh-CN member's private answers follow them", async () => {
    const id = h.mj.createTask({ status: 'SUCCESS', prompt: 'a lantern' });
    const shown = h.discord.slashCommand({ name: 'mjtask', options: { id } });
    const reply = await h.discord.waitFor(
      () => h.discord.interactionResponses(shown.id).original ?? null,
      5_000,
      'the /mjtask reply',
    );
    expect(reply.content).toBe(`**a lantern** - <@${h.discord.defaults.userId}>\n-# 任务 ${id}`);
    const unknown = await zhCommand(h, 'mjtask', { id: '../x' });
    expect(unknown.text).toMatch(/^⚠️ 这不是有效的任务 ID。/);
  });
});
