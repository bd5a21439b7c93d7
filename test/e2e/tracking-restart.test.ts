// Graceful stops: the bot stops as on SIGTERM (in process, and as a real child process on SIGTERM and
// SIGINT), requests in flight finish and are recorded, and the next start resumes every followed task
// from SQLite: the same progress messages keep being edited, and each task gets exactly one result.
// An upscale on new-api (which serves it without the customId the click sent) keeps its "Image #2"
// across the restart: the customId is stored with the tracked task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllBots, spawnBot } from '../support/bot-process.js';
import type { RecordedRequest } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { imagine, resultsOf, sleep, startTrackingHarness, type StartedTask } from '../support/tracking-e2e.js';
import { buttonIdWith, click, followedFrom, showFinishedTask } from './support-clicks.js';

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

describe('an upscale followed on new-api, across a restart', () => {
  /** new-api serves its own copy, refreshed every 15 s (Calcium-Ion/new-api controller/midjourney.go L21-30). */
  const REFRESH_MS = 15_000;
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect: 'newapi' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('still says "Image #2" in its progress and result: the customId the click sent is kept with the task', async () => {
    const parent = h.mj.createTask({ status: 'SUCCESS', action: 'IMAGINE', prompt: 'a lighthouse at dawn' });
    h.mj.clock.advance(REFRESH_MS);
    const grid = await showFinishedTask(h, { existingId: parent });
    h.mj.nextTask({ timeline: { queuedMs: 0, runMs: 70_000 } });
    const answer = await click(h, grid, buttonIdWith(h, grid, '::upsample::2::'));
    const child = followedFrom(h, answer.text);
    // new-api serves the child without its customId, with the parent's prompt (relay/relay-mj.go
    // L106-142, L443): only the click said which image it is.
    const firstLine = () => h.discord.message(child.channelId, child.messageId)?.content.split('\n')[0] ?? '';
    const progressLine = (percent: RegExp) => {
      const line = firstLine();
      return percent.test(line) && line;
    };
    // The stand-in's clock starts on a refresh: the child started on one, and runs a step each 10 s.
    h.mj.clock.advance(REFRESH_MS);
    const before = await h.discord.waitFor(() => progressLine(/\(15%\)$/), 5_000, 'progress before the stop');
    expect(before).toMatch(/ - Image #2 <@\d+> \(15%\)$/);

    await h.stopBot();
    await h.startBot();
    h.mj.clock.advance(REFRESH_MS);
    const after = await h.discord.waitFor(() => progressLine(/\(46%\)$/), 5_000, 'progress after the restart');
    expect(after).toMatch(/ - Image #2 <@\d+> \(46%\)$/);

    h.mj.clock.advance(5 * REFRESH_MS); // done, and new-api has refreshed it
    const progress = { taskId: child.taskId, channelId: child.channelId, progressId: child.messageId };
    const [result] = await h.discord.waitFor(
      () => (resultsOf(h, progress).length > 0 ? resultsOf(h, progress) : null),
      5_000,
      'the result',
    );
    expect(result!.content.split('\n')[0]).toMatch(/^\*\*[^*]+\*\* - Image #2 <@\d+>$/);
    await h.quiesce();
    expect(resultsOf(h, progress)).toHaveLength(1);
    expect(h.discord.message(child.channelId, child.messageId)).toBeUndefined();
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
