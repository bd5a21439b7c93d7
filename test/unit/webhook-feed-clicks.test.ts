// Where a push shows a task nobody follows whose signed state names a click (src/webhook/feed.ts): as
// the list look does (submit/recovery.ts), where the member clicked (the server's updates channel
// first), mentioning them, with no updates channel needed; and the click is then answered with the
// first task found. A state naming no click the log holds as that member's in that server is shown in
// the updates channel only, as before. A real SQLite store; a tracker that answers a pick-up with the
// task as the API reads it.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { MjTask } from '../../src/mj/schema.js';
import { deriveStateKey, parseSubmitState, submitState } from '../../src/mj/submit-state.js';
import type { ClickAttempt } from '../../src/store/clicks.js';
import { openStore } from '../../src/store/store.js';
import { newTrackedTask } from '../../src/tracking/followed-task.js';
import { createFeedPushHandler } from '../../src/webhook/feed.js';
import { recordingTracker } from './feed-fakes.js';
import { createManualTime, task, type ManualTime } from './tracker-fakes.js';

const key = deriveStateKey({ discordToken: 'token', mjApiKey: 'key' });
const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const CLICKED_IN = '200000000000000001';
const UPDATES = '200000000000000002';
const USER = '300000000000000001';
const BUTTON = { messageId: '900000000000000001', customId: 'MJ::JOB::upsample::1::abc' };
const AT = Date.UTC(2026, 11, 4, 9);

function world(
  options: { configuredChannelId?: string | null; perGuild?: number; answerWaitMs?: number; time?: ManualTime } = {},
) {
  const store = openStore(':memory:');
  const api = new Map<string, MjTask>();
  const { tracker, followed, picked } = recordingTracker(api);
  const onPush = createFeedPushHandler({
    tracker,
    store,
    configuredChannelId: options.configuredChannelId ?? null,
    stateOwner: (state) => parseSubmitState(state, key),
    localeFor: (_guildId, guildLocale) => Promise.resolve(guildLocale ?? 'en-US'),
    clock: options.time?.clock ?? { now: () => AT },
    ...(options.answerWaitMs !== undefined && { answerWaitMs: options.answerWaitMs }),
    ...(options.time && { scheduler: options.time.scheduler }),
    ...(options.perGuild !== undefined && { caps: { perGuild: options.perGuild } }),
    log: createLogger({ level: 'silent', secrets: [] }),
  });
  /** One push of the task, and the pick-up it started, done. */
  const push = async (pushed: MjTask) => {
    const result = await onPush(pushed);
    await picked();
    return result;
  };
  return {
    store,
    followed,
    api,
    push,
    click: (attempt: Partial<ClickAttempt> = {}) =>
      store.clicks.record({
        ...BUTTON,
        userId: USER,
        at: AT,
        guildId: GUILD,
        channelId: CLICKED_IN,
        guildLocale: 'zh-CN',
        action: 'upsample',
        ...attempt,
      }),
    /** A task the API keeps under this state, pushed with the same state. */
    pushOf(id: string, state: string) {
      api.set(id, task(id, 'SUBMITTED', '0%', { state }));
      return push(task(id, 'SUBMITTED', '0%', { state }));
    },
  };
}

const clickState = (clickId: number, guildId: string | null = GUILD, userId = USER) =>
  submitState(key, guildId, userId, clickId);

describe('a pushed task whose state names a click the log holds', () => {
  it('is shown where the member clicked, mentioning them, with no updates channel, and answers the click', async () => {
    const w = world();
    const click = await w.click();
    expect(await w.pushOf('t1', clickState(click))).toBe('queued');
    expect(w.followed).toEqual([
      {
        taskId: 't1',
        target: {
          guildId: GUILD,
          channelId: CLICKED_IN,
          messageId: null,
          requesterId: USER,
          origin: 'click',
          locale: 'zh-CN',
          submittedCustomId: BUTTON.customId,
        },
      },
    ]);
    // A repeat click on the button now finds the task, not a pending submit.
    expect(await w.store.clicks.findRecent(BUTTON.messageId, BUTTON.customId, 0)).toMatchObject({
      id: click,
      state: 'submitted',
      childTaskId: 't1',
      followChannelId: CLICKED_IN,
    });
    expect(await w.store.usage.startedOn(GUILD, '2026-12-04', USER)).toBe(1);
  });

  it('waits while the click’s own answer may still come, then is picked up once', async () => {
    // The push often beats the submit's answer: picked up at once, the answer would follow it a second time.
    const time = createManualTime(AT);
    const w = world({ answerWaitMs: 20_000, time });
    const click = await w.click();
    expect(await w.pushOf('t1', clickState(click))).toBe('queued');
    await time.advance(10_000);
    expect(await w.pushOf('t1', clickState(click))).toBe('queued'); // a second push: one wait
    expect(w.followed).toEqual([]);
    await time.advance(10_000);
    expect(w.followed.map((f) => [f.taskId, f.target.channelId])).toEqual([['t1', CLICKED_IN]]);
    expect(time.pendingTimers()).toBe(0);
  });

  it('after the wait, is not picked up when the task was followed to its end meanwhile (here or elsewhere)', async () => {
    const time = createManualTime(AT);
    const w = world({ answerWaitMs: 20_000, time });
    const click = await w.click();
    expect(await w.pushOf('t1', clickState(click))).toBe('queued');
    // The answer came, and an instance followed the task to its result while the push waited.
    await w.store.tracked.upsert({
      ...newTrackedTask(
        't1',
        { guildId: GUILD, channelId: CLICKED_IN, messageId: null, requesterId: USER, origin: 'click' },
        AT,
      ),
      phase: 'done',
    });
    await time.advance(20_000);
    expect(w.followed).toEqual([]);
  });

  it('does not wait for a click older than its answer window', async () => {
    const time = createManualTime(AT + 30_000);
    const w = world({ answerWaitMs: 20_000, time });
    const old = await w.click();
    await w.pushOf('t1', clickState(old));
    expect(w.followed.map((f) => f.taskId)).toEqual(['t1']);
  });

  it('an /imagine is shown as one, without a button', async () => {
    const w = world();
    const click = await w.click({ messageId: null, customId: 'imagine', action: 'imagine' });
    await w.pushOf('t1', clickState(click));
    expect(w.followed[0]?.target).toMatchObject({ channelId: CLICKED_IN, origin: 'imagine', submittedCustomId: null });
  });

  it('goes to the server’s updates channel when it has one, as the answer would have', async () => {
    const w = world({ configuredChannelId: '200000000000000009' });
    await w.store.settings.setUpdatesChannel(GUILD, UPDATES, null);
    const click = await w.click();
    await w.pushOf('t1', clickState(click));
    expect(w.followed[0]?.target).toMatchObject({ channelId: UPDATES, requesterId: USER, origin: 'click' });
    expect(await w.store.clicks.findRecent(BUTTON.messageId, BUTTON.customId, 0)).toMatchObject({
      followChannelId: UPDATES,
    });
  });

  it('🎉 Imagine all: each of its four tasks is shown there, and the click links to the first found', async () => {
    const w = world();
    const click = await w.click({ customId: 'MJ::Job::PicReader::all', action: 'pic_reader', places: 4 });
    for (const id of ['t3', 't1', 't4', 't2']) await w.pushOf(id, clickState(click));
    expect(w.followed.map((f) => [f.taskId, f.target.channelId])).toEqual([
      ['t3', CLICKED_IN],
      ['t1', CLICKED_IN],
      ['t4', CLICKED_IN],
      ['t2', CLICKED_IN],
    ]);
    expect(await w.store.clicks.findRecent(BUTTON.messageId, 'MJ::Job::PicReader::all', 0)).toMatchObject({
      childTaskId: 't3',
    });
  });

  it('keeps the hint-then-verify rule: the API’s copy under another state shows nothing and answers nothing', async () => {
    const w = world();
    const click = await w.click();
    w.api.set('t1', task('t1', 'SUBMITTED', '0%', { state: 'someone else' }));
    expect(await w.push(task('t1', 'SUBMITTED', '0%', { state: clickState(click) }))).toBe('queued');
    expect(w.followed).toEqual([]);
    expect(await w.store.clicks.get(click)).toMatchObject({ state: 'pending' });
  });

  it('still counts against the pick-up caps', async () => {
    const w = world({ perGuild: 1 });
    const first = await w.click();
    const second = await w.click({ messageId: '900000000000000002' });
    await w.pushOf('t1', clickState(first));
    expect(await w.pushOf('t2', clickState(second))).toBe('dropped');
    expect(w.followed.map((f) => f.taskId)).toEqual(['t1']);
    expect(await w.store.clicks.get(second)).toMatchObject({ state: 'pending' });
  });
});

describe('a pushed task whose state names no click the log holds', () => {
  it('is shown in the updates channel only, as a feed task, as before', async () => {
    const w = world();
    expect(await w.pushOf('t1', submitState(key, GUILD, USER))).toBe('ignored');
    // A click id the log does not hold (pruned) is the same.
    expect(await w.pushOf('t2', clickState(4_242))).toBe('ignored');
    await w.store.settings.setUpdatesChannel(GUILD, UPDATES, null);
    await w.pushOf('t3', clickState(4_242));
    expect(w.followed).toEqual([
      {
        taskId: 't3',
        target: {
          guildId: GUILD,
          channelId: UPDATES,
          messageId: null,
          requesterId: USER,
          origin: 'feed',
          locale: 'en-US',
        },
      },
    ]);
  });

  it('a click of another server or member under the id is never where it is shown, nor answered, nor charged', async () => {
    const w = world();
    const elsewhere = await w.click({ guildId: OTHER_GUILD });
    const someoneElse = await w.click({ messageId: '900000000000000002', userId: '300000000000000002' });
    expect(await w.pushOf('t1', clickState(elsewhere))).toBe('ignored');
    expect(await w.pushOf('t2', clickState(someoneElse))).toBe('ignored');
    await w.store.settings.setUpdatesChannel(GUILD, UPDATES, null);
    await w.pushOf('t3', clickState(elsewhere));
    expect(w.followed.map((f) => [f.taskId, f.target.channelId, f.target.origin])).toEqual([['t3', UPDATES, 'feed']]);
    for (const id of [elsewhere, someoneElse]) expect(await w.store.clicks.get(id)).toMatchObject({ state: 'pending' });
    expect(await w.store.usage.startedOn(OTHER_GUILD, '2026-12-04', USER)).toBe(0);
    expect(await w.store.usage.startedOn(GUILD, '2026-12-04', '300000000000000002')).toBe(0);
  });
});
