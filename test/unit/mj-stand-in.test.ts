// The Midjourney stand-in, exercised over real HTTP on 127.0.0.1 the way the bot's client will use it:
// task lifecycle (proxy and aggregator views), actions and modals, forced answers. Faults, auth, routes,
// notifyHook and scale are in mj-stand-in-faults.test.ts.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MjTaskSchema, SubmitResultSchema } from '../../src/mj/schema.js';
import { createStandInClock } from '../support/mj/index.js';
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

describe('task lifecycle on the stand-in clock (proxy)', () => {
  it('goes SUBMITTED → IN_PROGRESS with previews → SUCCESS with the grid buttons', async () => {
    const s = await standIn();
    const submit = SubmitResultSchema.parse(await imagine(s));
    expect(submit).toMatchObject({ code: 1, description: '提交成功' });
    const id = submit.result as string;
    expect(id).toMatch(/^\d{16}$/);
    expect(await fetchTask(s, id)).toMatchObject({ status: 'SUBMITTED', progress: '0%', imageUrl: null, buttons: [] });
    s.clock.advance(2_000);
    expect(await fetchTask(s, id)).toMatchObject({
      status: 'IN_PROGRESS',
      progress: '0%',
      imageUrl: `${s.baseUrl}/images/${id}/preview_0.webp`,
    });
    s.clock.advance(6_000);
    expect(await fetchTask(s, id)).toMatchObject({ status: 'IN_PROGRESS', progress: '46%' });
    s.clock.advance(8_000);
    const done = MjTaskSchema.parse(await fetchTask(s, id));
    expect(done).toMatchObject({
      status: 'SUCCESS',
      progress: '100%',
      imageUrl: `${s.baseUrl}/images/${id}.png`,
      finishTime: s.clock.now(),
    });
    expect(done.buttons.map((b) => b.label || b.emoji)).toEqual(['U1', 'U2', 'U3', 'U4', '🔄', 'V1', 'V2', 'V3', 'V4']);
    expect(done.buttons[0]?.customId).toMatch(/^MJ::JOB::upsample::1::[0-9a-f-]{36}$/);
    expect(done.buttons[4]?.customId).toMatch(/^MJ::JOB::reroll::0::[0-9a-f-]{36}::SOLO$/);
  });

  it('ends in FAILURE with a failReason and progress "" when the timeline says so (shared clock)', async () => {
    const clock = createStandInClock(1_700_000_000_000);
    const s = await standIn({ clock, timeline: { queuedMs: 0, runMs: 1_000 } });
    s.nextTask({ timeline: { outcome: 'FAILURE', failReason: '[Banned prompt detected] nope' } });
    const { result: id } = await imagine(s);
    expect(id).toMatch(/^1700000000000\d{3}$/);
    clock.advance(1_000);
    expect(await fetchTask(s, id)).toMatchObject({
      status: 'FAILURE',
      progress: '',
      failReason: '[Banned prompt detected] nope',
    });
  });

  it('gives a submitted task the timeline taskOptionsFor picks by its prompt (queued nextTask first)', async () => {
    const clock = createStandInClock(1_700_000_000_000);
    const asked: Array<[string, number]> = [];
    const s = await standIn({
      clock,
      taskOptionsFor: (prompt, now) => {
        asked.push([prompt, now]);
        return prompt === 'slow one' ? { timeline: { queuedMs: 0, runMs: 10_000 } } : undefined;
      },
    });
    s.nextTask({ timeline: { queuedMs: 0, runMs: 1_000 } });
    const { result: queued } = await imagine(s, { prompt: 'slow one' });
    const { result: slow } = await imagine(s, { prompt: 'slow one' });
    const { result: plain } = await imagine(s, { prompt: 'plain' });
    expect(asked).toEqual([
      ['slow one', clock.now()],
      ['plain', clock.now()],
    ]);
    clock.advance(2_000);
    expect(await fetchTask(s, queued)).toMatchObject({ status: 'SUCCESS' });
    expect(await fetchTask(s, slow)).toMatchObject({ status: 'IN_PROGRESS', progress: '15%' });
    expect(await fetchTask(s, plain)).toMatchObject({ status: 'IN_PROGRESS', progress: '0%' });
    clock.advance(8_000);
    expect(await fetchTask(s, slow)).toMatchObject({ status: 'SUCCESS' });
    expect(await fetchTask(s, plain)).toMatchObject({ status: 'IN_PROGRESS' });
  });

  it('positions, pins and patches tasks inserted directly, and serves fixtures verbatim', async () => {
    const s = await standIn();
    expect(s.task(s.createTask({ status: 'IN_PROGRESS', progress: '46%' }))).toMatchObject({
      status: 'IN_PROGRESS',
      progress: '46%',
    });
    expect(s.task(s.createTask({ status: 'CANCEL' }))).toMatchObject({ status: 'CANCEL' });
    const id = s.createTask({ outcome: 'MODAL' });
    s.clock.advance(60_000);
    expect(s.task(id)).toMatchObject({ status: 'MODAL' });
    s.setTask(id, { status: 'SUCCESS', progress: 'weird' });
    expect(await fetchTask(s, id)).toMatchObject({ status: 'SUCCESS', progress: 'weird' });
    const fixture = JSON.parse(readFileSync('test/fixtures/mj/fetch-imagine-success-seed-example.json', 'utf8'));
    s.addRawTask(fixture);
    expect(await fetchTask(s, fixture.id)).toEqual(fixture);
    const child = await json(await action(s, fixture.id, fixture.buttons[0].customId));
    expect(child.code).toBe(1);
    expect(s.task(child.result)).toMatchObject({ action: 'UPSCALE', prompt: 'pig --v 6.1' });
    const list = (await json(await get(s, '/mj/task/list'))) as unknown as { id: string }[];
    expect(list[0]?.id).toBe(child.result);
  });
});

describe('aggregator flavor (new-api quirks)', () => {
  it('shows status "" until the first 15 s refresh, then moves only on refresh steps', async () => {
    const s = await standIn({ flavor: 'aggregator' });
    const { result: id } = await imagine(s);
    expect(await fetchTask(s, id)).toMatchObject({
      status: '',
      progress: '0%',
      buttons: null,
      properties: null,
      customId: '',
    });
    s.clock.advance(14_999);
    expect((await fetchTask(s, id)).status).toBe('');
    s.clock.advance(1);
    expect(await fetchTask(s, id)).toMatchObject({ status: 'IN_PROGRESS', progress: '93%' });
    s.clock.advance(14_999);
    expect((await fetchTask(s, id)).status).toBe('IN_PROGRESS');
    s.clock.advance(1);
    expect(await fetchTask(s, id)).toMatchObject({
      status: 'SUCCESS',
      properties: { finalPrompt: 'a cat --v 6.1', finalZhPrompt: '' },
    });
  });

  it('reports FAILURE with "100%", unknown ids and unknown actions as HTTP 400 upstream_error', async () => {
    const s = await standIn({ flavor: 'aggregator' });
    const failed = s.createTask({ status: 'FAILURE', failReason: 'Invalid parameter' });
    s.clock.advance(15_000);
    expect(await fetchTask(s, failed)).toMatchObject({
      status: 'FAILURE',
      progress: '100%',
      failReason: 'Invalid parameter',
    });
    const unknown = await get(s, '/mj/task/1234567890123456/fetch');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ description: 'task_no_found ', type: 'upstream_error', code: 4 });
    const { id: upscaled } = await successGrid(s);
    s.setTask(upscaled, { buttons: [{ customId: 'MJ::BOOKMARK::abc', emoji: '❤️', label: '', type: 2, style: 2 }] });
    const bookmark = await action(s, upscaled, 'MJ::BOOKMARK::abc');
    expect(bookmark.status).toBe(400);
    expect(await bookmark.json()).toEqual({
      description: 'unknown_action:MJ::BOOKMARK::abc ',
      type: 'upstream_error',
      code: 4,
    });
    expect(await (await action(s, '9999999999999999', 'MJ::JOB::upsample::1::x')).json()).toMatchObject({
      description: 'task_not_found ',
    });
  });

  it('rewrites 22 → 1 and 21 → 1 except for Custom Zoom / Vary (Region); a Remix task sits in MODAL', async () => {
    const s = await standIn({ flavor: 'aggregator', remix: true });
    s.nextSubmit('imagine', { code: 22, numberOfQueues: 2 });
    expect(await imagine(s)).toMatchObject({ code: 1, description: '排队中，前面还有2个任务' });
    const { id: grid, task } = await successGrid(s);
    s.clock.advance(15_000);
    const v1 = await json(await action(s, grid, button(task, 'V1')));
    expect(v1.code).toBe(1);
    const up = await json(await action(s, grid, button(task, 'U1')));
    s.clock.advance(30_000);
    const upscaled = await fetchTask(s, up.result);
    expect(upscaled).toMatchObject({ status: 'SUCCESS', action: 'UPSCALE' });
    expect(await fetchTask(s, v1.result)).toMatchObject({ status: 'MODAL', action: 'VARIATION' });
    const zoom = await json(await action(s, up.result, button(upscaled, 'Custom Zoom')));
    expect(zoom).toMatchObject({ code: 21, description: 'Waiting for window confirm', properties: { remix: true } });
    const region = await json(await action(s, up.result, button(upscaled, 'Vary (Region)')));
    expect(region.code).toBe(21);
  });
});

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
