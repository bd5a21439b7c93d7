// Following tasks through a new-api style aggregator: status "" right after submit reads as
// submitted, a FAILURE reported at "100%" is a failure, and an id the API does not know yet is
// retried (replication lag) until it shows up, or ends as "not found" after the grace period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  createOffsetClock,
  fieldOf,
  imagine,
  problems,
  resultsOf,
  startTrackingHarness,
  statusField,
  type StartedTask,
} from '../support/tracking-e2e.js';

let h: Harness;
const botClock = createOffsetClock();
const REFRESH = 15_000;

beforeAll(async () => {
  h = await startTrackingHarness({
    mj: { flavor: 'aggregator' },
    clock: botClock,
  });
});
afterAll(async () => {
  await h?.close();
});

const shows = (t: StartedTask) => h.discord.message(t.channelId, t.progressId)?.content ?? '';

async function resultOf(t: StartedTask) {
  const result = await h.discord.waitFor(() => resultsOf(h, t)[0], 5_000, `the result of ${t.taskId}`);
  await h.discord.waitFor(
    () => h.discord.message(t.channelId, t.progressId) === undefined,
    5_000,
    'the progress message to be deleted',
  );
  return result;
}

describe('through an aggregator', () => {
  it('shows status "" as waiting, follows the 15 s refreshes, and ends with the result', async () => {
    const started = await imagine(h, 'through new-api');
    await h.discord.waitFor(() => pollsAbout(started.taskId) >= 3, 5_000, 'several polls of the "" row');
    await h.quiesce();
    expect(h.mj.task(started.taskId)).toMatchObject({ status: '' });
    expect(shows(started)).toMatch(/\(Waiting to start\)$/m);
    expect(statusField(h.discord.message(started.channelId, started.progressId))).toMatch(/^Waiting to start/);

    h.mj.clock.advance(REFRESH); // the aggregator's first refresh: running
    await h.discord.waitFor(() => /\(\d+%\)$/m.test(shows(started)), 5_000, 'progress after the refresh');
    h.mj.clock.advance(REFRESH);
    const result = await resultOf(started);
    expect(statusField(result)).toBe('');
    expect(result.attachments).toHaveLength(1);
  });

  it('reads FAILURE at "100%" as a failure with its reason', async () => {
    h.mj.nextTask({ timeline: { outcome: 'FAILURE', failReason: '[Banned prompt detected] 可能包含敏感词' } });
    const started = await imagine(h, 'a banned prompt');
    h.mj.clock.advance(2 * REFRESH);
    expect(h.mj.task(started.taskId)).toMatchObject({ status: 'FAILURE', progress: '100%' });
    const result = await resultOf(started);
    expect(result.content).toMatch(/\(Failed\)$/m);
    expect(statusField(result)).toBe('Failed');
    expect(fieldOf(result, 'Reason')).toBe('\\[Banned prompt detected\\] 可能包含敏感词'); // brackets escaped: plain text
    expect(result.attachments).toHaveLength(0);
  });

  /** API requests that asked about `taskId` (list-by-condition bodies carry the ids). */
  const pollsAbout = (taskId: string) =>
    h.mj.requests.filter((r) => JSON.stringify(r.body ?? '').includes(taskId)).length;

  it('retries an id the API does not know yet, and follows it once it appears', async () => {
    h.mj.nextTask({ unknownForMs: 20_000 });
    const started = await imagine(h, 'not replicated yet');
    await h.discord.waitFor(() => pollsAbout(started.taskId) > 1, 5_000, 'the unknown id to be asked for again'); // asked again and again
    botClock.advance(60_000); // within the 2 min grace
    const asked = pollsAbout(started.taskId);
    await h.discord.waitFor(() => pollsAbout(started.taskId) >= asked + 2, 5_000, 'more polls within the grace');
    await h.quiesce();
    expect(resultsOf(h, started)).toHaveLength(0);
    expect(shows(started)).toMatch(/\(Waiting to start\)$/m);

    h.mj.clock.advance(2 * REFRESH); // known now, and done
    const result = await resultOf(started);
    expect(statusField(result)).toBe('');
  });

  it('ends an id that never appears as "not found" after the grace period, with one result', async () => {
    h.mj.nextTask({ unknownForMs: 60 * 60_000 });
    const started = await imagine(h, 'lost by the API');
    await h.discord.waitFor(() => pollsAbout(started.taskId) > 0, 5_000, 'the first poll'); // the grace period starts at the first "unknown"
    botClock.advance(2 * 60_000 + 1_000);
    const result = await resultOf(started);
    expect(result.content).toMatch(/\(Failed\)$/m);
    expect(fieldOf(result, 'Reason')).toBe('The Midjourney API does not know this task ID.');
    await h.quiesce();
    expect(resultsOf(h, started)).toHaveLength(1);
    expect((await h.bot.context.store.tracked.get(started.taskId))?.phase).toBe('done');
  });

  it('logged no warnings and drew no 429', () => {
    expect(problems(h)).toEqual([]);
    expect(h.discord.count429()).toBe(0);
  });
});
