// Answer size caps per route, against a local server that can stream without end: above its cap a
// route fails as `upstream` with a short message, the socket is closed instead of drained, and the
// client keeps working. Under the caps, a heavy task and a list of 100 heavy tasks are read whole.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MjApi } from '../../src/mj/api.js';
import { createMjClient } from '../../src/mj/client.js';
import { MAX_ANSWER_BYTES } from '../../src/mj/routes.js';
import type { MjApiError } from '../../src/mj/errors.js';

const KEY = 'sk-TopSecretKey-123456';
const ID = '1730621826053455';
let server: Server;
let base = '';
let client: MjApi;
/** What the next answer of each path is; `stream` writes chunks until the client hangs up. */
let answers: Record<string, { json?: unknown; stream?: boolean; declare?: number }> = {};
/** Bytes written by the last streamed answer, and when its socket closed. */
let streamed = { bytes: 0, closed: Promise.resolve() };

function task(id: string, promptChars: number): Record<string, unknown> {
  const prompt = 'a very long prompt '.repeat(Math.ceil(promptChars / 19)).slice(0, promptChars);
  return {
    id,
    action: 'IMAGINE',
    prompt,
    promptEn: prompt,
    description: 'Submit success',
    status: 'SUCCESS',
    progress: '100%',
    imageUrl: `https://cdn.example/${id}.png`,
    failReason: '',
    buttons: [],
    properties: { finalPrompt: prompt },
  };
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const answer = answers[path];
  if (!answer) {
    res.writeHead(404);
    return void res.end();
  }
  if (answer.stream || answer.declare !== undefined) {
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(answer.declare !== undefined ? { 'content-length': String(answer.declare) } : {}),
    });
    let done: () => void = () => {};
    streamed = { bytes: 0, closed: new Promise<void>((r) => (done = r)) };
    res.socket?.once('close', () => done());
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    res.write('{"id":"1","prompt":"');
    const pump = (): void => {
      while (!res.destroyed && streamed.bytes < 200 * 1024 * 1024) {
        streamed.bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    return pump();
  }
  const text = JSON.stringify(answer.json);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = createMjClient({ baseUrl: base, apiKey: KEY, authHeader: 'mj-api-secret', timeoutMs: 10_000 });
});
afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  answers = {};
});

async function failure(call: Promise<unknown>): Promise<MjApiError> {
  try {
    await call;
  } catch (err) {
    return err as MjApiError;
  }
  throw new Error('expected the call to fail');
}

describe('answer size caps', () => {
  it('are sized per route: a task, a list of 100, a submit answer', () => {
    expect(MAX_ANSWER_BYTES['GET /mj/task/{id}/fetch']).toBe(1024 * 1024);
    expect(MAX_ANSWER_BYTES['POST /mj/task/list-by-condition']).toBe(8 * 1024 * 1024);
    expect(MAX_ANSWER_BYTES['POST /mj/submit/imagine']).toBe(64 * 1024);
  });

  it('read a heavy task and a list of 100 heavy tasks whole', async () => {
    answers[`/mj/task/${ID}/fetch`] = { json: task(ID, 6_000) };
    expect((await client.fetchTask(ID)).prompt).toHaveLength(6_000);
    const ids = Array.from({ length: 100 }, (_, i) => String(1730621826053455 + i));
    // ≈ 20 KiB each, 2 MiB in all: above a single task's cap, well under the list's.
    answers['/mj/task/list-by-condition'] = { json: ids.map((id) => task(id, 6_000)) };
    expect(await client.fetchTasks(ids)).toHaveLength(100);
  });

  it('stop a streamed task answer at 1 MiB with an upstream error and close the socket', async () => {
    answers[`/mj/task/${ID}/fetch`] = { stream: true };
    const err = await failure(client.fetchTask(ID));
    expect(err).toMatchObject({ name: 'MjApiError', kind: 'upstream', details: { route: 'GET /mj/task/{id}/fetch' } });
    expect(err.message).toBe('The Midjourney API answered with an oversized body (over 1 MiB).');
    await streamed.closed;
    // Cut off near the cap (socket buffers allow some slack), not read to the server's 200 MiB.
    expect(streamed.bytes).toBeLessThan(8 * 1024 * 1024);
  });

  it('refuse a declared length above the cap without reading it', async () => {
    answers['/mj/submit/imagine'] = { declare: 50 * 1024 * 1024 };
    const started = Date.now();
    const err = await failure(client.submitImagine({ prompt: 'cat' }));
    expect(err).toMatchObject({ kind: 'upstream', details: { route: 'POST /mj/submit/imagine' } });
    expect(err.message).toBe('The Midjourney API answered with an oversized body (over 64 KiB).');
    await streamed.closed;
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('stop a list answer past 8 MiB, and a submit answer past 64 KiB', async () => {
    answers['/mj/task/list-by-condition'] = { stream: true };
    expect((await failure(client.fetchTasks([ID]))).message).toContain('over 8 MiB');
    await streamed.closed;
    answers['/mj/submit/action'] = {
      json: { code: 1, description: 'x'.repeat(70 * 1024), result: ID },
    };
    const err = await failure(client.submitAction({ taskId: ID, customId: 'MJ::JOB::upsample::1::x' }));
    expect(err).toMatchObject({ kind: 'upstream', details: { route: 'POST /mj/submit/action' } });
    expect(err.message).not.toContain(KEY);
    expect(err.message).not.toContain(base);
  });

  it('leave the client working after an oversized answer', async () => {
    answers[`/mj/task/${ID}/fetch`] = { stream: true };
    await failure(client.fetchTask(ID));
    answers[`/mj/task/${ID}/fetch`] = { json: task(ID, 10) };
    expect((await client.fetchTask(ID)).id).toBe(ID);
  });
});
