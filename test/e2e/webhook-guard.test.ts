// The notifyHook receiver against everything that is not a good push: a wrong secret, oversized and
// broken bodies, broken HTTP, and GET /healthz. Each is answered without detail, nothing reaches
// Discord, and the bot keeps serving. The secret never shows up in logs or in anything sent out.
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { editsOf, imagine, resultsOf, startTrackingHarness } from '../support/tracking-e2e.js';

const SECRET = 'guard-Secret_7f3a9c1e5b2d8046aa';
const MAX_BODY = 256 * 1024;
/** The state a message's first line ends with ("15%"); the id line follows it. */
const stateOf = (content: string | undefined): string => /\(([^)]*)\)$/m.exec(content ?? '')?.[1] ?? '';

let h: Harness;
let origin: string;

beforeAll(async () => {
  h = await startTrackingHarness({
    webhook: true,
    env: { WEBHOOK_SECRET: SECRET, POLL_FAST_MS: '600000', POLL_SLOW_MS: '600000' },
  });
  origin = new URL(h.notifyUrl!).origin;
});
afterAll(async () => {
  await h?.close();
});

interface Answer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One request over node:http, a fresh connection each. (Not undici: a test file that loads undici 7
 * before discord.js makes it the process-wide dispatcher, and discord.js's multipart uploads hang on it.)
 * An array body is written chunk by chunk without a Content-Length (chunked encoding).
 */
function send(method: string, path: string, body?: string | Buffer[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (typeof body === 'string') headers['content-length'] = String(Buffer.byteLength(body));
    let answered = false;
    const req = request(`${origin}${path}`, { method, headers, agent: false }, (res) => {
      answered = true;
      let text = '';
      const done = () => resolve({ status: res.statusCode ?? 0, text, headers: res.headers });
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', done);
      res.on('close', done);
    });
    // After a 413 the server closes while we may still be writing: once it has answered, that is fine.
    req.on('error', (err) => answered || reject(err));
    if (Array.isArray(body)) for (const chunk of body) req.write(chunk);
    else if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Writes raw bytes on a fresh connection and returns what came back before the server closed it. */
function raw(bytes: string, endAfterWrite = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(origin).port), '127.0.0.1');
    let got = '';
    socket.setTimeout(3_000, () => socket.destroy(new Error('no answer')));
    socket.on('data', (d) => (got += d.toString('utf8')));
    socket.on('close', () => resolve(got));
    socket.on('error', (e) => (got ? resolve(got) : reject(e)));
    socket.write(bytes, () => endAfterWrite && socket.end());
  });
}

/**
 * A task followed by the bot, at 15%, and the JSON of a later state (46%) to push. The API already
 * says 46% (patched, so the stand-in pushes nothing itself): a push is a hint, and the re-read it brings
 * shows what the API says.
 */
async function followedTask(prompt: string) {
  const started = await imagine(h, prompt);
  h.mj.clock.advance(4_000);
  await h.discord.waitFor(
    () => stateOf(h.discord.message(started.channelId, started.progressId)?.content) === '15%',
    5_000,
    'the 15%',
  );
  await h.mj.flushHooks();
  const later = JSON.stringify({ ...h.mj.task(started.taskId), status: 'IN_PROGRESS', progress: '46%' });
  h.mj.setTask(started.taskId, { status: 'IN_PROGRESS', progress: '46%' });
  return { ...started, later };
}

describe('notify receiver guards', () => {
  it('a wrong secret gets a bare 404 and changes nothing; the right one brings a re-read', async () => {
    const task = await followedTask('a guarded lynx');
    const edits = editsOf(h, task.progressId);
    const wrong = [
      'x'.repeat(SECRET.length), // same length
      SECRET.slice(0, -1), // a prefix
      `${SECRET}0`, // longer
      SECRET.toUpperCase(),
      encodeURIComponent(`${SECRET}/`),
      '',
    ];
    for (const candidate of wrong) {
      const answer = await send('POST', `/notify/${candidate}`, task.later);
      expect(answer.status, `secret ${candidate}`).toBe(404);
      expect(answer.text).toBe('');
    }
    for (const path of [`/notify/${SECRET}/extra`, `/notify`, `/${SECRET}`, `/notify/${SECRET}/../x`]) {
      expect((await send('POST', path, task.later)).status, path).toBe(404);
    }
    // GET on the right path: 405, no body.
    const get = await send('GET', `/notify/${SECRET}`);
    expect(get).toMatchObject({ status: 405, text: '' });
    expect(get.headers.allow).toBe('POST');
    await h.quiesce();
    expect(editsOf(h, task.progressId)).toBe(edits);
    expect(stateOf(h.discord.message(task.channelId, task.progressId)?.content)).toBe('15%');

    const right = await send('POST', `/notify/${SECRET}?source=mj`, task.later);
    expect(right.status).toBe(200);
    expect(JSON.parse(right.text)).toEqual({ ok: true, result: 'hinted' });
    await h.discord.waitFor(
      () => stateOf(h.discord.message(task.channelId, task.progressId)?.content) === '46%',
      5_000,
      'the 46%',
    );
  });

  it('a body over the size limit gets 413, declared or streamed; one under it is read', async () => {
    const task = await followedTask('a heavy push');
    const padded = (bytes: number) => {
      const base = JSON.parse(task.later) as Record<string, unknown>;
      return JSON.stringify({ ...base, padding: 'p'.repeat(bytes - JSON.stringify({ ...base, padding: '' }).length) });
    };
    const declared = await send('POST', `/notify/${SECRET}`, padded(MAX_BODY + 1));
    expect(declared).toMatchObject({ status: 413, text: '' });
    // Chunked, no Content-Length: the receiver counts as it reads.
    const streamed = await send('POST', `/notify/${SECRET}`, [
      Buffer.alloc(200 * 1024, 0x20),
      Buffer.alloc(200 * 1024, 0x20),
    ]);
    expect(streamed.status).toBe(413);
    await h.quiesce();
    expect(stateOf(h.discord.message(task.channelId, task.progressId)?.content)).toBe('15%');
    // Exactly at the limit is fine.
    const atLimit = padded(MAX_BODY);
    expect(Buffer.byteLength(atLimit)).toBe(MAX_BODY);
    expect((await send('POST', `/notify/${SECRET}`, atLimit)).status).toBe(200);
    await h.discord.waitFor(
      () => stateOf(h.discord.message(task.channelId, task.progressId)?.content) === '46%',
      5_000,
      'the 46%',
    );
  });

  it('invalid JSON and bodies that are not a task get 400 with a short reason', async () => {
    for (const body of ['{"id":"1767225600000001","status":"IN_PROG', 'not json', '', '\u0000\u0001']) {
      const answer = await send('POST', `/notify/${SECRET}`, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ error: 'invalid JSON' });
    }
    for (const body of ['{}', '[]', '42', 'null', '{"id":"../../admin","status":"SUCCESS"}', '{"status":"SUCCESS"}']) {
      const answer = await send('POST', `/notify/${SECRET}`, body);
      expect(answer.status, body).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ error: 'not a task' });
    }
  });

  it('broken HTTP and clients that go away mid-body do not hurt it', async () => {
    expect(await raw('GARBAGE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await raw(`POST /notify/${SECRET} HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n`)).toMatch(
      /^HTTP\/1\.1 400 /,
    );
    // Announces 1000 bytes, sends 10, hangs up: dropped, or at most a bare 400.
    expect(
      await raw(
        `POST /notify/${SECRET} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"id":"17`,
        true,
      ),
    ).toMatch(/^$|^HTTP\/1\.1 400 /);
    expect((await send('GET', '/healthz')).status).toBe(200);
  });

  it('GET /healthz answers 200 with the tracker counts and the Discord request counts', async () => {
    const answer = await send('GET', '/healthz');
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as {
      status: string;
      tracker: { active: number; finishing: number; byStatus: Record<string, number>; leased: number };
    };
    // The same picture as the store: the tasks above are still running (IN_PROGRESS), none finishing.
    const active = await h.bot.context.store.tracked.listActive();
    expect(active.length).toBeGreaterThanOrEqual(2);
    expect(body).toEqual({
      status: 'ok',
      instance: expect.any(String),
      shards: [{ id: 0, status: 'ready', ping: expect.any(Number) }],
      // One instance on SQLite holds the lease of every task it follows.
      tracker: { active: active.length, finishing: 0, byStatus: { IN_PROGRESS: active.length }, leased: active.length },
      database: { ok: true, backend: 'sqlite' },
      // Alone on an SQLite file: the whole of DISCORD_MAX_REQUESTS_PER_SECOND (45 by default).
      discordShare: 45,
      // And the whole of MJ_MAX_REQUESTS_PER_SECOND (the harness sets 1000).
      mjShare: 1000,
    });
    expect(active.every((t) => t.lastStatus === 'IN_PROGRESS')).toBe(true);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect((await send('HEAD', '/healthz')).status).toBe(200);
    expect((await send('GET', '/healthz?probe=1')).status).toBe(200);
    expect((await send('POST', '/healthz', '{}')).status).toBe(405);
  });

  it('keeps serving after all of that: pushes still drive a new task to its result', async () => {
    const started = await imagine(h, 'still standing');
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result');
    expect(stateOf(result.content)).toBe(''); // finished: no state shown
    await h.mj.flushHooks();
    expect(h.mj.hookDeliveries.filter((d) => d.taskId === started.taskId).every((d) => d.httpStatus === 200)).toBe(
      true,
    );
    expect(h.bot.webhookPort).toBe(Number(new URL(origin).port));
    expect(h.discord.gatewayStatus().connected).toBe(true);
  });

  it('never writes the secret: not in logs, not in answers, not to Discord', () => {
    const logs = h.logLines().join('\n');
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(SECRET.slice(0, 12));
    expect(logs).not.toContain('/notify/');
    const rejected = h.logLines().filter((l) => l.includes('"event":"notify.rejected"'));
    expect(rejected.length).toBeGreaterThanOrEqual(10);
    // Rejections say why, never where: no path, no URL, no body.
    for (const line of rejected)
      expect(Object.keys(JSON.parse(line) as object).sort()).toEqual(expect.arrayContaining(['event', 'reason']));
    expect(rejected.some((l) => /"url"|"path"/.test(l))).toBe(false);
    expect(JSON.stringify(h.discord.requests)).not.toContain(SECRET);
    // The only place the secret goes is the MJ API, inside the notifyHook of each submit.
    expect(
      h.mj.requests
        .filter((r) => JSON.stringify(r).includes(SECRET))
        .every((r) => ['imagine', 'action', 'modal'].includes(r.route ?? '')),
    ).toBe(true);
    expect(h.discord.serverErrors).toEqual([]);
  });
});
