// The Midjourney stand-in's faults, unknown ids, auth styles and routes, notifyHook deliveries and
// scale, over real HTTP on 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeOpened, receivers, standIn, bearer, get, post, fetchTask, imagine } from './mj-stand-in-client.js';

afterEach(closeOpened);

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
    expect([html.status, html.headers.get('content-type'), (await html.text()).includes('<html>')]).toEqual([
      502,
      'text/html',
      true,
    ]);
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
    let release: () => void = () => undefined;
    s.fault('imagine', { kind: 'held', until: new Promise<void>((r) => (release = r)) }, 1);
    let answered = false;
    const held = imagine(s).then((body) => {
      answered = true;
      return body;
    });
    // Other requests go on meanwhile; the held one waits for its release.
    expect((await fetchTask(s, id)).id).toBe(id);
    expect(answered).toBe(false);
    release();
    expect((await held).result).toMatch(/^\d+$/);
    s.fault(id, { kind: 'unknownId', shape: 'empty200' });
    expect(await (await post(s, '/mj/task/list-by-condition', { ids: [id] })).json()).toEqual([]);
    s.clearFaults();
    expect((await fetchTask(s, id)).id).toBe(id);
  });

  it('answers unknown ids in each shape and hides new tasks for unknownForMs', async () => {
    for (const [shape, status] of [
      ['empty200', 200],
      ['204', 204],
      ['404', 404],
      ['400', 400],
    ] as const) {
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
    expect([denied.status, await denied.json()]).toEqual([
      401,
      { error: { message: '无效的令牌', type: 'new_api_error' } },
    ]);
  });

  it('serves list-by-condition (unknown ids omitted) unless disabled, under a path prefix', async () => {
    const s = await standIn({ pathPrefix: '/v1' });
    expect(s.baseUrl).toBe(`${s.origin}/v1`);
    const ids = [s.createTask(), s.createTask({ status: 'SUCCESS' })];
    const list = (await (await post(s, '/mj/task/list-by-condition', { ids: [ids[1], '1234', ids[0]] })).json()) as {
      id: string;
    }[];
    expect(list.map((t) => t.id)).toEqual([ids[1], ids[0]]);
    expect((await fetch(`${s.origin}/mj/task/${ids[0]}/fetch`, { headers: bearer(s) })).status).toBe(404);
    expect(s.countRequests('list-by-condition')).toBe(1);
    expect(s.countIdsAsked()).toBe(3); // unknown ids count: the bot asked about them
    await post(s, '/mj/task/list-by-condition', { ids: [ids[0], ids[0]] });
    await fetch(`${s.baseUrl}/mj/task/${ids[0]}/fetch`, { headers: bearer(s) });
    expect(s.countIdsAsked()).toBe(5); // a repeated id in one list is one question
    // ids[0] was asked three times within moments: twice "again soon", as two pollers would.
    expect(s.askStats()).toMatchObject({
      idsAsked: 5,
      askedAgainSoon: 2,
      askedAgainSoonBy: { 'list→list': 1, 'list→fetch': 1 },
      distinctIds: 3,
    });
    expect(s.requests[0]).toMatchObject({
      method: 'POST',
      route: 'list-by-condition',
      body: { ids: [ids[1], '1234', ids[0]] },
    });
    const without = await standIn({ listByCondition: false });
    expect((await post(without, '/mj/task/list-by-condition', { ids })).status).toBe(404);
  });

  it('tells two callers apart by the door they came through: an id they both ask at once is asked across', async () => {
    const s = await standIn({ pathPrefix: '/v1' });
    const [a, b] = [await s.baseUrlFor('a'), await s.baseUrlFor('b')];
    expect(new Set([s.baseUrl, a, b]).size).toBe(3);
    expect(a).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const id = s.createTask();
    const list = (base: string) =>
      fetch(`${base}/mj/task/list-by-condition`, {
        method: 'POST',
        headers: { ...bearer(s), 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [id] }),
      }).then((r) => r.json() as Promise<{ id: string }[]>);
    expect((await list(a)).map((t) => t.id)).toEqual([id]); // the same server behind every door
    await list(a); // a's own second ask: again soon, not across
    await list(b); // b right after a: across
    await fetch(`${b}/mj/task/${id}/fetch`, { headers: bearer(s) }); // b's own again: not across
    expect(s.askStats()).toMatchObject({ idsAsked: 4, askedAgainSoon: 3, askedAgainSoonAcross: 1 });
    await s.close(); // every door closes
    await expect(fetch(`${b}/mj/task/${id}/fetch`, { headers: bearer(s) })).rejects.toThrow();
  });

  it('serves a PNG (padded to imageBytes) and WebP previews', async () => {
    const s = await standIn();
    s.nextTask({ imageBytes: 2_000_000 });
    const { result: id } = await imagine(s);
    s.clock.advance(4_000);
    const preview = await fetch(String((await fetchTask(s, id)).imageUrl));
    expect([
      preview.headers.get('content-type'),
      Buffer.from(await preview.arrayBuffer())
        .subarray(8, 12)
        .toString(),
    ]).toEqual(['image/webp', 'WEBP']);
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
      req
        .on('data', (c) => (text += c))
        .on('end', () => {
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
      'SUBMITTED 0%',
      'IN_PROGRESS 0%',
      'IN_PROGRESS 15%',
      'IN_PROGRESS 31%',
      'IN_PROGRESS 46%',
      'IN_PROGRESS 62%',
      'IN_PROGRESS 78%',
      'IN_PROGRESS 93%',
      'SUCCESS 100%',
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
  // How fast it answers is the bench's business (the machine running tests may be busy).
  it('holds 10,000 tasks and answers list-by-condition for 100 of them', async () => {
    const s = await standIn();
    const ids = Array.from({ length: 10_000 }, (_, i) => s.createTask({ status: i % 2 ? 'SUCCESS' : 'IN_PROGRESS' }));
    expect(new Set(ids).size).toBe(10_000);
    expect(ids.every((id) => /^\d{16}$/.test(id))).toBe(true);
    const batch = ids.slice(5_000, 5_100);
    const res = await post(s, '/mj/task/list-by-condition', { ids: batch });
    const list = (await res.json()) as Array<{ id: string }>;
    expect(list.map((t) => t.id).sort()).toEqual([...batch].sort());
  });
});
