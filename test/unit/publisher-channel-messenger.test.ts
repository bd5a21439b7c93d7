// The REST ChannelMessenger against a tiny Discord-shaped HTTP server of this file's own: routes,
// bodies (JSON and multipart), nonces, attachments, and how each error maps to a delivery kind.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRestChannelMessenger } from '../../src/discord/channel-messenger.js';
import { createDiscordRestAgent } from '../../src/discord/rest-agent.js';
import { DiscordDeliveryError, SUPPRESS_NOTIFICATIONS, type ChannelMessenger } from '../../src/tracking/messenger.js';
import { recordingLog } from './tracker-fakes.js';

interface Seen {
  method: string;
  path: string;
  contentType: string;
  /** JSON body, or the payload_json of a multipart body. */
  json: Record<string, unknown> | null;
  raw: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
const logged: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
const clients: REST[] = [];

const ERRORS: Record<string, { status: number; body: Record<string, unknown>; headers?: Record<string, string> }> = {
  '10008': { status: 404, body: { message: 'Unknown Message', code: 10008 } },
  '10003': { status: 404, body: { message: 'Unknown Channel', code: 10003 } },
  '50001': { status: 403, body: { message: 'Missing Access', code: 50001 } },
  '50013': { status: 403, body: { message: 'Missing Permissions', code: 50013 } },
  '50035': {
    status: 400,
    body: {
      message: 'Invalid Form Body',
      code: 50035,
      errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'too long' }] } },
    },
  },
  '429': {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: 2.5, global: false },
    headers: { 'retry-after': '2.5', 'x-ratelimit-scope': 'user' },
  },
  '500': { status: 500, body: { message: 'Internal Server Error', code: 0 } },
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parse(contentType: string, raw: Buffer): Record<string, unknown> | null {
  if (contentType.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  const m = /name="payload_json"\r\n(?:[^\r\n]+\r\n)*\r\n([^\r]*)\r\n/.exec(raw.toString('utf8'));
  return m?.[1] ? (JSON.parse(m[1]) as Record<string, unknown>) : null;
}

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the handler catches nothing: a failure fails the test
  server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    const path = (req.url ?? '').replace(/^\/api\/v10/, '');
    seen.push({
      method: req.method ?? '',
      path,
      contentType,
      json: raw.length ? parse(contentType, raw) : null,
      raw: raw.toString('latin1'),
    });
    // The channel id names the answer: /channels/err-<code>/…
    const err = /^\/channels\/err-(\d+)\//.exec(path)?.[1];
    const reply = err ? ERRORS[err] : undefined;
    if (reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      return void res.end(JSON.stringify(reply.body));
    }
    if (req.method === 'DELETE') {
      res.writeHead(204);
      return void res.end();
    }
    const id = req.method === 'POST' ? '900000000000000001' : (path.split('/').pop() ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, channel_id: path.split('/')[2], content: '' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const rest of clients.splice(0)) {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen = [];
  logged.length = 0;
});

function messengerFor(api = `${base}/api`): ChannelMessenger {
  // As the bot builds it: an agent from discord.js's own undici. Without it the REST takes the
  // process-wide dispatcher, which another unit file's undici 7 may have filled first (the unit files
  // share one process), and its multipart bodies then fail ("action is not a function").
  const rest = new REST({
    api,
    version: '10',
    retries: 0,
    timeout: 2_000,
    rejectOnRateLimit: () => true,
    agent: createDiscordRestAgent() as never,
  }).setToken('test-token-not-secret');
  clients.push(rest);
  return createRestChannelMessenger(rest, {
    log: recordingLog((_level, msg, fields) => logged.push({ msg, fields })),
  });
}

async function failure(p: Promise<unknown>): Promise<DiscordDeliveryError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiscordDeliveryError);
  return err as DiscordDeliveryError;
}

describe('REST channel messenger', () => {
  it('sends a message with a nonce that Discord must enforce', async () => {
    const m = messengerFor();
    const body = {
      content: 'hi',
      embeds: [],
      components: [],
      allowed_mentions: { parse: [], users: [] },
      flags: SUPPRESS_NOTIFICATIONS,
    };
    expect(await m.send('200000000000000001', body, { nonce: 'r123' })).toEqual({ id: '900000000000000001' });
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/channels/200000000000000001/messages' });
    expect(seen[0]?.json).toEqual({ ...body, nonce: 'r123', enforce_nonce: true });
  });

  it('uploads files as multipart with matching attachments metadata', async () => {
    const m = messengerFor();
    await m.send(
      '200000000000000001',
      { content: 'done' },
      { files: [{ name: 'cat.png', data: Buffer.from('PNGDATA'), contentType: 'image/png' }] },
    );
    expect(seen[0]?.contentType).toMatch(/^multipart\/form-data/);
    expect(seen[0]?.json).toMatchObject({ content: 'done', attachments: [{ id: 0, filename: 'cat.png' }] });
    expect(seen[0]?.raw).toContain('name="files[0]"; filename="cat.png"');
    expect(seen[0]?.raw).toContain('PNGDATA');
  });

  it('edits in place, keeping old attachments unless new files replace them', async () => {
    const m = messengerFor();
    await m.edit('200000000000000001', '900000000000000002', { content: 'progress' });
    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      path: '/channels/200000000000000001/messages/900000000000000002',
    });
    expect(seen[0]?.json).toEqual({ content: 'progress' });
    await m.edit(
      '200000000000000001',
      '900000000000000002',
      { content: 'final' },
      { files: [{ name: 'new.png', data: Buffer.from('X') }] },
    );
    expect(seen[1]?.json).toEqual({ content: 'final', attachments: [{ id: 0, filename: 'new.png' }] });
  });

  it('deletes a message', async () => {
    await messengerFor().delete('200000000000000001', '900000000000000003');
    expect(seen[0]).toMatchObject({
      method: 'DELETE',
      path: '/channels/200000000000000001/messages/900000000000000003',
    });
  });

  it.each(['10008', '10003', '50001', '50013'])('maps %s to gone', async (code) => {
    const err = await failure(messengerFor().edit(`err-${code}`, '900000000000000004', { content: 'x' }));
    expect(err.kind).toBe('gone');
    expect(err.code).toBe(Number(code));
  });

  it('maps 50035 to invalid and logs the details, without the token', async () => {
    const err = await failure(messengerFor().send('err-50035', { content: 'x'.repeat(3000) }));
    expect(err.kind).toBe('invalid');
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged)).toContain('BASE_TYPE_MAX_LENGTH');
    expect(JSON.stringify(logged) + err.message).not.toContain('test-token-not-secret');
  });

  it('maps 429 to rate_limited with the wait, and 5xx or a dead server to transient', async () => {
    const limited = await failure(messengerFor().edit('err-429', '900000000000000005', { content: 'x' }));
    expect(limited.kind).toBe('rate_limited');
    // Retry-After 2.5 s plus @discordjs/rest's small safety offset.
    expect(limited.retryAfterMs).toBeGreaterThanOrEqual(2_500);
    expect(limited.retryAfterMs).toBeLessThan(3_000);
    expect((await failure(messengerFor().send('err-500', { content: 'x' }))).kind).toBe('transient');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(
      (await failure(messengerFor(`http://127.0.0.1:${deadPort}/api`).send('200000000000000001', { content: 'x' })))
        .kind,
    ).toBe('transient');
  });
});
