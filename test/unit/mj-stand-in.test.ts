// The Midjourney stand-in, exercised over real HTTP on 127.0.0.1 the way the bot's client will use it:
// task lifecycle (proxy and aggregator views). Actions, modals and forced answers are in
// mj-stand-in-actions.test.ts; faults, auth, routes, notifyHook and scale in mj-stand-in-faults.test.ts.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MjTaskSchema, SubmitResultSchema } from '../../src/mj/schema.js';
import { createStandInClock } from '../support/mj/index.js';
import {
  closeOpened,
  standIn,
  get,
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
