// The Midjourney stand-in over real HTTP on 127.0.0.1: actions, modals and child tasks (proxy), forced
// submit answers and banned words. The task lifecycle is in mj-stand-in.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import {
  closeOpened,
  standIn,
  get,
  post,
  json,
  fetchTask,
  imagine,
  action,
  button,
  successGrid,
} from './mj-stand-in-client.js';

afterEach(closeOpened);

describe('actions, modals and child tasks (proxy)', () => {
  it('creates children with the right action, and answers 21 for a repeated U', async () => {
    const s = await standIn();
    const { id, task } = await successGrid(s);
    const u1 = await json(await action(s, id, button(task, 'U1')));
    expect(u1.code).toBe(1);
    expect(s.task(u1.result)).toMatchObject({ action: 'UPSCALE', prompt: 'a red fox --v 6.1', status: 'SUBMITTED' });
    const again = await json(await action(s, id, button(task, 'U1')));
    expect(again).toMatchObject({
      code: 21,
      description: '任务已存在',
      result: u1.result,
      properties: { status: 'SUBMITTED', imageUrl: null },
    });
    const labels: [string, string][] = [
      ['V2', 'VARIATION'],
      ['', 'IMAGINE'],
    ];
    for (const [label, expected] of labels) {
      const customId = label ? button(task, label) : (task.buttons as { customId: string }[])[4]!.customId;
      expect(s.task((await json(await action(s, id, customId))).result)).toMatchObject({ action: expected });
    }
    s.clock.advance(16_000);
    const upscaled = await fetchTask(s, u1.result);
    const upLabels = (upscaled.buttons as { label: string; emoji: string }[]).map((b) => `${b.label}|${b.emoji}`);
    expect(upLabels).toEqual([
      'Upscale (Subtle)|upscale_1',
      'Upscale (Creative)|upscale_1',
      'Vary (Subtle)|🪄',
      'Vary (Strong)|🪄',
      'Vary (Region)|🖌️',
      'Zoom Out 2x|🔍',
      'Zoom Out 1.5x|🔍',
      'Custom Zoom|🔍',
      '|⬅️',
      '|➡️',
      '|⬆️',
      '|⬇️',
      '|❤️',
    ]);
    const pan = (upscaled.buttons as { customId: string }[])[8]!.customId;
    expect(s.task((await json(await action(s, u1.result, pan))).result)).toMatchObject({ action: 'PAN' });
    expect(s.task((await json(await action(s, u1.result, button(upscaled, 'Zoom Out 2x')))).result)).toMatchObject({
      action: 'ZOOM',
    });
    expect(s.task((await json(await action(s, u1.result, button(upscaled, 'Upscale (Subtle)')))).result)).toMatchObject(
      { action: 'UPSCALE_HD' },
    );
    expect(
      await json(await action(s, u1.result, (upscaled.buttons as { customId: string }[])[12]!.customId)),
    ).toMatchObject({ code: 1, result: u1.result });
  });

  it('validates the parent: unknown (404, code 3), not SUCCESS (code 4), foreign customId (code 4)', async () => {
    const s = await standIn();
    const missing = await action(s, '1111111111111111', 'MJ::JOB::upsample::1::x');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 3, description: '关联任务不存在或已失效' });
    const running = s.createTask({ status: 'IN_PROGRESS' });
    expect(await json(await action(s, running, 'MJ::JOB::upsample::1::x'))).toMatchObject({
      code: 4,
      description: '关联任务状态错误',
    });
    const { id } = await successGrid(s);
    expect((await json(await action(s, id, 'MJ::JOB::upsample::1::not-its-uuid'))).code).toBe(4);
  });

  it('Custom Zoom → MODAL (code 21); /submit/modal continues the SAME id with the new prompt', async () => {
    const s = await standIn();
    const upscaled = s.createTask({ status: 'SUCCESS', action: 'UPSCALE' });
    const zoomId = button(s.task(upscaled)!, 'Custom Zoom');
    const zoom = await json(await action(s, upscaled, zoomId));
    expect(zoom).toMatchObject({ code: 21, description: 'Waiting for window confirm', properties: { remix: true } });
    s.clock.advance(120_000);
    expect(await fetchTask(s, zoom.result)).toMatchObject({ status: 'MODAL', action: 'ZOOM' });
    const confirm = await json(
      await post(s, '/mj/submit/modal', { taskId: zoom.result, prompt: 'a fox --ar 1:1 --zoom 1.5' }),
    );
    expect(confirm).toMatchObject({ code: 1, result: zoom.result });
    expect(await fetchTask(s, zoom.result)).toMatchObject({ status: 'SUBMITTED', prompt: 'a fox --ar 1:1 --zoom 1.5' });
    s.clock.advance(16_000);
    expect((await fetchTask(s, zoom.result)).status).toBe('SUCCESS');
    expect((await json(await post(s, '/mj/submit/modal', { taskId: zoom.result, prompt: 'x' }))).code).toBe(4);
    const region = await json(await action(s, upscaled, button(s.task(upscaled)!, 'Vary (Region)')));
    expect((await json(await post(s, '/mj/submit/modal', { taskId: region.result, prompt: 'hat' }))).code).toBe(4);
    const mask = 'data:image/png;base64,iVBORw0KGgo=';
    expect(
      (await json(await post(s, '/mj/submit/modal', { taskId: region.result, prompt: 'hat', maskBase64: mask }))).code,
    ).toBe(1);
  });

  it('with remix: true, V/reroll/pan become MODAL with code 21', async () => {
    const s = await standIn({ remix: true });
    const { id, task } = await successGrid(s);
    const v1 = await json(await action(s, id, button(task, 'V1')));
    expect(v1).toMatchObject({ code: 21, properties: { finalPrompt: 'a red fox --v 6.1', remix: true } });
    expect(s.task(v1.result)).toMatchObject({ status: 'MODAL' });
    expect((await json(await action(s, id, button(task, 'U1')))).code).toBe(1);
  });
});

describe('forced submit answers and banned words', () => {
  it('answers each forced code; 1, 21 and 22 create the task, the others do not', async () => {
    const s = await standIn();
    for (const code of [1, 21, 22, 23, 24, 4, 9, 3]) {
      s.nextSubmit('imagine', code === 22 ? { code, numberOfQueues: 3 } : { code });
      const before = s.countRequests('fetch');
      const reply = await imagine(s, { prompt: 'nude body' });
      expect(reply.code).toBe(code);
      const created = typeof reply.result === 'string' && s.task(reply.result) !== undefined;
      expect([code, created]).toEqual([code, [1, 21, 22].includes(code)]);
      expect(s.countRequests('fetch')).toBe(before);
      if (code === 22)
        expect(reply).toMatchObject({ description: '排队中，前面还有3个任务', properties: { numberOfQueues: 3 } });
      if (code === 24)
        expect(reply).toEqual({
          code: 24,
          description: '可能包含敏感词',
          properties: { promptEn: 'nude body', bannedWord: 'nude' },
        });
      if (code === 21) expect(s.task(reply.result)).toMatchObject({ status: 'MODAL' });
      if (code === 23) expect(await (await get(s, `/mj/task/${reply.result}/fetch`)).text()).toBe('');
    }
    expect((await imagine(s)).code).toBe(1);
  });

  it('bannedWords → code 24 on a proxy', async () => {
    const s = await standIn({ bannedWords: ['nude'] });
    expect(await imagine(s, { prompt: 'A NUDE statue' })).toMatchObject({
      code: 24,
      properties: { bannedWord: 'nude' },
    });
    expect((await imagine(s, { prompt: 'a nudel soup' })).code).toBe(1);
  });
});
