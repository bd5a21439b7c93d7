// A counted request ends, for the gate, when Discord answered it, not when the job around it is over.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createGatedRest } from '../../src/discord/gated-rest.js';
import { createChannelLanes } from '../../src/tracking/channel-lanes.js';
import { answerNotingSend, runNotingAnswers } from '../../src/tracking/request-timing.js';
import { createManualTime, type ManualTime } from './tracker-fakes.js';

const sleep = (time: ManualTime, ms: number) => new Promise<void>((resolve) => time.scheduler.setTimeout(resolve, ms));

describe('the time a job was answered', () => {
  it('is the last answer when every request was answered, whatever the job did after', async () => {
    const time = createManualTime(0);
    const send = answerNotingSend((ms: number) => sleep(time, ms).then(() => 'ok'));
    const run = runNotingAnswers(time.clock.now, async () => {
      await send(100);
      await send(200); // answered at 300
      await sleep(time, 600); // the store written, the waiters told: over at 900
    });
    await time.advance(1_000);
    await run.done;
    expect(run.endedAt()).toBe(300);
  });

  it('is when the job ended when it sent nothing or a request went unanswered', async () => {
    const time = createManualTime(0);
    const refused = answerNotingSend(async () => Promise.reject(new Error('ECONNRESET')));
    const unanswered = runNotingAnswers(time.clock.now, async () => {
      await sleep(time, 50);
      await refused().catch(() => undefined);
    });
    const silent = runNotingAnswers(time.clock.now, () => sleep(time, 80));
    await time.advance(100);
    await Promise.all([unanswered.done, silent.done]);
    expect(unanswered.endedAt()).toBe(100);
    expect(silent.endedAt()).toBe(100);
  });

  it('keeps jobs running at the same time apart, and leaves requests outside a job alone', async () => {
    const time = createManualTime(0);
    const send = answerNotingSend((ms: number) => sleep(time, ms).then(() => ms));
    const a = runNotingAnswers(time.clock.now, () => send(300));
    const b = runNotingAnswers(time.clock.now, () => send(100));
    const outside = send(50);
    await time.advance(400);
    await expect(Promise.all([a.done, b.done, outside])).resolves.toEqual([300, 100, 50]);
    expect([a.endedAt(), b.endedAt()]).toEqual([300, 100]);
  });

  it('frees the global window a second after the answer, not after the job', async () => {
    const time = createManualTime(0);
    const send = answerNotingSend(() => sleep(time, 100));
    const starts: number[] = [];
    let left = 3;
    const lanes = createChannelLanes({
      clock: time.clock,
      scheduler: time.scheduler,
      budgets: {
        global: { limit: 1, windowMs: 1_000 },
        channel: { limit: 100, windowMs: 1_000 },
        interactionGlobal: { limit: 100, windowMs: 1_000 },
        interaction: { limit: 100, windowMs: 1_000 },
      },
      peek: (lane) =>
        left === 0
          ? null
          : {
              cls: 'result',
              start: async () => {
                left--;
                starts.push(time.now());
                await send(); // answered 100 ms later
                await sleep(time, 800); // the rest of the job
                lanes.pump(lane);
              },
            },
    });
    lanes.pump('c1');
    await time.advance(5_000);
    // Counted until 1 s after each answer (100 → 1,100), not after each job (900 → 1,900).
    expect(starts).toEqual([0, 1_100, 2_200]);
    lanes.close();
  });
});

describe('the gated REST client', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('notes when Discord answered each request it sends', async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id":"1190000000000000001"}');
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    const rest = createGatedRest({ api }, 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg.Gabcde.test-token-not-real-0123456789abc');
    let t = 0;
    const run = runNotingAnswers(
      () => t,
      async () => {
        t = 10;
        await rest.post(Routes.channelMessages('1100000000000000001'), { body: { content: 'result' } });
        t = 500; // what the job does after the answer
      },
    );
    await run.done;
    expect(run.endedAt()).toBe(10);
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  });
});
