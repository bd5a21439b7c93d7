// The proxy dialects one by one: the fork's limit envelope, fields and video results; the original Java
// proxy's /submit/change and task shape; plus's bare code 21 and refused buttons. Each test names the
// source lines it follows (the profiles in test/support/mj/dialects/ cite the same).
import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { MjStandIn } from '../support/mj/index.js';
import { button, closeOpened, credentials, finish, get, json, post, receivers, standIn } from './mj-stand-in-client.js';

afterEach(closeOpened);

const submit = async (s: MjStandIn, route: string, body: Record<string, unknown>) =>
  json(await post(s, `/mj/submit/${route}`, body, credentials(s)));
const fetchJson = async (s: MjStandIn, id: string) => json(await get(s, `/mj/task/${id}/fetch`, credentials(s)));

describe('fork (trueai-org/midjourney-proxy @ ed32197)', () => {
  it('a limit on /submit/action is HTTP 200 {success:false, code:-1, message} (CustomLogicExceptionFilterAttribute.cs L41-52, Result.cs L71)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const grid = s.createTask({ status: 'SUCCESS' });
    s.setServerState({ forkLimit: '用户今日绘图次数已达上限' });
    const res = await post(
      s,
      '/mj/submit/action',
      { taskId: grid, customId: button(s.task(grid)!, 'U1') },
      credentials(s),
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      success: false,
      code: -1,
      message: '用户今日绘图次数已达上限',
      timestamp: expect.stringMatching(/^\d{18}$/),
    });
  });

  it('guest mode serves a wrong key as a guest instead of 401 (SimpleAuthMiddleware.cs L116-120)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const id = s.createTask({ status: 'SUCCESS' });
    s.setServerState({ forkGuest: true });
    expect((await get(s, `/mj/task/${id}/fetch`, { authorization: 'wrong' })).status).toBe(200);
  });

  it('the same limit on /submit/imagine is code 4 with the message as description (SubmitController.cs L196-199)', async () => {
    const s = await standIn({ dialect: 'fork' });
    s.setServerState({ forkLimit: '并发数已达上限' });
    expect(await submit(s, 'imagine', { prompt: 'a cat' })).toMatchObject({ code: 4, description: '并发数已达上限' });
  });

  it('a banned prompt is accepted, then fails "可能包含敏感词" (DiscordService.cs L1882-1922)', async () => {
    const s = await standIn({ dialect: 'fork', bannedWords: ['nude'] });
    const reply = await submit(s, 'imagine', { prompt: 'nude body' });
    expect(reply.code).toBe(1);
    finish(s);
    expect(await fetchJson(s, reply.result)).toMatchObject({ status: 'FAILURE', failReason: '可能包含敏感词' });
  });

  it('keeps botType, mode, version and seed (TaskInfo.cs L118, L430, L609, L386; SubmitController.cs L1262-1324)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const niji = await json(
      await post(s, '/mj-relax/mj/submit/imagine', { prompt: 'a cat --niji 6', botType: 'niji' }, credentials(s)),
    );
    const turbo = await submit(s, 'imagine', { prompt: 'a dog --v 6.1 --turbo' });
    expect(await fetchJson(s, niji.result)).toMatchObject({
      botType: 'NIJI_JOURNEY',
      mode: 'RELAX',
      version: 'niji 6',
      seed: null,
    });
    expect(await fetchJson(s, turbo.result)).toMatchObject({ botType: 'MID_JOURNEY', mode: 'TURBO', version: 'v 6.1' });
  });

  it('/image-seed: 404 code 3, 400 before the job has a hash, then the seed, stored on the task (TaskController.cs L132-160)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const missing = await get(s, '/mj/task/1111111111111111/image-seed', credentials(s));
    expect([missing.status, (await json(missing)).code]).toEqual([404, 3]);
    const { result: id } = await submit(s, 'imagine', { prompt: 'a cat' });
    const early = await get(s, `/mj/task/${id}/image-seed`, credentials(s));
    expect([early.status, (await json(early)).description]).toEqual([400, '关联任务状态错误']);
    finish(s);
    const seed = await json(await get(s, `/mj/task/${id}/image-seed`, credentials(s)));
    expect(seed).toMatchObject({ code: 1, description: '成功', result: expect.stringMatching(/^\d+$/) });
    expect((await fetchJson(s, id)).seed).toBe(seed.result);
  });

  it('Animate on an upscale makes a VIDEO task with videoUrl, videoUrls and contentType (TaskInfo.cs L475, L572, L578, L780-805)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const up = s.createTask({ status: 'SUCCESS', action: 'UPSCALE' });
    const video = await submit(s, 'action', { taskId: up, customId: button(s.task(up)!, 'Animate (Low motion)') });
    finish(s);
    const task = await fetchJson(s, video.result);
    const url = `${s.baseUrl}/videos/${video.result}.mp4`;
    expect(task).toMatchObject({
      action: 'VIDEO',
      status: 'SUCCESS',
      videoUrl: url,
      videoUrls: [{ url, thumbnail: task.imageUrl }],
      contentType: 'video/mp4',
    });
    expect(task.buttons.map((b: { label: string }) => b.label)).toContain('Extend (High motion)');
    const file = await fetch(url);
    expect([file.status, file.headers.get('content-type')]).toEqual([200, 'video/mp4']);
  });

  it('❤️ BOOKMARK is code 4 "未知的 Action 类型" (SubmitController.cs L683-688)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const up = s.createTask({ status: 'SUCCESS', action: 'UPSCALE' });
    const heart = (s.task(up)!.buttons as { customId: string }[]).find((b) => b.customId.startsWith('MJ::BOOKMARK'))!;
    expect(await submit(s, 'action', { taskId: up, customId: heart.customId })).toMatchObject({
      code: 4,
      description: '未知的 Action 类型',
    });
  });

  it('a Describe result carries 1️⃣–4️⃣, 🔄, 🎉 and the four prompts (TaskInfo.cs L1171-1220, DiscordWebSocketService.cs L2632-2647)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const described = await fetchJson(s, s.createTask({ status: 'SUCCESS', action: 'DESCRIBE', prompt: 'a fox' }));
    expect(described.buttons.map((b: { customId: string }) => b.customId)).toEqual([
      'MJ::Job::PicReader::1',
      'MJ::Job::PicReader::2',
      'MJ::Job::PicReader::3',
      'MJ::Job::PicReader::4',
      'MJ::Picread::Retry',
      'MJ::Job::PicReader::all',
    ]);
    expect(described.properties.finalPrompt.split('\n\n')).toHaveLength(4);
    expect(described.promptEn).toBe(described.properties.finalPrompt);
  });

  it('PicReader::2 is code 21 whose finalPrompt keeps the "2️⃣ " keycap (TaskService.cs L1885-1911)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const id = s.createTask({ status: 'SUCCESS', action: 'DESCRIBE', prompt: 'a fox' });
    const picked = await submit(s, 'action', { taskId: id, customId: 'MJ::Job::PicReader::2' });
    expect(picked).toMatchObject({ code: 21, properties: { finalPrompt: '2\u{FE0F}\u{20E3} a fox, take 2 --ar 1:1' } });
    expect(s.task(picked.result)).toMatchObject({ status: 'MODAL', action: 'IMAGINE' });
  });

  it('🎉 Imagine all starts four imagines, keycaps stripped, state "<state>::n", result "id1,…" (TaskService.cs L1817-1876)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const id = s.createTask({ status: 'SUCCESS', action: 'DESCRIBE', prompt: 'a fox' });
    const all = await json(
      await post(
        s,
        '/mj/submit/action',
        { taskId: id, customId: 'MJ::Job::PicReader::all', state: 'st' },
        credentials(s),
      ),
    );
    const ids = (all.result as string).split(',');
    expect([all.code, ids.length]).toEqual([1, 4]);
    expect(s.task(ids[2]!)).toMatchObject({ action: 'IMAGINE', prompt: 'a fox, take 3 --ar 1:1', state: 'st::3' });
  });

  it('/submit/modal without a mask is accepted for Vary (Region): "不检查" (SubmitController.cs L751-762)', async () => {
    const s = await standIn({ dialect: 'fork' });
    const up = s.createTask({ status: 'SUCCESS', action: 'UPSCALE' });
    const region = await submit(s, 'action', { taskId: up, customId: button(s.task(up)!, 'Vary (Region)') });
    expect(region.code).toBe(21);
    expect((await submit(s, 'modal', { taskId: region.result, prompt: 'a hat' })).code).toBe(1);
  });
});

describe('nzk (novicezk/midjourney-proxy @ 0be95a9)', () => {
  it('/submit/change U1 makes an UPSCALE task "/up <id> U1"; a repeat is a new task, never 21 (SubmitController.java L106-150)', async () => {
    const s = await standIn({ dialect: 'nzk' });
    const grid = s.createTask({ status: 'SUCCESS' });
    const u1 = await submit(s, 'change', { taskId: grid, action: 'UPSCALE', index: 1 });
    expect(u1).toMatchObject({ code: 1, description: '提交成功' });
    expect(s.task(u1.result)).toMatchObject({ action: 'UPSCALE', description: `/up ${grid} U1` });
    const again = await submit(s, 'change', { taskId: grid, action: 'UPSCALE', index: 1 });
    expect([again.code, again.result === u1.result]).toEqual([1, false]);
    const reroll = await submit(s, 'change', { taskId: grid, action: 'REROLL' });
    expect(s.task(reroll.result)).toMatchObject({ action: 'REROLL', description: `/up ${grid} R` });
  });

  it('/submit/change refuses an upscaled parent, a missing one (HTTP 200, code 3) and a bad action (L109-130)', async () => {
    const s = await standIn({ dialect: 'nzk' });
    const grid = s.createTask({ status: 'SUCCESS' });
    const u1 = await submit(s, 'change', { taskId: grid, action: 'UPSCALE', index: 2 });
    finish(s);
    expect(await submit(s, 'change', { taskId: u1.result, action: 'VARIATION', index: 1 })).toMatchObject({
      code: 4,
      description: '关联任务不允许执行变化',
    });
    const missing = await post(s, '/mj/submit/change', { taskId: '1', action: 'UPSCALE', index: 1 }, credentials(s));
    expect([missing.status, (await json(missing)).code]).toEqual([200, 3]);
    expect(await submit(s, 'change', { taskId: grid, action: 'DESCRIBE', index: 1 })).toMatchObject({
      code: 4,
      description: 'action参数错误',
    });
    const unbound = await post(s, '/mj/submit/change', { taskId: grid, action: 'upscale' }, credentials(s));
    expect(unbound.status).toBe(400);
  });

  it('/submit/simple-change "<id> V2" → VARIATION; anything else is content参数错误 (util/ConvertUtils.java L63-91)', async () => {
    const s = await standIn({ dialect: 'nzk' });
    const grid = s.createTask({ status: 'SUCCESS' });
    const v2 = await submit(s, 'simple-change', { content: `${grid} V2` });
    expect(s.task(v2.result)).toMatchObject({ action: 'VARIATION', description: `/up ${grid} V2` });
    expect(await submit(s, 'simple-change', { content: `${grid} U5` })).toMatchObject({ code: 4 });
  });

  it('serialises the internal properties and no buttons, in /fetch and in the notifyHook post (Task.java, Constants.java L8-16)', async () => {
    const bodies: Record<string, any>[] = [];
    const hook = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        bodies.push(JSON.parse(text));
        res.end();
      });
    });
    receivers.push(hook);
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
    const s = await standIn({ dialect: 'nzk' });
    const { result: id } = await submit(s, 'imagine', { prompt: 'a cat', notifyHook: url });
    finish(s);
    const task = await fetchJson(s, id);
    expect('buttons' in task).toBe(false);
    expect(task.properties).toMatchObject({ notifyHook: url, finalPrompt: 'a cat', messageHash: expect.any(String) });
    expect('discordChannelId' in task.properties).toBe(false);
    await s.flushHooks();
    expect(bodies.at(-1)).toMatchObject({ id, status: 'SUCCESS' });
    expect(bodies.every((b) => !('buttons' in b))).toBe(true);
  });

  it('a banned prompt is code 24 with promptEn and bannedWord (SubmitController.java L69-74)', async () => {
    const s = await standIn({ dialect: 'nzk', bannedWords: ['nude'] });
    expect(await submit(s, 'imagine', { prompt: 'nude body' })).toMatchObject({
      code: 24,
      properties: { promptEn: 'nude body', bannedWord: 'nude' },
    });
  });
});

describe('plus (litter-coder/midjourney-proxy-plus docs/api.md)', () => {
  it('a Remix V1 is code 21 "窗口等待" with no properties either (§3)', async () => {
    const s = await standIn({ dialect: 'plus', remix: true });
    const grid = s.createTask({ status: 'SUCCESS' });
    const v1 = await submit(s, 'action', { taskId: grid, customId: button(s.task(grid)!, 'V1') });
    expect(v1).toEqual({ code: 21, description: '窗口等待', result: v1.result });
    expect(s.task(v1.result)).toMatchObject({ status: 'MODAL' });
  });

  it('a repeated U is 21 "任务已存在" with properties.status (ASSUMPTION: NZK docs/api.md)', async () => {
    const s = await standIn({ dialect: 'plus' });
    const grid = s.createTask({ status: 'SUCCESS' });
    const u1 = button(s.task(grid)!, 'U1');
    const first = await submit(s, 'action', { taskId: grid, customId: u1 });
    expect(await submit(s, 'action', { taskId: grid, customId: u1 })).toMatchObject({
      code: 21,
      description: '任务已存在',
      result: first.result,
      properties: { status: 'SUBMITTED' },
    });
  });

  it('refuses ❤️ (§3: "除了… 图片放大后的 ❤️"); ASSUMPTION: code 4', async () => {
    const s = await standIn({ dialect: 'plus' });
    const up = s.createTask({ status: 'SUCCESS', action: 'UPSCALE' });
    const heart = (s.task(up)!.buttons as { customId: string }[]).find((b) => b.customId.startsWith('MJ::BOOKMARK'))!;
    expect((await submit(s, 'action', { taskId: up, customId: heart.customId })).code).toBe(4);
  });
});
