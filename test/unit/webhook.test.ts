// The notifyHook receiver over real sockets on 127.0.0.1: valid pushes from the fixtures, the secret
// guard (404 for anything that does not match, never echoing the path), size limits with and without
// Content-Length, bad bodies, a failing onPush, /healthz, secret-free logs and a prompt stop().
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { MjTask } from '../../src/mj/schema.js';
import {
  createNotifyReceiver,
  type NotifyReceiver,
  type NotifyReceiverOptions,
  type PushResult,
} from '../../src/webhook/server.js';

const SECRET = 'Wh00k-Secret_abcdefghij0123456789';
const FIXTURE_DIR = new URL('../fixtures/mj/', import.meta.url);
const NOTIFY_FIXTURES = readdirSync(FIXTURE_DIR).filter((f) => f.startsWith('notify-payload-') && f.endsWith('.json'));

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const receivers: NotifyReceiver[] = [];
let logLines: string[];
let pushed: MjTask[];
let pushResult: () => PushResult | Promise<PushResult>;
let port: number;

async function startReceiver(overrides: Partial<NotifyReceiverOptions> = {}): Promise<NotifyReceiver> {
  const receiver = createNotifyReceiver({
    port: 0,
    host: '127.0.0.1',
    secret: SECRET,
    maxBodyBytes: 4096,
    onPush: (task) => {
      pushed.push(task);
      return pushResult();
    },
    health: () => ({ healthy: true, fields: { active: 3, finishing: 1 } }),
    log: createLogger({
      level: 'debug',
      secrets: [SECRET],
      destination: { write: (line: string) => void logLines.push(line) },
    }),
    ...overrides,
  });
  receivers.push(receiver);
  port = (await receiver.start()).port;
  return receiver;
}

beforeEach(async () => {
  logLines = [];
  pushed = [];
  pushResult = () => 'hinted';
  await startReceiver();
});

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  // Whatever a test did, the secret must not have reached the log, in any form.
  const all = logLines.join('');
  expect(all).not.toContain(SECRET);
  expect(all).not.toContain(SECRET.slice(0, 12));
  // The logger redacts by value; nothing redacted proves the receiver never tried to log the secret.
  expect(all).not.toContain('[redacted]');
});

/** One request on its own connection. `chunks` are written one by one without a Content-Length. */
function send(
  method: string,
  path: string,
  body?: string | { chunks: string[] },
  headers: Record<string, string> = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }),
      );
      res.on('error', reject);
    });
    // After an early 413 the server closes while we may still be writing; the reply is what counts.
    req.on('error', (err) => setTimeout(() => reject(err), 50));
    if (body === undefined) req.end();
    else if (typeof body === 'string') req.end(body);
    else {
      for (const chunk of body.chunks) req.write(chunk);
      req.end();
    }
  });
}

const push = (body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
  send('POST', `/notify/${SECRET}`, body, headers);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURE_DIR), 'utf8');

describe('valid pushes', () => {
  it('has notify fixtures to replay', () => {
    expect(NOTIFY_FIXTURES.length).toBeGreaterThanOrEqual(2);
  });

  it.each(NOTIFY_FIXTURES)('%s reaches onPush as a parsed task and answers 200', async (name) => {
    const reply = await push(fixture(name));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, result: 'hinted' });
    expect(pushed).toHaveLength(1);
    const raw = JSON.parse(fixture(name)) as Record<string, unknown>;
    expect(pushed[0]).toMatchObject({
      id: String(raw.id),
      status: 'SUCCESS',
      progress: '100%',
      imageUrl: raw.imageUrl,
      failReason: '',
    });
    const line = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'notify.push');
    expect(line).toMatchObject({ taskId: String(raw.id), status: 'SUCCESS', progress: '100%', result: 'hinted' });
  });

  it('keeps a bare 19-digit id intact, tolerates any content type and reports what onPush returned', async () => {
    pushResult = async (): Promise<PushResult> => 'stale';
    const reply = await push('{"id":1234567890123456789,"status":"in_progress","progress":"42%"}', {
      'Content-Type': 'text/plain',
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ ok: true, result: 'stale' });
    expect(pushed[0]).toMatchObject({ id: '1234567890123456789', status: 'IN_PROGRESS', progress: '42%' });
  });

  it('serves several pushes on one keep-alive connection', async () => {
    const statuses = await new Promise<number[]>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const body = '{"id":"1700000000000001","status":"SUBMITTED"}';
      const one = `POST /notify/${SECRET} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      let seen = '';
      socket.on('data', (d) => {
        seen += d.toString('latin1');
        const codes = [...seen.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
        if (codes.length === 2) {
          socket.destroy();
          resolve(codes);
        }
      });
      socket.on('error', reject);
      socket.write(one + one);
    });
    expect(statuses).toEqual([200, 200]);
    expect(pushed).toHaveLength(2);
  });
});

describe('the secret guard', () => {
  const sameLength = SECRET.slice(0, -1) + (SECRET.endsWith('x') ? 'y' : 'x');
  it.each([
    ['a wrong secret of the same length', 'POST', `/notify/${sameLength}`],
    ['a wrong secret of another length', 'POST', '/notify/short'],
    ['a secret with an extra segment', 'POST', `/notify/${SECRET}/x`],
    ['no secret at all', 'POST', '/notify/'],
    ['the bare prefix', 'POST', '/notify'],
    ['another path', 'POST', '/'],
    ['another method with a wrong secret', 'GET', `/notify/${sameLength}`],
  ])('%s gets an empty 404 and onPush is not called', async (_label, method, path) => {
    const reply = await send(method, path, fixture(NOTIFY_FIXTURES[0]!));
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('');
    expect(pushed).toHaveLength(0);
    const line = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === 'notify.rejected');
    expect(line).toMatchObject({ reason: 'not_found', statusCode: 404 });
  });

  it('answers 405 to another method only when the secret matches', async () => {
    const reply = await send('GET', `/notify/${SECRET}`);
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
    expect(reply.body).not.toContain(SECRET);
    expect(pushed).toHaveLength(0);
  });
});

describe('bad bodies', () => {
  it('answers 413 to a declared Content-Length over the limit (default 256 KiB) without reading it, then keeps serving', async () => {
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
    await startReceiver({ maxBodyBytes: undefined });
    const reply = await send('POST', `/notify/${SECRET}`, undefined, { 'Content-Length': String(256 * 1024 + 1) });
    expect(reply.status).toBe(413);
    expect(pushed).toHaveLength(0);
    expect((await push(fixture(NOTIFY_FIXTURES[0]!))).status).toBe(200);
  });

  it('answers 413 to a chunked body that grows over the limit, then keeps serving', async () => {
    const chunk = 'x'.repeat(1500);
    const reply = await send('POST', `/notify/${SECRET}`, {
      chunks: [`{"id":"1700000000000001","prompt":"`, chunk, chunk, chunk, chunk, '"}'],
    });
    expect(reply.status).toBe(413);
    expect(pushed).toHaveLength(0);
    const line = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === 'notify.rejected');
    expect(line).toMatchObject({ reason: 'too_large', statusCode: 413 });
    expect((await push(fixture(NOTIFY_FIXTURES[0]!))).status).toBe(200);
  });

  it('accepts a body right at the limit', async () => {
    const head = '{"id":"1700000000000001","prompt":"';
    const body = head + 'p'.repeat(4096 - head.length - 2) + '"}';
    expect(Buffer.byteLength(body)).toBe(4096);
    expect((await push(body)).status).toBe(200);
  });

  it.each([
    ['invalid JSON', '{"id": "17000000000', 'invalid JSON'],
    ['an empty body', '', 'invalid JSON'],
    ['JSON without an id', '{"status":"SUCCESS","progress":"100%"}', 'not a task'],
    ['an id that cannot be a task id', '{"id":"../etc/passwd"}', 'not a task'],
    ['a JSON array', '[{"id":"1700000000000001"}]', 'not a task'],
  ])('answers 400 to %s', async (_label, body, error) => {
    const reply = await push(body);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ error });
    expect(pushed).toHaveLength(0);
  });
});

describe('failures and health', () => {
  it('answers 500 when onPush throws, logs it, and later pushes still work', async () => {
    pushResult = () => {
      throw new Error('tracker exploded');
    };
    const failed = await push(fixture(NOTIFY_FIXTURES[0]!));
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body)).toEqual({ error: 'internal' });
    expect(logLines.join('')).toContain('tracker exploded');

    pushResult = () => Promise.reject(new Error('async failure'));
    expect((await push(fixture(NOTIFY_FIXTURES[0]!))).status).toBe(500);

    pushResult = () => 'queued';
    const ok = await push(fixture(NOTIFY_FIXTURES[0]!));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, result: 'queued' });
    expect(pushed).toHaveLength(3);
  });

  it('shrugs off a client that goes away mid-body, and keeps serving', async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`POST /notify/${SECRET} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"id":"17`, () =>
          setTimeout(() => socket.destroy(), 20),
        );
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await expect.poll(() => logLines.some((l) => l.includes('"reason":"aborted"'))).toBe(true);
    expect(pushed).toHaveLength(0);
    expect((await push(fixture(NOTIFY_FIXTURES[0]!))).status).toBe(200);
  });

  it('GET /healthz answers 200 with the health fields', async () => {
    const reply = await send('GET', '/healthz');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(reply.body)).toEqual({ status: 'ok', active: 3, finishing: 1 });
  });

  it('answers 400 to a request that is not HTTP, and keeps serving', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let seen = '';
      socket.on('data', (d) => (seen += d.toString('latin1')));
      socket.on('close', () => resolve(seen));
      socket.on('error', reject);
      socket.write(`GARBAGE /notify/${SECRET} NOT-HTTP\r\n\r\n`);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).not.toContain(SECRET);
    expect((await send('GET', '/healthz')).status).toBe(200);
  });
});

describe('stop', () => {
  it('closes promptly with an idle keep-alive connection open, and the port is released', async () => {
    const receiver = receivers[0]!;
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    });
    const startedAt = Date.now();
    await receiver.stop();
    await closed;
    expect(Date.now() - startedAt).toBeLessThan(500);
    expect(receiver.port).toBe(0);
    await expect(send('GET', '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    await receiver.stop(); // idempotent
  });

  it('start rejects with a clear error when the port is taken', async () => {
    const other = createNotifyReceiver({
      port,
      host: '127.0.0.1',
      secret: SECRET,
      onPush: () => 'ignored',
      health: () => ({ healthy: true, fields: {} }),
      log: createLogger({ level: 'silent', secrets: [SECRET], destination: { write: () => {} } }),
    });
    receivers.push(other);
    await expect(other.start()).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\)/);
  });
});
