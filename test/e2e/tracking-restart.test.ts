// Graceful stops: the bot stops as on SIGTERM (in process, and as a real child process on SIGTERM and
// SIGINT), requests in flight finish and are recorded, and the next start resumes every followed task
// from SQLite: the same progress messages keep being edited, and each task gets exactly one result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllBots, spawnBot } from '../support/bot-process.js';
import type { RecordedRequest } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { imagine, resultsOf, sleep, startTrackingHarness, type StartedTask } from '../support/tracking-e2e.js';

const nonceOf = (r: RecordedRequest) => String((r.body as { nonce?: unknown } | undefined)?.nonce ?? '');

function expectOneResultEach(h: Harness, tasks: StartedTask[]) {
  for (const t of tasks) {
    expect(resultsOf(h, t), `results of ${t.taskId}`).toHaveLength(1);
    expect(h.discord.message(t.channelId, t.progressId), `progress of ${t.taskId}`).toBeUndefined();
    // One progress message per task, ever (a follow-up of the interaction, or a channel message): the
    // restart kept editing the recorded one.
    const created = [
      ...h.discord.requestsTo('POST', /^\/webhooks\/\d+\/[^/]+$/),
      ...h.discord.requestsTo('POST', `/channels/${t.channelId}/messages`).filter((r) => nonceOf(r).startsWith('p')),
    ].filter((r) => JSON.stringify(r.body).includes(`Task ${t.taskId}`));
    expect(created.map((r) => (r.responseBody as { id: string }).id)).toEqual([t.progressId]);
  }
}

describe('graceful restart of the bot (in process)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('resumes queued, running and just-finished tasks after a stop, each with exactly one result', async () => {
    h.mj.nextTask({ timeline: { queuedMs: 30_000 } });
    const queued = await imagine(h, 'still queued');
    const running = await imagine(h, 'running');
    h.mj.nextTask({ timeline: { queuedMs: 1_000, runMs: 4_000 } });
    const finishing = await imagine(h, 'finishing at the stop');
    h.mj.clock.advance(4_000);
    await h.discord.waitFor(
      () => h.discord.message(running.channelId, running.progressId)?.content.split('\n')[0]?.endsWith('(15%)'),
      5_000,
      'running at 15%',
    );

    h.mj.clock.advance(1_500); // `finishing` succeeds; its result races the stop
    await h.stopBot();
    const writesWhileStopped = h.discord.requests.length;
    h.mj.clock.advance(4_000); // running: 46%
    await sleep(200);
    expect(h.discord.requests.length).toBe(writesWhileStopped);

    await h.startBot();
    await h.discord.waitFor(
      () => h.discord.message(running.channelId, running.progressId)?.content.split('\n')[0]?.endsWith('(46%)'),
      5_000,
      'running at 46% after the restart',
    );
    h.mj.clock.advance(40_000); // all three done
    const tasks = [queued, running, finishing];
    await h.discord.waitFor(
      () => tasks.every((t) => resultsOf(h, t).length === 1 && !h.discord.message(t.channelId, t.progressId)),
      5_000,
      'all results',
    );
    await h.quiesce();
    expectOneResultEach(h, tasks);
    expect(await h.bot.context.store.tracked.countByPhase()).toMatchObject({ active: 0 });
    expect(h.logLines().some((l) => l.includes('"resumedTasks"'))).toBe(true);
  });
});

describe('SIGTERM and SIGINT on the real process', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ startBot: false });
  });
  afterAll(async () => {
    await killAllBots();
    await h?.close();
  });

  it('exits 0 after recording what is in flight, and the next process finishes the task', async () => {
    const first = spawnBot(h.env);
    await first.ready();
    const task = await imagine(h, 'across a SIGTERM', { channelId: h.discord.defaults.otherChannelId });
    h.mj.clock.advance(4_000);
    await h.discord.waitFor(
      () => h.discord.message(task.channelId, task.progressId)?.content.split('\n')[0]?.endsWith('(15%)'),
      5_000,
      '15%',
    );

    const askedAt = Date.now();
    first.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - askedAt).toBeLessThan(5_000);
    expect(first.logs().map((l) => l.event)).toEqual(expect.arrayContaining(['bot.shutdown', 'bot.stopped']));
    expect(first.logs().find((l) => l.event === 'bot.shutdown')).toMatchObject({ signal: 'SIGTERM' });

    const second = spawnBot(h.env);
    await second.ready();
    expect(second.logs().find((l) => l.event === 'bot.ready')).toMatchObject({ resumedTasks: 1 });
    h.mj.clock.advance(20_000);
    await h.discord.waitFor(
      () => resultsOf(h, task).length === 1 && !h.discord.message(task.channelId, task.progressId),
      8_000,
      'the result',
    );

    second.kill('SIGINT');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.logs().find((l) => l.event === 'bot.shutdown')).toMatchObject({ signal: 'SIGINT' });
    expectOneResultEach(h, [task]);
    expect([...first.logs(), ...second.logs()].filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
    // Two process starts (each loads the bot through tsx): seconds apiece on a busy 2-core machine.
  }, 45_000);
});
