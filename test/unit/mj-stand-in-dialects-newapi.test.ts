// The new-api dialect (Calcium-Ion/new-api @ ef8ae4d, in front of a fork): its OpenAI-style errors from
// the auth and distributor middleware, code rewriting, the 15 s refresh on the stand-in clock, and the
// two rows it keeps after a modal. Each test names the source lines it follows.
import { afterEach, describe, expect, it } from 'vitest';
import { button, closeOpened, credentials, get, json, post, standIn } from './mj-stand-in-client.js';
import type { MjStandIn } from '../support/mj/index.js';

afterEach(closeOpened);

const REQUEST_ID = /\(request id: \w+\)$/;
const fetchJson = async (s: MjStandIn, id: string) => json(await get(s, `/mj/task/${id}/fetch`, credentials(s)));
const action = (s: MjStandIn, taskId: string, customId: string) =>
  post(s, '/mj/submit/action', { taskId, customId }, credentials(s));
const rows = async (s: MjStandIn, id: string) =>
  (await (await post(s, '/mj/task/list-by-condition', { ids: [id] }, credentials(s))).json()) as Record<string, any>[];
/** A fork upscale polled once by new-api, with its Custom Zoom / Animate buttons. */
async function upscaled(s: MjStandIn) {
  const id = s.createTask({ status: 'SUCCESS', action: 'UPSCALE', prompt: 'a fox' });
  s.clock.advance(15_000);
  return { id, task: await fetchJson(s, id) };
}

describe('new-api errors outside the MJ envelope', () => {
  it('a button it cannot bill is HTTP 400 "Invalid request, unknown_action:…" (distributor.go L37-41, service/midjourney.go L124-126)', async () => {
    const s = await standIn({ dialect: 'newapi' });
    const { id, task } = await upscaled(s);
    const animate = button(task, 'Animate (High motion)');
    const res = await action(s, id, animate);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.type).toBe('new_api_error');
    expect(body.error.message).toMatch(
      new RegExp(`^Invalid request, unknown_action:${animate} \\(request id: \\w+\\)$`),
    );
    expect('code' in body).toBe(false);
  });

  it('a missing customId is the same 400 with custom_id_is_required (service/midjourney.go L74-76)', async () => {
    const s = await standIn({ dialect: 'newapi' });
    const res = await post(s, '/mj/submit/action', { taskId: '1' }, credentials(s));
    expect([res.status, (await json(res)).error.message]).toEqual([
      400,
      expect.stringMatching(/^Invalid request, custom_id_is_required/),
    ]);
  });

  it('an exhausted token is 401 该令牌额度已用尽 (model/token.go L78-82, auth.go L206-208)', async () => {
    const s = await standIn({ dialect: 'newapi' });
    s.setServerState({ tokenStatus: 'exhausted' });
    const res = await post(s, '/mj/submit/imagine', { prompt: 'a cat' }, credentials(s));
    expect(res.status).toBe(401);
    expect((await json(res)).error.message).toMatch(/^该令牌额度已用尽 TokenStatusExhausted\[sk-tes\*\*\*est\] /);
  });

  it('an expired token is 401 该令牌已过期 (model/token.go L83-84)', async () => {
    const s = await standIn({ dialect: 'newapi' });
    s.setServerState({ tokenStatus: 'expired' });
    const res = await get(s, '/mj/task/1/fetch', credentials(s));
    expect([res.status, (await json(res)).error.message]).toEqual([401, expect.stringMatching(/^该令牌已过期 /)]);
  });

  it('a model the token may not use is 403 该令牌无权访问模型 mj_upscale (distributor.go L61-92)', async () => {
    const s = await standIn({ dialect: 'newapi' });
    const { id, task } = await upscaled(s);
    const grid = s.createTask({ status: 'SUCCESS' });
    s.clock.advance(15_000);
    const gridTask = await fetchJson(s, grid);
    s.setServerState({ tokenModels: ['mj_imagine', 'mj_variation'] });
    expect((await action(s, id, button(task, 'Vary (Subtle)'))).status).toBe(403);
    const u1 = await action(s, grid, button(gridTask, 'U1'));
    const body = await json(u1);
    expect([u1.status, body.error.message]).toEqual([403, expect.stringMatching(/^该令牌无权访问模型 mj_upscale /)]);
    expect((await post(s, '/mj/submit/imagine', { prompt: 'a cat' }, credentials(s))).status).toBe(200);
  });

  it('with model limits even /fetch is refused: its model is "" (distributor.go L61-65, code reading)', async () => {
    const s = await standIn({ dialect: 'newapi' });
    const id = s.createTask({ status: 'SUCCESS' });
    s.setServerState({ tokenModels: ['mj_imagine'] });
    const res = await get(s, `/mj/task/${id}/fetch`, credentials(s));
    expect([res.status, (await json(res)).error.message]).toEqual([403, expect.stringMatching(REQUEST_ID)]);
  });
});

describe('new-api submit codes', () => {
  it('rewrites 22 → 1 but keeps properties.numberOfQueues and the description (relay-mj.go L599-603)', async () => {
    const s = await standIn({ dialect: 'newapi' });
    s.nextSubmit('imagine', { code: 22, numberOfQueues: 3 });
    expect(await json(await post(s, '/mj/submit/imagine', { prompt: 'a cat' }, credentials(s)))).toMatchObject({
      code: 1,
      description: '排队中，前面还有3个任务',
      properties: { numberOfQueues: 3 },
    });
  });

  it('rewrites a Remix 21 → 1, so the task just sits in MODAL (relay-mj.go L582-585)', async () => {
    const s = await standIn({ dialect: 'newapi', remix: true });
    const grid = s.createTask({ status: 'SUCCESS' });
    s.clock.advance(15_000);
    const v1 = await json(await action(s, grid, button(await fetchJson(s, grid), 'V1')));
    expect(v1.code).toBe(1);
    s.clock.advance(15_000);
    expect(await fetchJson(s, v1.result)).toMatchObject({ status: 'MODAL', action: 'VARIATION' });
  });

  it('a banned prompt is accepted and fails later, as the fork behind it checks after submit', async () => {
    const s = await standIn({ dialect: 'newapi', bannedWords: ['nude'] });
    const reply = await json(await post(s, '/mj/submit/imagine', { prompt: 'nude body' }, credentials(s)));
    expect(reply.code).toBe(1);
    s.clock.advance(30_000);
    expect(await fetchJson(s, reply.result)).toMatchObject({ status: 'FAILURE', progress: '100%' });
  });
});

describe('new-api refresh cadence (controller/midjourney.go L21-30: every 15 s)', () => {
  it('serves status "" until its first poll, then moves only on 15 s steps of the stand-in clock', async () => {
    const s = await standIn({ dialect: 'newapi' });
    const { result: id } = await json(await post(s, '/mj/submit/imagine', { prompt: 'a cat' }, credentials(s)));
    expect((await fetchJson(s, id)).status).toBe('');
    s.clock.advance(14_999);
    expect((await fetchJson(s, id)).status).toBe('');
    s.clock.advance(1);
    expect(await fetchJson(s, id)).toMatchObject({ status: 'IN_PROGRESS', properties: { finalPrompt: 'a cat' } });
    s.clock.advance(15_000);
    expect((await fetchJson(s, id)).status).toBe('SUCCESS');
  });
});

describe('new-api keeps two rows with the same id after /submit/modal (relay-mj.go L414-420, L529-547, L591)', () => {
  async function zoomed(s: MjStandIn) {
    const { id, task } = await upscaled(s);
    const zoom = await json(await action(s, id, button(task, 'Custom Zoom')));
    s.clock.advance(15_000);
    expect(await fetchJson(s, zoom.result)).toMatchObject({ status: 'MODAL', action: 'CUSTOM_ZOOM' });
    const confirm = await json(
      await post(s, '/mj/submit/modal', { taskId: zoom.result, prompt: 'a fox --zoom 1.5' }, credentials(s)),
    );
    expect(confirm).toMatchObject({ code: 1, result: zoom.result });
    return zoom.result as string;
  }

  it('/fetch returns the older row, which stays MODAL forever (model/midjourney.go L112-120 First())', async () => {
    const s = await standIn({ dialect: 'newapi' });
    const id = await zoomed(s);
    s.clock.advance(2 * 3_600_000);
    expect(await fetchJson(s, id)).toMatchObject({ id, status: 'MODAL', action: 'CUSTOM_ZOOM' });
  });

  it('list-by-condition returns both rows; only the newer (action MODAL) one is polled (controller/midjourney.go L36-43)', async () => {
    const s = await standIn({ dialect: 'newapi' });
    const id = await zoomed(s);
    expect((await rows(s, id)).map((r) => [r.id, r.action, r.status])).toEqual([
      [id, 'CUSTOM_ZOOM', 'MODAL'],
      [id, 'MODAL', ''],
    ]);
    s.clock.advance(30_000);
    expect((await rows(s, id)).map((r) => [r.status, r.prompt])).toEqual([
      ['MODAL', 'a fox'],
      ['SUCCESS', 'a fox --zoom 1.5'],
    ]);
  });
});
