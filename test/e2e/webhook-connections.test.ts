// A flood of idle connections to the notifyHook port (issue 12, W4) must not starve the bot: with the
// process's open-file limit at a common default (1024), 1,100 sockets that connect and say nothing
// would take every descriptor and leave none for Discord, and the ones it keeps must not lock the
// proxy's pushes out. The bot runs as its own process here so the limit is its own; the sockets are
// held by this test process.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllBots, spawnBot, type BotProcess } from '../support/bot-process.js';
import { startHarness, type Harness } from '../support/harness.js';
import { taskIdOf } from '../support/tracking-e2e.js';

const IDLE_SOCKETS = 1_100;
let h: Harness;
let bot: BotProcess;
const sockets: Socket[] = [];

beforeAll(async () => {
  h = await startHarness({ startBot: false, webhook: true });
  bot = spawnBot(h.env, { maxOpenFiles: 1024 });
  await bot.ready();
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await killAllBots();
  await h?.close();
});

/** Opens a socket that sends nothing; resolves once it is connected (or refused). */
function idleSocket(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve(socket));
    socket.once('close', () => resolve(socket));
    sockets.push(socket);
  });
}

describe('1,100 idle connections to the webhook port', () => {
  it('leave /mjtask answering promptly, and the bot closes what it will not serve', async () => {
    const port = Number(h.env.WEBHOOK_PORT);
    for (let i = 0; i < IDLE_SOCKETS; i += 100) await Promise.all(Array.from({ length: 100 }, () => idleSocket(port)));
    // Give the bot time to accept (and drop) the whole flood.
    await new Promise((r) => setTimeout(r, 500));

    const taskId = h.mj.createTask({ prompt: 'a lighthouse at dusk', status: 'SUCCESS' });
    const sentAt = Date.now();
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId } });
    const answered = await h.discord.waitFor(
      () => (taskIdOf(h.discord.interactionResponses(interaction.id).original ?? undefined) !== null ? true : null),
      10_000,
      'the /mjtask answer',
    );
    expect(answered).toBe(true);
    expect(Date.now() - sentAt).toBeLessThan(3_000);
    expect(bot.hasExited()).toBe(false);

    // At its connection cap the receiver closes the oldest silent sockets instead of holding them.
    const closedByBot = sockets.filter((s) => s.destroyed || s.readyState === 'closed' || s.readableEnded).length;
    expect(closedByBot).toBeGreaterThanOrEqual(IDLE_SOCKETS - 256);
    expect(bot.logs().some((l) => String(l.msg ?? '').includes('EMFILE') || l.code === 'EMFILE')).toBe(false);
    expect(bot.logs().some((l) => l.event === 'notify.connections_dropped')).toBe(true);

    // A real push gets through while the flood still holds the cap: the oldest idle socket makes way.
    const res = await fetch(`${h.notifyUrl}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: taskId, status: 'SUCCESS', progress: '100%' }),
    });
    expect(res.status).toBe(200);
  });
});
