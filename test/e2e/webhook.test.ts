// notifyHook pushes end to end: the MJ stand-in posts each state change of a task submitted with
// /imagine to the bot's receiver (POST /notify/<secret>). A push is a hint: it brings a re-read of the
// task from the API forward, and the API's answer is what members see. Polling is set to 10 minutes
// here, so nothing but a push can explain a re-read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { editsOf, imagine, resultsOf, startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { sentState } from './support-clicks.js';

const NO_POLLING = { POLL_FAST_MS: '600000', POLL_SLOW_MS: '600000' };

/** Requests that read this task's state from the MJ API (a poll), whatever the route. */
function pollsOf(h: Harness, taskId: string): number {
  return h.mj.requests.filter(
    (r) =>
      (r.route === 'fetch' && r.path.includes(`/task/${taskId}/fetch`)) ||
      (r.route === 'list-by-condition' &&
        ((r.body as { ids?: unknown[] } | undefined)?.ids ?? []).map(String).includes(taskId)),
  ).length;
}

/** Every request that reads task state from the MJ API, for any task. */
const allPolls = (h: Harness) => h.mj.countRequests('fetch') + h.mj.countRequests('list-by-condition');

/** The "(15%)" / "(Waiting to start)" suffix of a progress message's first line; '' on a result (none shown). */
const stateOf = (content: string | undefined): string => /\(([^)]*)\)$/m.exec(content ?? '')?.[1] ?? '';
const percentOf = (state: string): number =>
  state === 'Waiting to start' ? -1 : Number(/^(\d+)%$/.exec(state)?.[1] ?? NaN);

/**
 * Waits until the push sent at submit time has been answered (it usually lands after the bot follows
 * the task, which then defers its first poll), so later polls can be counted.
 */
async function settled(h: Harness, taskId: string): Promise<number> {
  await h.discord.waitFor(
    () => h.mj.hookDeliveries.some((d) => d.taskId === taskId),
    5_000,
    `the submit-time push of ${taskId}`,
  );
  await h.mj.flushHooks();
  await h.quiesce();
  return pollsOf(h, taskId);
}

describe('notifyHook pushes with polling out of the way', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ webhook: true, env: NO_POLLING });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('passes notifyHook and state on every submit', async () => {
    const started = await imagine(h, 'a submit with a hook');
    const submit = h.mj.requests.find(
      (r) => r.route === 'imagine' && JSON.stringify(r.body).includes('a submit with a hook'),
    );
    expect(submit?.body).toMatchObject({ notifyHook: h.notifyUrl, state: sentState(h) });
    expect(await h.bot.context.store.tracked.get(started.taskId)).toMatchObject({ phase: 'active' });
  });

  it('a push edits the progress message at once, through one re-read of the task', async () => {
    const started = await imagine(h, 'a pushed red fox');
    const { taskId, channelId, progressId } = started;
    expect(stateOf(h.discord.message(channelId, progressId)?.content)).toBe('Waiting to start');
    const pollsBefore = await settled(h, taskId);
    const anyPollsBefore = allPolls(h);
    const editsBefore = editsOf(h, progressId);

    const pushedAt = Date.now();
    h.mj.clock.advance(4_000); // queued 2 s, then running: the stand-in posts 0% and 15%
    const edited = await h.discord.waitFor(
      () => {
        const m = h.discord.message(channelId, progressId);
        return stateOf(m?.content) === '15%' ? m : null;
      },
      5_000,
      'the pushed 15%',
    );
    expect(Date.now() - pushedAt).toBeLessThan(2_000);
    expect(edited.content).toContain('a pushed red fox');
    expect(editsOf(h, progressId)).toBeGreaterThan(editsBefore);
    await h.mj.flushHooks();
    await h.quiesce();
    const deliveries = h.mj.hookDeliveries.filter((d) => d.taskId === taskId && d.status === 'IN_PROGRESS');
    expect(deliveries.map((d) => d.progress)).toEqual(['0%', '15%']);
    // Only the pushes explain the edit: at most one re-read of this task per push, and no other poll.
    expect(pollsOf(h, taskId) - pollsBefore).toBeGreaterThanOrEqual(1);
    expect(pollsOf(h, taskId) - pollsBefore).toBeLessThanOrEqual(deliveries.length);
    expect(allPolls(h) - anyPollsBefore).toBe(pollsOf(h, taskId) - pollsBefore);
    expect(deliveries.every((d) => d.httpStatus === 200)).toBe(true);
    // The tracker records the push, which slows the safety-net polling for this task.
    expect((await h.bot.context.store.tracked.get(taskId))?.lastPushAt).not.toBeNull();
    const line = h.logLines().find((l) => l.includes('"notify.push"') && l.includes(taskId) && l.includes('"hinted"'));
    expect(line).toBeDefined();

    // The pushes carry the task to its end: one result, the progress message deleted, only re-reads.
    h.mj.clock.advance(14_000);
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the pushed result');
    await h.discord.waitFor(
      () => h.discord.message(channelId, progressId) === undefined,
      5_000,
      'the progress message to be deleted',
    );
    expect(stateOf(result.content)).toBe('');
    expect(result.content).toContain(`<@${h.discord.defaults.userId}>`);
    const pushes = h.mj.hookDeliveries.filter((d) => d.taskId === taskId).length;
    expect(allPolls(h) - anyPollsBefore).toBeLessThanOrEqual(pushes);
    await expect.poll(async () => (await h.bot.context.store.tracked.get(taskId))?.phase).toBe('done');
  });

  it('out-of-order and repeated pushes never move the message back, and give exactly one result', async () => {
    const started = await imagine(h, 'a shuffled heron');
    const { taskId, channelId, progressId } = started;
    const pollsBefore = await settled(h, taskId);
    h.mj.clock.advance(2_000 + 6_000); // 46%
    await h.discord.waitFor(
      () => stateOf(h.discord.message(channelId, progressId)?.content) === '46%',
      5_000,
      'the pushed 46%',
    );
    await h.mj.flushHooks();

    const now = h.mj.task(taskId)!;
    const at = (status: string, progress: string) => ({ ...now, status, progress, imageUrl: null, buttons: [] });
    const post = (body: unknown) => h.mj.pushRaw(h.notifyUrl!, body);
    const outcomes = () =>
      h
        .logLines()
        .filter((l) => l.includes('"event":"notify.push"') && l.includes(`"taskId":"${taskId}"`))
        .map((l) => (JSON.parse(l) as { result: string }).result);
    const seen = outcomes().length;
    // Older states (a slow proxy thread), the same state twice, a queued state: each only a hint, and
    // the re-read shows what the API says (46%).
    for (const body of [
      at('IN_PROGRESS', '15%'),
      at('IN_PROGRESS', '46%'),
      at('SUBMITTED', '0%'),
      at('NOT_START', '0%'),
      at('IN_PROGRESS', '31%'),
    ]) {
      expect((await post(body)).status).toBe(200);
    }
    await h.quiesce();
    expect(stateOf(h.discord.message(channelId, progressId)?.content)).toBe('46%');
    expect(outcomes().slice(seen)).toEqual(['hinted', 'hinted', 'hinted', 'hinted', 'hinted']);

    // The end arrives before a skipped step, and three times (NZK and FORK both post the final state
    // again when the image URL is rewritten); late running states follow.
    h.mj.clock.advance(10_000);
    await h.mj.flushHooks();
    const done = h.mj.task(taskId)!;
    expect(done.status).toBe('SUCCESS');
    await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result');
    const beforeLate = outcomes().length;
    for (const body of [done, at('IN_PROGRESS', '93%'), done, at('IN_PROGRESS', '78%')])
      expect((await post(body)).status).toBe(200);
    expect(outcomes().slice(beforeLate)).toEqual(['stale', 'stale', 'stale', 'stale']);
    await h.discord.waitFor(
      () => h.discord.message(channelId, progressId) === undefined,
      5_000,
      'the progress message to be deleted',
    );
    await h.quiesce();

    expect(resultsOf(h, started)).toHaveLength(1);
    // Every message that ever showed this task, in order, only moved forward.
    const shown = h.discord.messageHistory(progressId).map((m) => percentOf(stateOf(m.content)));
    expect(shown.length).toBeGreaterThan(1);
    shown.slice(1).forEach((p, i) => expect(p).toBeGreaterThanOrEqual(shown[i]!));
    expect(shown.at(-1)).toBeGreaterThanOrEqual(46);
    // No progress message came back, nothing else about the task was posted, and the re-reads were few.
    const about = h.discord.messages(channelId).filter((m) => taskIdOf(m) === taskId);
    expect(about.map((m) => stateOf(m.content))).toEqual(['']);
    const pushes = h.mj.hookDeliveries.filter((d) => d.taskId === taskId).length + 9;
    expect(pollsOf(h, taskId) - pollsBefore).toBeLessThanOrEqual(pushes);
    expect(await h.bot.context.store.tracked.get(taskId)).toMatchObject({ phase: 'done', lastStatus: 'SUCCESS' });
  });
});

describe('notifyHook pushes with normal polling', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({
      webhook: true,
      env: { POLL_FAST_MS: '40', POLL_SLOW_MS: '40' },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a pushed task is polled only as a slow safety net, while a task without pushes is polled every 40 ms', async () => {
    // The control: a running task made outside the bot (no notifyHook), followed with /mjtask.
    const quiet = h.mj.createTask({ prompt: 'a task nobody pushes' });
    h.mj.clock.advance(2_500);
    const watch = h.discord.slashCommand({ name: 'mjtask', options: { id: quiet } });
    await h.discord.waitFor(
      () => taskIdOf(h.discord.interactionResponses(watch.id).original ?? undefined) !== null,
      5_000,
      '/mjtask',
    );
    await h.discord.waitFor(() => pollsOf(h, quiet) >= 1, 5_000, 'the control task to be polled');

    const started = await imagine(h, 'a pushed owl');
    const { taskId, channelId, progressId } = started;
    h.mj.clock.advance(4_000); // pushes: 0%, 15% (the control moves on too, but nobody tells the bot)
    await h.discord.waitFor(
      () => stateOf(h.discord.message(channelId, progressId)?.content) === '15%',
      5_000,
      'the 15%',
    );
    await h.mj.flushHooks();
    await h.quiesce(); // a poll already in flight lands first
    // A poll scheduled before the push arrived may still fire once: let two control polls pass first.
    const settling = pollsOf(h, quiet);
    await h.discord.waitFor(() => pollsOf(h, quiet) - settling >= 2, 5_000, 'two polls of the control');
    await h.quiesce();

    const pushedBefore = pollsOf(h, taskId);
    const quietBefore = pollsOf(h, quiet);
    // While the control is polled four more times, the pushed task is not polled at all.
    await h.discord.waitFor(() => pollsOf(h, quiet) - quietBefore >= 4, 5_000, 'four polls of the control');
    expect(pollsOf(h, quiet) - quietBefore).toBeGreaterThanOrEqual(4);
    expect(pollsOf(h, taskId) - pushedBefore).toBe(0);

    h.mj.clock.advance(14_000);
    await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result');
    await h.quiesce();
    expect((await h.bot.context.store.tracked.get(taskId))?.phase).toBe('done');
    expect(resultsOf(h, started)).toHaveLength(1);
  });
});
