// TASK_TIMEOUT_MINUTES end to end: the bot's clock (real time plus an offset the test moves) passes
// the deadline, and the task ends with a visible "timed out" result that mentions the member; the
// bot then stops asking the API, and a late finish on the API side posts nothing more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  createOffsetClock,
  fieldOf,
  imagine,
  problems,
  resultsOf,
  sleep,
  startTrackingHarness,
  statusField,
  type StartedTask,
} from '../support/tracking-e2e.js';

let h: Harness;
const botClock = createOffsetClock();

beforeAll(async () => {
  h = await startTrackingHarness({
    env: { TASK_TIMEOUT_MINUTES: '1' },
    clock: botClock,
  });
});
afterAll(async () => {
  await h?.close();
});

const apiRequestsAbout = (taskId: string) =>
  h.mj.requests.filter((r) => JSON.stringify(r.body ?? r.path).includes(taskId)).length;

async function timedOutResult(started: StartedTask) {
  const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the timed-out result');
  await h.discord.waitFor(
    () => h.discord.message(started.channelId, started.progressId) === undefined,
    5_000,
    'the progress message to be deleted',
  );
  await expect
    .poll(async () => await h.bot.context.store.tracked.get(started.taskId))
    .toMatchObject({ phase: 'timed_out', messageId: null, resultMessageId: result.id });
  return result;
}

describe('TASK_TIMEOUT_MINUTES=1', () => {
  it('keeps following a task for 59 s of bot time, gives up after 1 min with a visible "timed out" result', async () => {
    const started = await imagine(h, 'a very slow render');
    h.mj.clock.advance(4_000); // running, 15%
    await h.discord.waitFor(
      () => h.discord.message(started.channelId, started.progressId)?.content.split('\n')[0]?.endsWith('(15%)'),
      5_000,
      'progress 15%',
    );

    botClock.advance(59_000);
    const askedBefore = apiRequestsAbout(started.taskId);
    await h.discord.waitFor(() => apiRequestsAbout(started.taskId) >= askedBefore + 2, 5_000, 'polls at 59 s');
    await h.quiesce();
    expect(resultsOf(h, started)).toHaveLength(0);
    expect((await h.bot.context.store.tracked.get(started.taskId))?.phase).toBe('active');

    botClock.advance(2_000); // past the minute
    const result = await timedOutResult(started);
    expect(result.content).toContain(`<@${h.discord.defaults.userId}>`);
    // It reads as timed out, not as a task still running at 15%.
    expect(result.content).toMatch(/\(Timed out\)$/m);
    expect(statusField(result)).toBe('Timed out');
    expect(result.content).not.toContain('15%');
    expect(fieldOf(result, 'Note')).toMatch(/^Timed out: the task did not finish within 1 min/);
    expect(result.attachments).toHaveLength(0);

    // The bot stopped asking; the API finishing later changes nothing on Discord.
    const asked = apiRequestsAbout(started.taskId);
    h.mj.clock.advance(30_000);
    await h.quiesce();
    expect((await h.bot.context.store.tracked.get(started.taskId))?.phase).toBe('timed_out');
    expect(apiRequestsAbout(started.taskId)).toBe(asked);
    expect(resultsOf(h, started)).toHaveLength(1);
    expect(h.bot.context.tracking.runningCountFor(h.discord.defaults.userId)).toBe(0);
  });

  it('times out a task whose API keeps failing, instead of retrying forever', async () => {
    const started = await imagine(h, 'behind a broken API');
    h.mj.fault('*', { kind: 'status', status: 503 }, 1_000);
    try {
      await sleep(200); // a few failed polls, with backoff
      botClock.advance(61_000);
      const result = await timedOutResult(started);
      expect(result.content).toMatch(/\(Timed out\)$/m);
      expect(statusField(result)).toBe('Timed out');
      expect(fieldOf(result, 'Note')).toMatch(/^Timed out/);
    } finally {
      h.mj.clearFaults();
    }
  });

  it('logged the API failures as warnings only, drew no 429', () => {
    expect(problems(h).length).toBeGreaterThan(0);
    expect(problems(h).every((line) => line.includes('task poll failed'))).toBe(true);
    expect(h.discord.count429()).toBe(0);
  });
});
