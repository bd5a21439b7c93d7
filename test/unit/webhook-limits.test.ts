// The notifyHook receiver's own bounds over real sockets: a connection cap that closes new sockets at
// once, an idle timeout that closes sockets that say nothing, and pushes served again afterwards.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createNotifyReceiver, type NotifyReceiver } from '../../src/webhook/server.js';

const SECRET = 'Wh00k-Secret_abcdefghij0123456789';
let receiver: NotifyReceiver | null = null;
let logLines: string[] = [];
const sockets: Socket[] = [];

async function start(options: { maxConnections?: number; idleTimeoutMs?: number }): Promise<number> {
  logLines = [];
  receiver = createNotifyReceiver({
    port: 0,
    host: '127.0.0.1',
    secret: SECRET,
    onPush: () => 'ignored',
    health: () => ({ healthy: true, fields: {} }),
    log: createLogger({
      level: 'debug',
      secrets: [SECRET],
      destination: { write: (line: string) => void logLines.push(line) },
    }),
    ...options,
  });
  return (await receiver.start()).port;
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await receiver?.stop();
  receiver = null;
});

/** Connects and resolves with the socket and a promise of when the server closed it. */
function open(port: number): Promise<{ socket: Socket; closed: Promise<number> }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    sockets.push(socket);
    socket.on('error', () => undefined);
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now())));
    socket.once('connect', () => resolve({ socket, closed }));
  });
}

const push = (port: number) =>
  fetch(`http://127.0.0.1:${port}/notify/${SECRET}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ id: '1700000000000000001', status: 'SUCCESS' }),
  });

describe('notify receiver bounds', () => {
  it('closes connections beyond its cap at once, logs that once, and serves again when they go', async () => {
    const port = await start({ maxConnections: 3 });
    const held = await Promise.all([open(port), open(port), open(port)]);
    const extra = await Promise.all([open(port), open(port)]);
    const outcome = await Promise.race([
      Promise.all(extra.map((e) => e.closed)).then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), 1_000)),
    ]);
    expect(outcome).toBe('closed');
    expect(held.every((h) => !h.socket.destroyed)).toBe(true);
    const drops = logLines.filter((l) => l.includes('"event":"notify.connections_dropped"'));
    expect(drops).toHaveLength(1);
    expect(drops[0]).toContain('"maxConnections":3');

    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    await expect.poll(async () => (await push(port)).status, { timeout: 2_000 }).toBe(200);
  });

  it('closes a connection that sends nothing after the idle timeout', async () => {
    const port = await start({ idleTimeoutMs: 200 });
    const startedAt = Date.now();
    const { closed } = await open(port);
    const closedAt = await closed;
    expect(closedAt - startedAt).toBeGreaterThanOrEqual(150);
    expect(closedAt - startedAt).toBeLessThan(2_000);
  });

  it('closes a connection that stops halfway through its headers', async () => {
    const port = await start({ idleTimeoutMs: 300 });
    const { socket, closed } = await open(port);
    socket.write(`POST /notify/${SECRET} HTTP/1.1\r\nHost: x\r\n`);
    const startedAt = Date.now();
    expect((await closed) - startedAt).toBeLessThan(2_000);
  });
});
