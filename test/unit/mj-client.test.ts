// The real MJ client against a canned HTTP server on 127.0.0.1: fixtures, auth styles, base URLs,
// request bodies, id validation, big ids, chunking, keep-alive. Error kinds: mj-client-errors.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMjClient } from '../../src/mj/client.js';
import { closedPort } from '../support/http-fixture-server.js';
import { FIXTURE_KEY as KEY, mjClientFixture, mjRejection as rejection } from '../support/mj-client-fixture.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/mj/${name}`, import.meta.url), 'utf8');
const w = mjClientFixture();
const client = w.client.bind(w);

describe('fixtures from real APIs', () => {
  it.each([
    ['fetch-imagine-success-seed-example.json', '1730621826053455'],
    ['fetch-imagine-success-v6.1-newapi-shape-key4u.json', '1730621826053455'],
    ['fetch-imagine-success-dmxapi-aggregator.json', '1747132423020537'],
  ])('fetchTask parses %s', async (file, id) => {
    w.server.on('GET', `/mj/task/${id}/fetch`, { body: fixture(file) });
    const task = await client().fetchTask(id);
    expect(task.id).toBe(id);
    expect(task.status).toBe('SUCCESS');
    expect(task.progress).toBe('100%');
    expect(task.imageUrl).toMatch(/^https:\/\//);
    expect(task.buttons.length).toBeGreaterThanOrEqual(4);
    expect(task.buttons[0]).toMatchObject({ label: 'U1', type: 2, style: 2 });
    expect(task.buttons[0]?.customId).toMatch(/^MJ::JOB::upsample::1::/);
  });

  it('fetchTasks parses the list-by-condition fixture', async () => {
    w.server.on('POST', '/mj/task/list-by-condition', { body: fixture('list-by-condition-newapi-shape-key4u.json') });
    const tasks = await client().fetchTasks(['1730621826053455']);
    expect(tasks.length).toBeGreaterThanOrEqual(1);
    expect(tasks[0]).toMatchObject({ id: '1730621826053455', status: 'SUCCESS', action: 'IMAGINE' });
    expect(JSON.parse(w.server.requests[0]!.body)).toEqual({ ids: ['1730621826053455'] });
  });

  it.each([
    ['submit-code1-success-nzk-docs.json', 1, '8498455807619990'],
    ['submit-code21-existed-nzk-docs.json', 21, '0741798445574458'],
    ['submit-code22-queued-nzk-docs.json', 22, '0741798445574458'],
    ['submit-code23-queue-full-nzk-docs.json', 23, '14001929738841620'],
    ['submit-code24-banned-nzk-docs.json', 24, null],
  ])('submitImagine returns %s as a SubmitResult (code %i)', async (file, code, result) => {
    w.server.on('POST', '/mj/submit/imagine', { body: fixture(file) });
    const res = await client().submitImagine({ prompt: 'cat' });
    expect(res.code).toBe(code);
    expect(res.result).toBe(result);
    expect(res.description).not.toBe('');
  });

  it('keeps the properties of a submit answer (code 22 queue position, code 24 banned word)', async () => {
    w.server.on('POST', '/mj/submit/imagine', { body: fixture('submit-code22-queued-nzk-docs.json') });
    w.server.on('POST', '/mj/submit/action', { body: fixture('submit-code24-banned-nzk-docs.json') });
    const c = client();
    expect((await c.submitImagine({ prompt: 'x' })).properties).toMatchObject({ numberOfQueues: 1 });
    expect((await c.submitAction({ taskId: '1', customId: 'MJ::x' })).properties).toMatchObject({ bannedWord: 'nude' });
  });
});

describe('auth and base URL', () => {
  const okTask = { body: { id: 'abc', status: 'SUCCESS' } };

  it('sends Authorization: Bearer <key> and no mj-api-secret in bearer mode', async () => {
    w.server.on('GET', '/mj/task/abc/fetch', okTask);
    await client({ authHeader: 'bearer' }).fetchTask('abc');
    expect(w.server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(w.server.requests[0]!.headers['mj-api-secret']).toBeUndefined();
  });

  it('sends mj-api-secret: <key> and no Authorization in mj-api-secret mode', async () => {
    w.server.on('GET', '/mj/task/abc/fetch', okTask);
    await client({ authHeader: 'mj-api-secret' }).fetchTask('abc');
    expect(w.server.requests[0]!.headers['mj-api-secret']).toBe(KEY);
    expect(w.server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('does not double a "Bearer " the operator already put in the key', async () => {
    w.server.on('GET', '/mj/task/abc/fetch', okTask);
    await client({ apiKey: `Bearer ${KEY}` }).fetchTask('abc');
    expect(w.server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it.each([
    ['no trailing slash', '', '/mj/task/abc/fetch'],
    ['a trailing slash', '/', '/mj/task/abc/fetch'],
    ['a path prefix with a trailing slash', '/v1/', '/v1/mj/task/abc/fetch'],
    ['a nested prefix without a trailing slash', '/api/mj-proxy', '/api/mj-proxy/mj/task/abc/fetch'],
  ])('base URL with %s', async (_name, suffix, expectedPath) => {
    w.server.on('GET', expectedPath, okTask);
    const task = await client({ baseUrl: `${w.server.url}${suffix}` }).fetchTask('abc');
    expect(task.id).toBe('abc');
    expect(w.server.requests.map((r) => r.url)).toEqual([expectedPath]);
  });

  it('accepts an https base URL (reaching a closed port is a network error, not a config error)', async () => {
    const port = await closedPort();
    const err = await rejection(client({ baseUrl: `https://127.0.0.1:${port}/v1/` }).fetchTask('abc'));
    expect(err.kind).toBe('network');
  });

  it.each(['ftp://127.0.0.1/', 'not a url', 'http://user:hunter2@127.0.0.1/', 'http://127.0.0.1/?key=hunter2'])(
    'refuses the base URL %s without echoing it',
    (baseUrl) => {
      expect(() => createMjClient({ baseUrl, apiKey: KEY, authHeader: 'bearer' })).toThrow(/base URL/);
      try {
        createMjClient({ baseUrl, apiKey: KEY, authHeader: 'bearer' });
      } catch (e) {
        expect(String(e)).not.toContain('hunter2');
      }
    },
  );

  it.each(['', '   ', 'sk-abc\r\nx-evil: 1', 'sk-with space'])(
    'refuses the API key %j without echoing it',
    (apiKey) => {
      expect(() => createMjClient({ baseUrl: w.server.url, apiKey, authHeader: 'mj-api-secret' })).toThrow(
        /^The Midjourney API key is empty or contains invalid characters\.$/,
      );
    },
  );
});

describe('task ids', () => {
  const hostile = [
    '',
    '   ',
    '../x',
    'a/b',
    '%2e%2e',
    '%2F',
    'a'.repeat(65),
    'a b',
    'a.b',
    '..',
    'x\ny',
    '?q=1',
    'a#b',
  ];

  it.each(hostile)('rejects %j with kind invalid_id and sends nothing', async (bad) => {
    const c = client();
    for (const call of [
      () => c.fetchTask(bad),
      () => c.fetchTasks(['1730621826053455', bad]),
      () => c.submitAction({ taskId: bad, customId: 'MJ::JOB::upsample::1::x' }),
      () => c.submitModal({ taskId: bad, prompt: 'p' }),
    ]) {
      const err = await rejection(call());
      expect(err.kind).toBe('invalid_id');
      expect(err.message.length).toBeLessThan(100);
    }
    expect(w.server.requests).toHaveLength(0);
  });

  it('trims a valid id and accepts 64 characters', async () => {
    const long = `A_-9${'z'.repeat(60)}`;
    w.server.on('GET', '/mj/task/abc/fetch', { body: { id: 'abc' } });
    w.server.on('GET', `/mj/task/${long}/fetch`, { body: { id: long } });
    const c = client();
    expect((await c.fetchTask('  abc \n')).id).toBe('abc');
    expect((await c.fetchTask(long)).id).toBe(long);
  });

  it('keeps 19-digit ids exact in fetch, list and submit answers', async () => {
    const big = '1234567890123456789';
    w.server.on('GET', `/mj/task/${big}/fetch`, {
      body: `{"id":${big},"status":"IN_PROGRESS","progress":"12%","properties":{"discordInstanceId":1118138338562560102}}`,
    });
    w.server.on('POST', '/mj/task/list-by-condition', {
      body: `[{"id": ${big}, "status":"SUCCESS"}, {"id":9223372036854775807}]`,
    });
    w.server.on('POST', '/mj/submit/action', { body: `{"code":1,"description":"ok","result":${big}}` });
    w.server.on('POST', '/mj/submit/imagine', {
      body: `{"code":1,"description":"ok","result":[${big}, 9223372036854775807]}`,
    });
    const c = client();
    expect((await c.fetchTask(big)).id).toBe(big);
    expect((await c.fetchTasks([big])).map((t) => t.id)).toEqual([big, '9223372036854775807']);
    expect((await c.submitAction({ taskId: big, customId: 'MJ::x' })).result).toBe(big);
    expect((await c.submitImagine({ prompt: 'p' })).result).toEqual([big, '9223372036854775807']);
  });
});

describe('fetchTasks', () => {
  const echoIds = (req: { body: string }) => ({
    body: (JSON.parse(req.body) as { ids: string[] }).ids.map((id) => ({ id, status: 'SUCCESS' })),
  });

  it('returns [] for no ids without a request', async () => {
    expect(await client().fetchTasks([])).toEqual([]);
    expect(w.server.requests).toHaveLength(0);
  });

  it('splits 250 ids into 3 requests of at most 100 and concatenates the answers in order', async () => {
    w.server.on('POST', '/mj/task/list-by-condition', echoIds);
    const ids = Array.from({ length: 250 }, (_, i) => `task${i}`);
    const tasks = await client().fetchTasks(ids);
    expect(tasks.map((t) => t.id)).toEqual(ids);
    const sizes = w.server.requests
      .map((r) => (JSON.parse(r.body) as { ids: string[] }).ids.length)
      .sort((a, b) => b - a);
    expect(sizes).toEqual([100, 100, 50]);
    expect(
      w.server.requests.every((r) => r.method === 'POST' && r.headers['content-type'] === 'application/json'),
    ).toBe(true);
  });

  it('asks once for a repeated id', async () => {
    w.server.on('POST', '/mj/task/list-by-condition', echoIds);
    await client().fetchTasks(['a', 'b', 'a', ' b ']);
    expect(JSON.parse(w.server.requests[0]!.body)).toEqual({ ids: ['a', 'b'] });
  });

  it.each([['result'], ['data']])('accepts a list wrapped as {%s:[…]}', async (key) => {
    w.server.on('POST', '/mj/task/list-by-condition', { body: { [key]: [{ id: 'a', status: 'success' }] } });
    expect(await client().fetchTasks(['a'])).toMatchObject([{ id: 'a', status: 'SUCCESS' }]);
  });
});

describe('submit bodies', () => {
  const ok = { body: { code: 1, description: 'ok', result: '1' } };

  it('submitAction sends taskId and customId, and callbacks only when set', async () => {
    w.server.on('POST', '/mj/submit/action', ok);
    const c = client();
    await c.submitAction({ taskId: 't1', customId: 'MJ::JOB::upsample::1::u' });
    await c.submitAction({ taskId: 't1', customId: 'MJ::c', notifyHook: 'http://127.0.0.1:1/hook', state: 's1' });
    await c.submitAction({ taskId: 't1', customId: 'MJ::c', notifyHook: '', state: '' });
    expect(w.server.requests.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { taskId: 't1', customId: 'MJ::JOB::upsample::1::u' },
      { taskId: 't1', customId: 'MJ::c', notifyHook: 'http://127.0.0.1:1/hook', state: 's1' },
      { taskId: 't1', customId: 'MJ::c' },
    ]);
    expect(w.server.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('submitModal sends maskBase64 only when set; submitImagine sends base64Array only when non-empty', async () => {
    w.server.on('POST', '/mj/submit/modal', ok);
    w.server.on('POST', '/mj/submit/imagine', ok);
    const c = client();
    await c.submitModal({ taskId: 'm1', prompt: 'a cat' });
    await c.submitModal({ taskId: 'm1', prompt: 'a cat', maskBase64: 'data:image/png;base64,AAA' });
    await c.submitImagine({ prompt: 'dog', base64Array: [] });
    await c.submitImagine({ prompt: 'dog', base64Array: ['data:image/png;base64,BBB'], state: 'st' });
    expect(w.server.requests.map((r) => [r.url, JSON.parse(r.body) as unknown])).toEqual([
      ['/mj/submit/modal', { taskId: 'm1', prompt: 'a cat' }],
      ['/mj/submit/modal', { taskId: 'm1', prompt: 'a cat', maskBase64: 'data:image/png;base64,AAA' }],
      ['/mj/submit/imagine', { prompt: 'dog' }],
      ['/mj/submit/imagine', { prompt: 'dog', base64Array: ['data:image/png;base64,BBB'], state: 'st' }],
    ]);
  });
});

describe('connections', () => {
  // With a single socket, an undrained body would block the next request until it timed out.
  it('drains every body, error answers included, so one keep-alive socket serves them all', async () => {
    w.server.on('GET', '/mj/task/ok/fetch', { body: { id: 'ok' } });
    w.server.on('GET', '/mj/task/boom/fetch', { status: 500, body: 'x'.repeat(200_000) });
    w.server.on('GET', '/mj/task/gone/fetch', { status: 404, body: 'not here' });
    const c = client({ connections: 1, timeoutMs: 300 });
    await c.fetchTask('ok');
    await expect(c.fetchTask('boom')).rejects.toMatchObject({ kind: 'upstream' });
    await expect(c.fetchTask('gone')).rejects.toMatchObject({ kind: 'not_found' });
    await c.fetchTask('ok');
    expect(w.server.requests).toHaveLength(4);
    expect(w.server.connectionCount).toBe(1);
  });

  it('close() can be called twice; a request after it is a network error', async () => {
    const c = client();
    await c.close();
    await c.close();
    expect((await rejection(c.fetchTask('abc'))).kind).toBe('network');
    expect(w.server.requests).toHaveLength(0);
  });
});
