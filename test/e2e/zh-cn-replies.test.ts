// A member whose Discord is in Simplified Chinese, on a server whose own locale is zh-CN, end to end:
// show (/mjtask), a click, the forms (Custom Zoom, Remix's Edit prompt) and every error the bot
// explains (unknown task, a 500, an HTML page, a timeout, a button the bot does not know). Each reply
// is checked for Chinese text and for no English left in it but names, ids and the member's prompt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { buttonIdWith, expectAckInTime, followedFrom } from './support-clicks.js';
import { editPromptButton, modalBodies } from './support-forms.js';
import {
  ZH,
  chineseServer,
  expectChinese,
  ownButtonLabels,
  zhClick,
  zhCommand,
  zhForm,
  zhSubmit,
} from './support-zh-cn.js';

let h: Harness;
beforeAll(async () => {
  h = await startTrackingHarness({ mj: { remix: true }, env: { CLICK_POLICY: 'requester' }, discord: chineseServer() });
});
afterAll(async () => {
  await h?.close();
});

/** /mjtask as the zh-CN member: the public reply, once it shows the task with its buttons. */
async function show(taskId: string) {
  const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId }, locale: ZH });
  await expectAckInTime(h, interaction.id);
  const reply = await h.discord.waitFor(
    () => {
      const original = h.discord.interactionResponses(interaction.id).original;
      return original && taskIdOf(original) === taskId && original.components.length > 0 ? original : null;
    },
    5_000,
    `the /mjtask reply for ${taskId}`,
  );
  return { channelId: reply.channel_id, messageId: reply.id, taskId, message: reply };
}

describe('a zh-CN member', () => {
  it('shows a task: the line, the id line and the buttons the bot names are Chinese', async () => {
    const taskId = h.mj.createTask({ status: 'SUCCESS', prompt: 'a koi pond --ar 1:1' });
    const { message } = await show(taskId);
    expect(message.content).toBe(`**a koi pond --ar 1:1** - <@${h.discord.defaults.userId}>\n-# 任务 ${taskId}`);
    expect(ownButtonLabels(message)).toEqual(['打开图片']);
    expectChinese(message.content, ['koi pond', taskId], 'the task message');
  });

  it('clicks U1: the answer says, in Chinese, where the new task is followed', async () => {
    const shown = await show(h.mj.createTask({ status: 'SUCCESS', prompt: 'a tea house' }));
    const answer = await zhClick(h, shown, buttonIdWith(h, shown, '::upsample::1::'));
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/^✅ U1 已提交 — 跟踪位置：<#\d+>: https:/);
    expectChinese(answer.text, ['U1']);
  });

  it('Custom Zoom: the form, a prompt refused and a prompt submitted, all in Chinese', async () => {
    const shown = await show(
      h.mj.createTask({ status: 'SUCCESS', action: 'UPSCALE', prompt: 'a tea house --ar 16:9 --zoom 1.2' }),
    );
    const zoom = buttonIdWith(h, shown, 'MJ::CustomZoom::');
    const form = await zhForm(h, shown, zoom);
    expect(form.words[0]).toBe('自定义缩放');
    for (const word of form.words) expectChinese(word, [], `the form's "${word}"`);

    const refused = await zhSubmit(h, form, 'a tea house --ar 16:9');
    expect(refused.text).toMatch(/^⚠️ Custom Zoom 需要 `--zoom`，取值 1 到 2/);
    expectChinese(refused.text, ['a tea house']);

    const again = await zhForm(h, shown, zoom);
    const accepted = await zhSubmit(h, again, 'a tea house at night --ar 16:9 --zoom 1.5');
    expect(accepted.text).toMatch(/^✅ Custom Zoom 已提交 — 跟踪位置：<#\d+>/);
    expectChinese(accepted.text);
  });

  it('Remix: V1 asks for the prompt, the Edit prompt form and its submit are Chinese', async () => {
    const shown = await show(h.mj.createTask({ status: 'SUCCESS', prompt: 'a koi pond --ar 1:1' }));
    const since = h.mj.requests.length;
    const asked = await zhClick(h, shown, buttonIdWith(h, shown, '::variation::1::'));
    expect(asked.text).toMatch(/^✏️ V1 需要先填写提示词/);
    expectChinese(asked.text, ['V1']);
    const edit = editPromptButton(asked);
    expect(ownButtonLabels(asked.view.original ?? undefined)).toEqual(['✏️ 编辑提示词并提交']);

    const form = await zhForm(h, edit.where, edit.customId);
    expect(form.words[0]).toBe('Remix：编辑提示词');
    for (const word of form.words.slice(1)) expectChinese(word, [], `the form's "${word}"`);
    const answer = await zhSubmit(h, form, 'a koi pond in autumn --ar 1:1');
    expect(answer.text).toMatch(/^✅ Remix 已提交 — 跟踪位置：<#\d+>/);
    expectChinese(answer.text);
    expect(modalBodies(h, since)).toHaveLength(1);
    // The progress message of the remixed task is in the server's language too.
    expectChinese(followedFrom(h, answer.text).message.content, ['koi pond in autumn'], 'the progress message');
  });
});

describe('a zh-CN member meets every error in Chinese', () => {
  const ID = '1730621826053455';

  it.each([
    ['an unknown task', { kind: 'unknownId', shape: '404' }, /^🔍 未找到任务 `1730621826053455`。/],
    ['a 500', { kind: 'status', status: 500, body: '{"error":"服务器内部错误"}' }, /^💥 .*HTTP 500/],
    [
      'an HTML page',
      { kind: 'html', status: 502 },
      /^💥 Midjourney API 返回了无法使用的答复：一个 HTML 网页（HTTP 502）。/,
    ],
    ['malformed JSON', { kind: 'malformed' }, /格式错误的 JSON（HTTP 200）/],
    ['a timeout', { kind: 'slow', delayMs: 3_000 }, /^⌛ Midjourney API 没有在 2 秒内响应。/],
  ] as const)('%s, privately', async (_name, fault, expected) => {
    h.mj.fault('fetch', fault, 1);
    const answer = await zhCommand(h, 'mjtask', { id: ID });
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(expected);
    // The server's own words (服务器内部错误) are quoted as they came.
    expectChinese(answer.text, [ID]);
  });

  it('an invalid id, privately and before any request', async () => {
    const answer = await zhCommand(h, 'mjtask', { id: '../../admin' });
    expect(answer.text).toMatch(/^⚠️ 这不是有效的任务 ID。/);
    expectChinese(answer.text);
  });

  it('a button the bot does not know (a malformed custom_id), privately', async () => {
    const shown = await show(h.mj.createTask({ status: 'SUCCESS', prompt: 'a tea house' }));
    const since = h.mj.requests.length;
    for (const customId of ['mjx:what', 'mjedit:q:abc', 'MJ::JOB::upsample::9::not-on-this-task']) {
      const answer = await zhClick(h, shown, customId, { crafted: true });
      expect(answer.ephemeral).toBe(true);
      expect(answer.text).toMatch(/^⚠️ /);
      expectChinese(answer.text);
    }
    expect(h.mj.requests.slice(since).filter((r) => r.route === 'action')).toEqual([]);
  });
});
