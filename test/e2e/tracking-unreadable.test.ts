// A task whose state the tracker cannot apply (here `properties` nested 100,000 deep: it parses, but no
// deep compare or JSON.stringify survives it) backs off like a transient error instead of being polled
// as fast as the API answers, and after a bounded number of tries ends visibly with a "could not read"
// result. Polls are shrunk to 100 ms so the whole back-off fits in a few seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGLISH } from '../../src/i18n/index.js';

const UNREADABLE_TASK_REASON = ENGLISH('tracking.unreadable');
import type { Harness } from '../support/harness.js';
import { imagine, resultsOf, sleep, startTrackingHarness } from '../support/tracking-e2e.js';

const POLL_MS = 100;
let h: Harness;

beforeAll(async () => {
  h = await startTrackingHarness({ env: { POLL_FAST_MS: String(POLL_MS), POLL_SLOW_MS: String(POLL_MS) } });
});
afterAll(async () => {
  await h?.close();
});

/** Requests that read this task's state, whatever the route. */
const pollsOf = (taskId: string) =>
  h.mj.requests.filter(
    (r) =>
      (r.route === 'fetch' && r.path.includes(`/task/${taskId}/fetch`)) ||
      (r.route === 'list-by-condition' &&
        ((r.body as { ids?: unknown[] } | undefined)?.ids ?? []).map(String).includes(taskId)),
  ).length;

const errorLinesAbout = (taskId: string) =>
  h.logLines().filter((l) => l.includes(taskId) && (JSON.parse(l) as { level: number }).level >= 40);

describe('an answer the tracker cannot apply', () => {
  it('backs off, then ends with a visible "could not read" result; the task next to it carries on', async () => {
    const bad = await imagine(h, 'a task with bottomless properties');
    const good = await imagine(h, 'a task next to it');
    h.mj.fault(bad.taskId, { kind: 'deepProperties', depth: 100_000 }, 10_000);
    const pollsBefore = pollsOf(bad.taskId);

    const result = await h.discord.waitFor(() => resultsOf(h, bad)[0], 15_000, 'the "could not read" result');
    expect(JSON.stringify(result.embeds)).toContain(UNREADABLE_TASK_REASON);
    await h.discord.waitFor(
      async () => (await h.bot.context.store.tracked.get(bad.taskId))?.phase === 'done',
      5_000,
      'the task to be recorded as done',
    );
    // Five tries backing off from 200 ms (200 + 400 + 800 + 1600 ms): a handful of polls, where
    // polling as fast as the API answers made hundreds in the same time.
    const polls = pollsOf(bad.taskId) - pollsBefore;
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(8);
    // One warning for the first unreadable answer, not one error line per poll.
    expect(errorLinesAbout(bad.taskId).length).toBeLessThanOrEqual(2);

    // Ended: not polled any more.
    await h.quiesce();
    const after = pollsOf(bad.taskId);
    await sleep(10 * POLL_MS);
    expect(pollsOf(bad.taskId)).toBe(after);

    h.mj.clock.advance(30_000);
    const done = await h.discord.waitFor(() => resultsOf(h, good)[0], 10_000, 'the other task’s result');
    expect(JSON.stringify(done.embeds)).not.toContain(UNREADABLE_TASK_REASON);
  });
});
