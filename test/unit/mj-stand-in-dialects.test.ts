// The stand-in's dialect profiles, where the four servers share a question and differ in the answer:
// auth, unknown ids, routes, the task lifecycle, code 21, /submit/modal on a task that is not MODAL and
// list-by-condition. Each row cites the source the profile follows (repo path, line). Server-specific
// behaviour is in mj-stand-in-dialects-proxies.test.ts and mj-stand-in-dialects-newapi.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { MjTaskSchema } from '../../src/mj/schema.js';
import type { DialectName } from '../support/mj/index.js';
import { button, closeOpened, credentials, finish, get, json, post, standIn } from './mj-stand-in-client.js';

afterEach(closeOpened);

const KEY = 'sk-test-key';
const DIALECTS: DialectName[] = ['nzk', 'fork', 'plus', 'newapi'];
const UNKNOWN = '/mj/task/1234567890123456/fetch';

describe('auth header rules', () => {
  const cases: [DialectName, string, Record<string, string>, number, string][] = [
    // novicezk support/ApiAuthorizeInterceptor.java L20-30: mj-api-secret only, bare 401.
    ['nzk', 'mj-api-secret', { 'mj-api-secret': KEY }, 200, ''],
    ['nzk', 'Bearer is never read', { authorization: `Bearer ${KEY}` }, 401, ''],
    // trueai-org WorkContext.cs L46-48 (Authorization, else Mj-Api-Secret, raw), SimpleAuthMiddleware.cs L116-120.
    ['fork', 'raw Authorization', { authorization: KEY }, 200, ''],
    ['fork', 'Mj-Api-Secret', { 'mj-api-secret': KEY }, 200, ''],
    ['fork', '"Bearer " is not stripped', { authorization: `Bearer ${KEY}` }, 401, 'Authorization header missing.'],
    ['fork', 'Authorization wins over a right secret', { authorization: 'x', 'mj-api-secret': KEY }, 401, ''],
    // plus: ASSUMPTION in dialects/plus.ts (NZK's interceptor).
    ['plus', 'mj-api-secret', { 'mj-api-secret': KEY }, 200, ''],
    ['plus', 'Bearer', { authorization: `Bearer ${KEY}` }, 401, ''],
    // new-api middleware/auth.go L185-208, model/token.go L73-114.
    ['newapi', 'Bearer sk-…', { authorization: `Bearer ${KEY}` }, 200, ''],
    ['newapi', 'mj-api-secret fallback', { 'mj-api-secret': KEY }, 200, ''],
    ['newapi', '"midjourney-proxy" falls back', { authorization: 'midjourney-proxy', 'mj-api-secret': KEY }, 200, ''],
    ['newapi', 'no token', {}, 401, '未提供令牌'],
    ['newapi', 'wrong token', { authorization: 'Bearer sk-other' }, 401, '无效的令牌'],
  ];
  it.each(cases)('%s: %s', async (dialect, _name, headers, status, text) => {
    const s = await standIn({ dialect, apiKey: KEY });
    const id = s.createTask({ status: 'SUCCESS' });
    const res = await get(s, `/mj/task/${id}/fetch`, headers);
    expect(res.status).toBe(status);
    const body = await res.text();
    if (status === 200) expect(JSON.parse(body)).toMatchObject({ id });
    else if (dialect === 'newapi') expect(JSON.parse(body).error).toMatchObject({ type: 'new_api_error' });
    else if (dialect === 'fork' && text !== '') expect([body, res.headers.get('content-type')]).toEqual([text, null]);
    if (dialect === 'newapi' && text !== '')
      expect(JSON.parse(body).error.message).toMatch(new RegExp(`^${text} \\(request id: \\w+\\)$`));
    if (dialect !== 'newapi' && dialect !== 'fork' && status === 401) expect(body).toBe('');
  });
});

describe('unknown task id', () => {
  const shapes: [DialectName, string, number, string][] = [
    ['nzk', 'controller/TaskController.java L37-42: null → 200, empty body', 200, ''],
    ['fork', 'Controllers/TaskController.cs L75-79: null ActionResult → 204', 204, ''],
    ['plus', 'ASSUMPTION: as NZK', 200, ''],
    [
      'newapi',
      'relay/relay-mj.go L296-304, controller/relay.go L313-323',
      400,
      '{"description":"task_no_found ","type":"upstream_error","code":4}',
    ],
  ];
  it.each(shapes)('%s (%s)', async (dialect, _source, status, body) => {
    const s = await standIn({ dialect });
    const res = await get(s, UNKNOWN, credentials(s));
    expect([res.status, await res.text()]).toEqual([status, body]);
  });
});

describe('which routes exist', () => {
  const routes: [DialectName, string, string, number][] = [
    // novicezk controller/SubmitController.java: no /submit/action or /submit/modal (Spring's 404 JSON).
    ['nzk', 'POST', '/mj/submit/action', 404],
    ['nzk', 'POST', '/mj/submit/modal', 404],
    ['nzk', 'GET', '/mj/task/1/image-seed', 404],
    ['nzk', 'POST', '/mj/submit/change', 200],
    ['nzk', 'POST', '/mj/task/list-by-ids', 404],
    // trueai-org: /submit/change removed in v10 (commit 5853eed); ASP.NET's 404 has no body.
    ['fork', 'POST', '/mj/submit/change', 404],
    ['fork', 'POST', '/mj/task/list-by-ids', 200],
    ['fork', 'GET', '/mj/task/list', 200],
    ['plus', 'POST', '/mj/submit/action', 200],
    // new-api router/relay-router.go L82-99: no /mj/task/list.
    ['newapi', 'GET', '/mj/task/list', 404],
    ['newapi', 'POST', '/mj/task/list-by-condition', 200],
    ['newapi', 'POST', '/mj/task/list-by-ids', 404],
  ];
  it.each(routes)('%s: %s %s → %i', async (dialect, method, path, status) => {
    const s = await standIn({ dialect });
    const res =
      method === 'GET' ? await get(s, path, credentials(s)) : await post(s, path, { ids: [] }, credentials(s));
    expect(res.status).toBe(status);
    if (dialect === 'fork' && status === 404) expect(await res.text()).toBe('');
    if (dialect === 'nzk' && status === 404)
      expect(await res.json()).toMatchObject({ status: 404, error: 'Not Found' });
  });
});

describe.each(DIALECTS)('%s: the lifecycle the bot parses', (dialect) => {
  it('imagine → SUCCESS, readable by the bot schema; buttons only where the server has them', async () => {
    const s = await standIn({ dialect });
    const submit = await json(await post(s, '/mj/submit/imagine', { prompt: 'a cat --v 6.1' }, credentials(s)));
    expect(submit.code).toBe(1);
    finish(s);
    const raw = await json(await get(s, `/mj/task/${submit.result}/fetch`, credentials(s)));
    expect(MjTaskSchema.parse(raw)).toMatchObject({ id: submit.result, status: 'SUCCESS' });
    // novicezk support/Task.java has no buttons field; the others carry the grid set.
    expect('buttons' in raw).toBe(dialect !== 'nzk');
  });
});

describe('code 21 for a task that waits for /submit/modal (Custom Zoom)', () => {
  const shapes: [Exclude<DialectName, 'nzk'>, string, Record<string, unknown>][] = [
    [
      'fork',
      'TaskService.cs L1697-1718',
      {
        code: 21,
        description: 'Waiting for window confirm',
        properties: { finalPrompt: 'a red apple on a table --v 6.1', remix: true },
      },
    ],
    ['plus', 'docs/api.md §3 @cd7ca8f: 窗口等待, no properties', { code: 21, description: '窗口等待' }],
    [
      'newapi',
      'relay-mj.go L582-585 keeps 21 for CUSTOM_ZOOM',
      { code: 21, description: 'Waiting for window confirm' },
    ],
  ];
  it.each(shapes)('%s (%s)', async (dialect, _source, expected) => {
    const s = await standIn({ dialect });
    const up = s.createTask({ status: 'SUCCESS', action: 'UPSCALE' });
    s.clock.advance(15_000);
    const reply = await json(
      await post(s, '/mj/submit/action', { taskId: up, customId: button(s.task(up)!, 'Custom Zoom') }, credentials(s)),
    );
    expect(reply).toMatchObject(expected);
    expect('properties' in reply).toBe(dialect !== 'plus');
  });
});

describe('/submit/modal on a task that is not MODAL', () => {
  const cases: [Exclude<DialectName, 'nzk'>, string, number][] = [
    // trueai-org SubmitController.cs L700-773: no status check; the re-enqueued job is skipped.
    ['fork', 'accepted, prompt dropped', 1],
    ['plus', 'ASSUMPTION: refused with 关联任务状态错误', 4],
    // new-api relay-mj.go L426-430 skips its SUCCESS check for modals; the fork behind it accepts.
    ['newapi', 'accepted, prompt dropped', 1],
  ];
  it.each(cases)('%s: %s', async (dialect, _what, code) => {
    const s = await standIn({ dialect });
    const grid = s.createTask({ status: 'SUCCESS', prompt: 'a fox' });
    s.clock.advance(15_000);
    const v1 = await json(
      await post(s, '/mj/submit/action', { taskId: grid, customId: button(s.task(grid)!, 'V1') }, credentials(s)),
    );
    expect(v1.code).toBe(1);
    const modal = await json(
      await post(s, '/mj/submit/modal', { taskId: v1.result, prompt: 'an edited fox' }, credentials(s)),
    );
    expect([modal.code, modal.result ?? null]).toEqual([code, code === 1 ? v1.result : null]);
    finish(s);
    // new-api's newest row is the last one of list-by-condition (its /fetch serves the older row).
    const rows = (await (
      await post(s, '/mj/task/list-by-condition', { ids: [v1.result] }, credentials(s))
    ).json()) as Record<string, unknown>[];
    expect(rows.at(-1)).toMatchObject({ status: 'SUCCESS', prompt: 'a fox' });
  });
});

describe.each(DIALECTS)('%s: list-by-condition {ids}', (dialect) => {
  // NZK TaskController.java L60-81, FORK TaskController.cs L189-207, new-api relay-mj.go L313-341.
  it('returns the known tasks, omits unknown ids, and [] without ids', async () => {
    const s = await standIn({ dialect });
    const a = s.createTask({ status: 'SUCCESS' });
    const b = s.createTask({ status: 'IN_PROGRESS', progress: '46%' });
    const list = (await (
      await post(s, '/mj/task/list-by-condition', { ids: [a, '9999999999999999', b] }, credentials(s))
    ).json()) as { id: string }[];
    expect(list.map((t) => t.id).sort()).toEqual([a, b].sort());
    const none = await post(s, '/mj/task/list-by-condition', {}, credentials(s));
    expect(await none.json()).toEqual([]);
  });
});
