// The notifyHook receiver's own bounds over real sockets: a connection cap that closes the oldest idle
// socket for a newcomer (so held sockets never lock a push out), an idle timeout that closes sockets that
// say nothing, and a stalled header that is cut off.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createNotifyReceiver, type NotifyReceiver, type PushResult } from '../../src/webhook/server.js';

const SECRET = 'Wh00k-Secret_abcdefghij0123456789';
let receiver: NotifyReceiver | null = null;
let logLines: string[] = [];
const sockets: Socket[] = [];

interface StartOptions {
  maxConnections?: number;
  idleTimeoutMs?: number;
  onPush?: () => PushResult | Promise<PushResult>;
}

async function start(options: StartOptions): Promise<number> {
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
  it('at its cap closes the oldest idle connections for new ones, logs that once, and serves a push meanwhile', async () => {
    const port = await start({ maxConnections: 3 });
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await open(port));
    const newer = [await open(port), await open(port)];
    const outcome = await Promise.race([
      Promise.all(held.slice(0, 2).map((h) => h.closed)).then(() => 'closed'),
      new Promise((r) => setTimeout(() => r('still open'), 1_000)),
    ]);
    expect(outcome).toBe('closed');
    expect([held[2], ...newer].every((h) => !h!.socket.destroyed)).toBe(true);
    const drops = logLines.filter((l) => l.includes('"event":"notify.connections_dropped"'));
    expect(drops).toHaveLength(1);
    expect(drops[0]).toContain('"maxConnections":3');

    // Three silent sockets still fill the cap: a push gets through at once all the same.
    expect((await push(port)).status).toBe(200);
  });

  it('never closes a connection whose request is being served; with none idle, the newcomer goes', async () => {
    let release = (): void => undefined;
    const answered = new Promise<PushResult>((r) => (release = () => r('ignored')));
    let serving = 0;
    const port = await start({
      maxConnections: 2,
      onPush: () => {
        serving++;
        return answered;
      },
    });
    const firstPush = push(port);
    await expect.poll(() => serving, { timeout: 2_000 }).toBe(1);
    const idle = await open(port);
    const newcomer = await open(port);
    // The idle socket goes for the newcomer; the one being served stays.
    expect(await idle.closed).toBeGreaterThan(0);

    // A second push takes the newcomer's place (idle), and then both slots are serving.
    const secondPush = push(port);
    await expect.poll(() => serving, { timeout: 2_000 }).toBe(2);
    expect(await newcomer.closed).toBeGreaterThan(0);
    const refused = await open(port);
    expect(await refused.closed).toBeGreaterThan(0);

    release();
    expect((await firstPush).status).toBe(200);
    expect((await secondPush).status).toBe(200);
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
