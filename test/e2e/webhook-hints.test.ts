// Pushes are hints, not truth: anyone holding the webhook secret can send any body. A push only makes
// the bot re-read the task from the API (batched with the other polls) and members see the API's
// answer. A task the bot does not follow is picked up in the updates channel only when the API's
// answer carries the bot's own `state`, and the member mentioned is the one that state names. Push
// handling is bounded (caps on pick-ups per server and overall, a bounded queue of hints) and never
// delays interactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { imagine, resultsOf, startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { submitState } from './support-clicks.js';

const NO_POLLING = { POLL_FAST_MS: '600000', POLL_SLOW_MS: '600000' };
const UPDATES = '1180000000000000201'; // the stand-in's second channel
/** The feed's default caps: pick-ups per server per minute, and overall. */
const PER_GUILD_CAP = 10;

/** The state a message's first line ends with ("15%"); the id line follows it. */
const stateOf = (content: string | undefined): string => /\(([^)]*)\)$/m.exec(content ?? '')?.[1] ?? '';
const about = (h: Harness, channelId: string, taskId: string) =>
  h.discord.messages(channelId).filter((m) => taskIdOf(m) === taskId);
const postsIn = (h: Harness, channelId: string) =>
  h.discord.requestsTo('POST', `/channels/${channelId}/messages`).length;
const mentions = (h: Harness, channelId: string) =>
  h.discord.messages(channelId).flatMap((m) => [...(m.content ?? '').matchAll(/<@!?(\d+)>/g)].map((x) => x[1]));
const taskReads = (h: Harness) => h.mj.countRequests('fetch') + h.mj.countRequests('list-by-condition');

/** What the receiver did with each push of this task, in order (`notify.push` log lines). */
const pushResults = (h: Harness, taskId: string): string[] =>
  h
    .logLines()
    .filter((l) => l.includes('"event":"notify.push"') && l.includes(`"taskId":"${taskId}"`))
    .map((l) => (JSON.parse(l) as { result: string }).result);

/** A push body for `taskId`: what a proxy would post, or whatever a forger likes. */
const pushBody = (taskId: string, extra: Record<string, unknown> = {}) => ({
  id: taskId,
  action: 'IMAGINE',
  status: 'SUCCESS',
  progress: '100%',
  prompt: 'forged',
  imageUrl: 'https://evil.example/forged.png',
  buttons: [{ customId: 'MJ::JOB::upsample::1::forged', label: 'U1', emoji: '', type: 2, style: 2 }],
  ...extra,
});

let h: Harness;
beforeAll(async () => {
  h = await startTrackingHarness({ webhook: true, env: { ...NO_POLLING, UPDATES_CHANNEL_ID: UPDATES } });
});
afterAll(async () => {
  await h?.close();
});

describe('W1: pushes for tasks the bot never followed', () => {
  it('with no state, or another tool’s state: ignored, nothing posted, the API not even asked', async () => {
    const posts = postsIn(h, UPDATES);
    const reads = taskReads(h);
    const bare = h.mj.createTask({ prompt: 'no state at all' });
    const other = h.mj.createTask({ prompt: 'another tool', state: 'another-app:42' });
    for (const [taskId, state] of [
      [bare, undefined],
      [other, 'another-app:42'],
    ] as const)
      expect((await h.mj.pushRaw(h.notifyUrl!, pushBody(taskId, state ? { state } : {}))).status).toBe(200);
    await h.quiesce();
    expect(pushResults(h, bare)).toEqual(['ignored']);
    expect(pushResults(h, other)).toEqual(['ignored']);
    expect(postsIn(h, UPDATES)).toBe(posts);
    expect(taskReads(h)).toBe(reads);
    expect(await h.bot.context.store.tracked.get(bare)).toBeNull();
    expect(await h.bot.context.store.tracked.get(other)).toBeNull();
  });

  it('a forged state never pings anyone: what counts is the state the API has for the task', async () => {
    const { guildId, userId } = h.discord.defaults;
    const victim = '1180000000000004242';
    const posts = postsIn(h, UPDATES);
    // The API's task is another tool's; the push claims it is the bot's, for some member: with an
    // unsigned claim, and with the victim's real signed state replayed from another task of theirs.
    const foreign = h.mj.createTask({ prompt: 'not ours at all', state: 'another-app:7' });
    await h.mj.pushRaw(h.notifyUrl!, pushBody(foreign, { state: `mjtask-bot:${guildId}:${victim}` }));
    await h.mj.pushRaw(h.notifyUrl!, pushBody(foreign, { state: submitState(h, victim) }));
    // The API's task is the bot's, started by `userId`; the push names the victim instead (replayed).
    const ours = h.mj.createTask({ prompt: 'a lost task of ours', state: submitState(h, userId) });
    await h.mj.pushRaw(h.notifyUrl!, pushBody(ours, { state: submitState(h, victim) }));
    await h.discord.waitFor(() => about(h, UPDATES, ours)[0], 5_000, 'the picked-up task');
    await h.quiesce();

    expect(about(h, UPDATES, foreign)).toEqual([]);
    expect(await h.bot.context.store.tracked.get(foreign)).toBeNull();
    const shown = about(h, UPDATES, ours);
    expect(shown).toHaveLength(1);
    // The API's state of the task (just submitted), not the pushed SUCCESS with its image and buttons.
    expect(stateOf(shown[0]?.content)).toBe('Waiting to start');
    expect(JSON.stringify(shown)).not.toContain('evil.example');
    expect(JSON.stringify(shown)).not.toContain('forged');
    expect(await h.bot.context.store.tracked.get(ours)).toMatchObject({
      requesterId: userId,
      guildId,
      channelId: UPDATES,
    });
    expect(mentions(h, UPDATES)).not.toContain(victim);
    expect(postsIn(h, UPDATES)).toBe(posts + 1);
  });
});

describe('W3: a forged push for a followed task', () => {
  it('shows nothing of its image, buttons or link: the message shows what the API says', async () => {
    const started = await imagine(h, 'a followed owl');
    const { taskId, channelId, progressId } = started;
    await h.mj.flushHooks();
    await h.quiesce();
    const reads = taskReads(h);
    const answer = await h.mj.pushRaw(
      h.notifyUrl!,
      pushBody(taskId, {
        state: submitState(h),
        failReason: '[Verify your account](https://evil.example/login)',
      }),
    );
    expect(answer.status).toBe(200);
    await h.discord.waitFor(() => taskReads(h) > reads, 3_000, 'the re-read the push brings');
    await h.quiesce();
    expect(pushResults(h, taskId).at(-1)).toBe('hinted');
    // The push was only a reason to ask: one re-read, which says the task is still waiting.
    expect(taskReads(h)).toBe(reads + 1);
    expect(resultsOf(h, started)).toEqual([]);
    const message = h.discord.message(channelId, progressId);
    expect(stateOf(message?.content)).toBe('Waiting to start');
    const everything = JSON.stringify(h.discord.messages(channelId).filter((m) => taskIdOf(m) === taskId));
    expect(everything).not.toContain('evil.example');
    expect(everything).not.toContain('forged');
    expect(await h.bot.context.store.tracked.get(taskId)).toMatchObject({
      phase: 'active',
      lastStatus: h.mj.task(taskId)?.status,
    });
    expect(h.mj.task(taskId)?.status).not.toBe('SUCCESS');

    // The real end still arrives, from the API, with the API's image and buttons.
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the real result');
    expect(JSON.stringify(result)).not.toContain('evil.example');
    expect(JSON.stringify(result)).not.toContain('forged');
    expect(stateOf(result.content)).toBe(''); // finished: no state shown
  });
});

describe('W2: a flood of pushes', () => {
  it('400 pushes with distinct ids: pick-ups capped, re-reads batched, and a paid /imagine answers at once', async () => {
    const { userId } = h.discord.defaults;
    const rowsBefore = (await h.bot.context.store.tracked.listActive()).length;
    const postsBefore = postsIn(h, UPDATES);
    const listsBefore = h.mj.countRequests('list-by-condition');
    const fetchesBefore = h.mj.countRequests('fetch');
    // Real tasks with the bot's state, pushed with it (the worst case: every lookup finds one to pick up).
    const state = submitState(h, userId);
    const ids = Array.from({ length: 400 }, (_, i) => h.mj.createTask({ prompt: `flood ${i}`, state }));
    const sending = (async () => {
      for (let i = 0; i < ids.length; i += 50)
        await Promise.all(ids.slice(i, i + 50).map((id) => h.mj.pushRaw(h.notifyUrl!, pushBody(id, { state }))));
    })();

    // A paid click in the middle of the flood.
    const clickedAt = Date.now();
    const click = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a paid click in a flood' } });
    await h.discord.waitFor(() => h.discord.interactionResponses(click.id).callbackType !== null, 3_000, 'the ack');
    const ackMs = Date.now() - clickedAt;
    await h.discord.waitFor(
      () => /channels/.test(h.discord.interactionResponses(click.id).original?.content ?? ''),
      5_000,
      'the answer to the paid click',
    );
    const answerMs = Date.now() - clickedAt;
    await sending;
    await h.quiesce();

    expect(ackMs).toBeLessThan(1_000);
    expect(answerMs).toBeLessThan(2_000);
    const rows = await Promise.all(ids.map((id) => h.bot.context.store.tracked.get(id)));
    const pickedUp = rows.filter((row) => row !== null);
    expect(pickedUp.length).toBeGreaterThan(0);
    expect(pickedUp.length).toBeLessThanOrEqual(PER_GUILD_CAP);
    // Rows: the capped pick-ups and the paid task; messages: one progress message per pick-up.
    expect((await h.bot.context.store.tracked.listActive()).length - rowsBefore).toBeLessThanOrEqual(PER_GUILD_CAP + 1);
    expect(postsIn(h, UPDATES) - postsBefore).toBeLessThanOrEqual(PER_GUILD_CAP + 1);
    // The lookups went out in batches of ≤ 100 ids, not one request per push.
    expect(h.mj.countRequests('fetch') - fetchesBefore).toBe(0);
    expect(h.mj.countRequests('list-by-condition') - listsBefore).toBeLessThanOrEqual(12);
    const lists = h.mj.requests.filter((r) => r.route === 'list-by-condition').slice(listsBefore);
    for (const r of lists) expect(((r.body as { ids?: unknown[] }).ids ?? []).length).toBeLessThanOrEqual(100);
  });

  it('leaves no errors behind', () => {
    expect(h.discord.serverErrors).toEqual([]);
    expect(h.logLines().filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
  });
});
