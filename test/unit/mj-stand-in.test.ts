// The Midjourney stand-in, exercised over real HTTP on 127.0.0.1 the way the bot's client will use it.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MjTaskSchema, SubmitResultSchema } from '../../src/mj/schema.js';
import { createMjStandIn, createStandInClock, type MjStandIn, type MjStandInOptions } from '../support/mj/index.js';

const opened: MjStandIn[] = [];
const receivers: Server[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(receivers.splice(0).map((r) => new Promise((done) => r.close(done))));
});

async function standIn(opts?: MjStandInOptions): Promise<MjStandIn> {
  const s = await createMjStandIn(opts);
  opened.push(s);
  return s;
}
const bearer = (s: MjStandIn) => ({ authorization: `Bearer ${s.apiKey}` });
const get = (s: MjStandIn, path: string, headers: Record<string, string> = bearer(s)) => fetch(s.baseUrl + path, { headers });
const post = (s: MjStandIn, path: string, body: unknown, headers: Record<string, string> = bearer(s)) =>
  fetch(s.baseUrl + path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const json = async (res: Response) => (await res.json()) as Record<string, any>;
const fetchTask = async (s: MjStandIn, id: string) => json(await get(s, `/mj/task/${id}/fetch`));
const imagine = async (s: MjStandIn, body: Record<string, unknown> = { prompt: 'a cat --v 6.1' }) => json(await post(s, '/mj/submit/imagine', body));
const action = async (s: MjStandIn, taskId: string, customId: string) => post(s, '/mj/submit/action', { taskId, customId });
const button = (task: Record<string, any>, label: string) => (task.buttons as { customId: string; label: string }[]).find((b) => b.label === label)!.customId;
/** A finished imagine on the stand-in and its buttons. */
async function successGrid(s: MjStandIn) {
  const id = s.createTask({ status: 'SUCCESS', prompt: 'a red fox --v 6.1' });
  return { id, task: await fetchTask(s, id) };
}

describe('task lifecycle on the stand-in clock (proxy)', () => {
  it('goes SUBMITTED → IN_PROGRESS with previews → SUCCESS with the grid buttons', async () => {
    const s = await standIn();
    const submit = SubmitResultSchema.parse(await imagine(s));
    expect(submit).toMatchObject({ code: 1, description: '提交成功' });
    const id = submit.result as string;
    expect(id).toMatch(/^\d{16}$/);
    expect(await fetchTask(s, id)).toMatchObject({ status: 'SUBMITTED', progress: '0%', imageUrl: null, buttons: [] });
    s.clock.advance(2_000);
    expect(await fetchTask(s, id)).toMatchObject({ status: 'IN_PROGRESS', progress: '0%', imageUrl: `${s.baseUrl}/images/${id}/preview_0.webp` });
    s.clock.advance(6_000);
    expect(await fetchTask(s, id)).toMatchObject({ status: 'IN_PROGRESS', progress: '46%' });
    s.clock.advance(8_000);
    const done = MjTaskSchema.parse(await fetchTask(s, id));
    expect(done).toMatchObject({ status: 'SUCCESS', progress: '100%', imageUrl: `${s.baseUrl}/images/${id}.png`, finishTime: s.clock.now() });
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
    expect(await fetchTask(s, id)).toMatchObject({ status: 'FAILURE', progress: '', failReason: '[Banned prompt detected] nope' });
  });

  it('positions, pins and patches tasks inserted directly, and serves fixtures verbatim', async () => {
    const s = await standIn();
    expect(s.task(s.createTask({ status: 'IN_PROGRESS', progress: '46%' }))).toMatchObject({ status: 'IN_PROGRESS', progress: '46%' });
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
    expect(await fetchTask(s, id)).toMatchObject({ status: '', progress: '0%', buttons: null, properties: null, customId: '' });
    s.clock.advance(14_999);
    expect((await fetchTask(s, id)).status).toBe('');
    s.clock.advance(1);
    expect(await fetchTask(s, id)).toMatchObject({ status: 'IN_PROGRESS', progress: '93%' });
    s.clock.advance(14_999);
    expect((await fetchTask(s, id)).status).toBe('IN_PROGRESS');
    s.clock.advance(1);
    expect(await fetchTask(s, id)).toMatchObject({ status: 'SUCCESS', properties: { finalPrompt: 'a cat --v 6.1', finalZhPrompt: '' } });
  });

  it('reports FAILURE with "100%", unknown ids and unknown actions as HTTP 400 upstream_error', async () => {
    const s = await standIn({ flavor: 'aggregator' });
    const failed = s.createTask({ status: 'FAILURE', failReason: 'Invalid parameter' });
    s.clock.advance(15_000);
    expect(await fetchTask(s, failed)).toMatchObject({ status: 'FAILURE', progress: '100%', failReason: 'Invalid parameter' });
    const unknown = await get(s, '/mj/task/1234567890123456/fetch');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ description: 'task_no_found ', type: 'upstream_error', code: 4 });
    const { id: upscaled } = await successGrid(s);
    s.setTask(upscaled, { buttons: [{ customId: 'MJ::BOOKMARK::abc', emoji: '❤️', label: '', type: 2, style: 2 }] });
    const bookmark = await action(s, upscaled, 'MJ::BOOKMARK::abc');
    expect(bookmark.status).toBe(400);
    expect(await bookmark.json()).toEqual({ description: 'unknown_action:MJ::BOOKMARK::abc ', type: 'upstream_error', code: 4 });
    expect(await (await action(s, '9999999999999999', 'MJ::JOB::upsample::1::x')).json()).toMatchObject({ description: 'task_not_found ' });
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
    expect(again).toMatchObject({ code: 21, description: '任务已存在', result: u1.result, properties: { status: 'SUBMITTED', imageUrl: null } });
    const labels: [string, string][] = [['V2', 'VARIATION'], ['', 'IMAGINE']];
    for (const [label, expected] of labels) {
      const customId = label ? button(task, label) : (task.buttons as { customId: string }[])[4]!.customId;
      expect(s.task((await json(await action(s, id, customId))).result)).toMatchObject({ action: expected });
    }
    s.clock.advance(16_000);
    const upscaled = await fetchTask(s, u1.result);
    const upLabels = (upscaled.buttons as { label: string; emoji: string }[]).map((b) => `${b.label}|${b.emoji}`);
    expect(upLabels).toEqual([
      'Upscale (Subtle)|upscale_1', 'Upscale (Creative)|upscale_1', 'Vary (Subtle)|🪄', 'Vary (Strong)|🪄', 'Vary (Region)|🖌️',
      'Zoom Out 2x|🔍', 'Zoom Out 1.5x|🔍', 'Custom Zoom|🔍', '|⬅️', '|➡️', '|⬆️', '|⬇️', '|❤️',
    ]);
    const pan = (upscaled.buttons as { customId: string }[])[8]!.customId;
    expect(s.task((await json(await action(s, u1.result, pan))).result)).toMatchObject({ action: 'PAN' });
    expect(s.task((await json(await action(s, u1.result, button(upscaled, 'Zoom Out 2x')))).result)).toMatchObject({ action: 'ZOOM' });
    expect(s.task((await json(await action(s, u1.result, button(upscaled, 'Upscale (Subtle)')))).result)).toMatchObject({ action: 'UPSCALE_HD' });
    expect(await json(await action(s, u1.result, (upscaled.buttons as { customId: string }[])[12]!.customId))).toMatchObject({ code: 1, result: u1.result });
  });

  it('validates the parent: unknown (404, code 3), not SUCCESS (code 4), foreign customId (code 4)', async () => {
    const s = await standIn();
    const missing = await action(s, '1111111111111111', 'MJ::JOB::upsample::1::x');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 3, description: '关联任务不存在或已失效' });
    const running = s.createTask({ status: 'IN_PROGRESS' });
    expect(await json(await action(s, running, 'MJ::JOB::upsample::1::x'))).toMatchObject({ code: 4, description: '关联任务状态错误' });
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
    const confirm = await json(await post(s, '/mj/submit/modal', { taskId: zoom.result, prompt: 'a fox --ar 1:1 --zoom 1.5' }));
    expect(confirm).toMatchObject({ code: 1, result: zoom.result });
    expect(await fetchTask(s, zoom.result)).toMatchObject({ status: 'SUBMITTED', prompt: 'a fox --ar 1:1 --zoom 1.5' });
    s.clock.advance(16_000);
    expect((await fetchTask(s, zoom.result)).status).toBe('SUCCESS');
    expect((await json(await post(s, '/mj/submit/modal', { taskId: zoom.result, prompt: 'x' }))).code).toBe(4);
    const region = await json(await action(s, upscaled, button(s.task(upscaled)!, 'Vary (Region)')));
    expect((await json(await post(s, '/mj/submit/modal', { taskId: region.result, prompt: 'hat' }))).code).toBe(4);
    const mask = 'data:image/png;base64,iVBORw0KGgo=';
    expect((await json(await post(s, '/mj/submit/modal', { taskId: region.result, prompt: 'hat', maskBase64: mask }))).code).toBe(1);
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
      if (code === 22) expect(reply).toMatchObject({ description: '排队中，前面还有3个任务', properties: { numberOfQueues: 3 } });
      if (code === 24) expect(reply).toEqual({ code: 24, description: '可能包含敏感词', properties: { promptEn: 'nude body', bannedWord: 'nude' } });
      if (code === 21) expect(s.task(reply.result)).toMatchObject({ status: 'MODAL' });
      if (code === 23) expect(await (await get(s, `/mj/task/${reply.result}/fetch`)).text()).toBe('');
    }
    expect((await imagine(s)).code).toBe(1);
  });

  it('bannedWords → code 24 on a proxy', async () => {
    const s = await standIn({ bannedWords: ['nude'] });
    expect(await imagine(s, { prompt: 'A NUDE statue' })).toMatchObject({ code: 24, properties: { bannedWord: 'nude' } });
    expect((await imagine(s, { prompt: 'a nudel soup' })).code).toBe(1);
  });
});

describe('faults, unknown ids, auth and routes', () => {
  it('injects each fault kind, per route or per task, for a number of times', async () => {
    const s = await standIn();
    const id = s.createTask({ status: 'SUCCESS' });
    s.fault('fetch', { kind: 'status', status: 500, body: 'boom' }, 1);
    const five = await get(s, `/mj/task/${id}/fetch`);
    expect([five.status, await five.text()]).toEqual([500, 'boom']);
    expect((await get(s, `/mj/task/${id}/fetch`)).status).toBe(200);
    s.fault('fetch', { kind: 'html' }, 1);
    const html = await get(s, `/mj/task/${id}/fetch`);
    expect([html.status, html.headers.get('content-type'), (await html.text()).includes('<html>')]).toEqual([502, 'text/html', true]);
    s.fault(id, { kind: 'malformed' }, 1);
    await expect((await get(s, `/mj/task/${id}/fetch`)).json()).rejects.toThrow();
    s.fault(id, { kind: 'unknownId', shape: '204' }, 1);
    expect((await get(s, `/mj/task/${id}/fetch`)).status).toBe(204);
    s.fault('imagine', { kind: 'reset' }, 1);
    await expect(imagine(s)).rejects.toThrow();
    s.fault('list-by-condition', { kind: 'slow', delayMs: 150 }, 1);
    const started = performance.now();
    expect(await (await post(s, '/mj/task/list-by-condition', { ids: [id] })).json()).toHaveLength(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    s.fault(id, { kind: 'unknownId', shape: 'empty200' });
    expect(await (await post(s, '/mj/task/list-by-condition', { ids: [id] })).json()).toEqual([]);
    s.clearFaults();
    expect((await fetchTask(s, id)).id).toBe(id);
  });

  it('answers unknown ids in each shape and hides new tasks for unknownForMs', async () => {
    for (const [shape, status] of [['empty200', 200], ['204', 204], ['404', 404], ['400', 400]] as const) {
      const s = await standIn({ unknownIdShape: shape });
      const res = await get(s, '/mj/task/1767225600000999/fetch');
      expect(res.status).toBe(status);
      if (shape === 'empty200') expect(await res.text()).toBe('');
    }
    const s = await standIn({ unknownForMs: 3_000 });
    const { result: id } = await imagine(s);
    expect(await (await get(s, `/mj/task/${id}/fetch`)).text()).toBe('');
    expect(await (await post(s, '/mj/task/list-by-condition', { ids: [id] })).json()).toEqual([]);
    s.clock.advance(3_000);
    expect((await fetchTask(s, id)).id).toBe(id);
  });

  it('accepts Bearer and mj-api-secret per authStyle; 401 shapes per flavor; images need no auth', async () => {
    const both = await standIn();
    const id = both.createTask({ status: 'SUCCESS' });
    const path = `/mj/task/${id}/fetch`;
    expect((await get(both, path, { 'mj-api-secret': 'sk-test-key' })).status).toBe(200);
    expect((await get(both, path)).status).toBe(200);
    const wrong = await get(both, path, { authorization: 'Bearer sk-wrong' });
    expect([wrong.status, await wrong.text()]).toEqual([401, '']);
    expect((await get(both, path, {})).status).toBe(401);
    expect((await get(both, `/images/${id}.png`, {})).status).toBe(200);
    const bearerOnly = await standIn({ authStyle: 'bearer', apiKey: 'k1' });
    expect((await get(bearerOnly, '/mj/task/list', { 'mj-api-secret': 'k1' })).status).toBe(401);
    const secretOnly = await standIn({ authStyle: 'mj-api-secret', apiKey: 'k2' });
    expect((await get(secretOnly, '/mj/task/list', { authorization: 'Bearer k2' })).status).toBe(401);
    expect((await get(secretOnly, '/mj/task/list', { 'mj-api-secret': 'k2' })).status).toBe(200);
    const agg = await standIn({ flavor: 'aggregator' });
    const denied = await get(agg, path, {});
    expect([denied.status, await denied.json()]).toEqual([401, { error: { message: '无效的令牌', type: 'new_api_error' } }]);
  });

  it('serves list-by-condition (unknown ids omitted) unless disabled, under a path prefix', async () => {
    const s = await standIn({ pathPrefix: '/v1' });
    expect(s.baseUrl).toBe(`${s.origin}/v1`);
    const ids = [s.createTask(), s.createTask({ status: 'SUCCESS' })];
    const list = (await (await post(s, '/mj/task/list-by-condition', { ids: [ids[1], '1234', ids[0]] })).json()) as { id: string }[];
    expect(list.map((t) => t.id)).toEqual([ids[1], ids[0]]);
    expect((await fetch(`${s.origin}/mj/task/${ids[0]}/fetch`, { headers: bearer(s) })).status).toBe(404);
    expect(s.countRequests('list-by-condition')).toBe(1);
    expect(s.requests[0]).toMatchObject({ method: 'POST', route: 'list-by-condition', body: { ids: [ids[1], '1234', ids[0]] } });
    const without = await standIn({ listByCondition: false });
    expect((await post(without, '/mj/task/list-by-condition', { ids })).status).toBe(404);
  });

  it('serves a PNG (padded to imageBytes) and WebP previews', async () => {
    const s = await standIn();
    s.nextTask({ imageBytes: 2_000_000 });
    const { result: id } = await imagine(s);
    s.clock.advance(4_000);
    const preview = await fetch(String((await fetchTask(s, id)).imageUrl));
    expect([preview.headers.get('content-type'), Buffer.from(await preview.arrayBuffer()).subarray(8, 12).toString()]).toEqual(['image/webp', 'WEBP']);
    s.clock.advance(20_000);
    const png = Buffer.from(await (await fetch(String((await fetchTask(s, id)).imageUrl))).arrayBuffer());
    expect([png.length, png.subarray(1, 4).toString()]).toEqual([2_000_000, 'PNG']);
    expect((await fetch(`${s.baseUrl}/images/1234567890123456.png`)).status).toBe(404);
  });
});

describe('notifyHook delivery', () => {
  it('posts every state change in order as the clock advances, plus pushNow / pushRaw', async () => {
    const received: { status: string; progress: string }[] = [];
    const receiver = createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c)).on('end', () => {
        const body = JSON.parse(text);
        received.push({ status: body.status, progress: body.progress });
        res.end('ok');
      });
    });
    receivers.push(receiver);
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const s = await standIn();
    const { result: id } = await imagine(s, { prompt: 'a cat', notifyHook: hook, state: 'corr-1' });
    s.clock.advance(60_000);
    await s.flushHooks();
    expect(received.map((r) => `${r.status} ${r.progress}`)).toEqual([
      'SUBMITTED 0%', 'IN_PROGRESS 0%', 'IN_PROGRESS 15%', 'IN_PROGRESS 31%', 'IN_PROGRESS 46%',
      'IN_PROGRESS 62%', 'IN_PROGRESS 78%', 'IN_PROGRESS 93%', 'SUCCESS 100%',
    ]);
    expect(s.task(id)).toMatchObject({ state: 'corr-1', properties: { notifyHook: hook } });
    expect((await s.pushNow(id)).httpStatus).toBe(200);
    expect(await s.pushRaw(hook, { status: 'IN_PROGRESS', progress: '15%' })).toEqual({ status: 200 });
    expect(received.slice(-2).map((r) => r.status)).toEqual(['SUCCESS', 'IN_PROGRESS']);
    s.createTask({ notifyHook: 'http://127.0.0.1:9/unreachable' });
    await s.flushHooks();
    expect(s.hookDeliveries.at(-1)).toMatchObject({ httpStatus: null });
  });
});

describe('scale', () => {
  it('holds 10,000 tasks and answers list-by-condition for 100 ids in well under 100 ms', async () => {
    const s = await standIn();
    const ids = Array.from({ length: 10_000 }, (_, i) => s.createTask({ status: i % 2 ? 'SUCCESS' : 'IN_PROGRESS' }));
    expect(new Set(ids).size).toBe(10_000);
    expect(ids.every((id) => /^\d{16}$/.test(id))).toBe(true);
    const batch = ids.slice(5_000, 5_100);
    await post(s, '/mj/task/list-by-condition', { ids: batch.slice(0, 1) }); // warm the connection
    const started = performance.now();
    const res = await post(s, '/mj/task/list-by-condition', { ids: batch });
    const list = (await res.json()) as unknown[];
    expect(performance.now() - started).toBeLessThan(100);
    expect(list).toHaveLength(100);
  });
});
