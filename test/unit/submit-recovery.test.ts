// Submits whose answer never came, looked for in the server's latest tasks by the click their signed
// state names (src/submit/recovery.ts). A real SQLite store, a tracker that records what it is asked
// to follow, a list the test writes, a clock the test moves; no timers (sweep() is called directly).
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { deriveStateKey, parseSubmitState, submitState } from '../../src/mj/submit-state.js';
import type { MjTask } from '../../src/mj/schema.js';
import { utcDayOf } from '../../src/days.js';
import { StoreWriteError } from '../../src/store/errors.js';
import { openStore } from '../../src/store/store.js';
import type { TaskTarget } from '../../src/store/tracked-tasks.js';
import type { UnansweredQuery } from '../../src/store/clicks.js';
import { createSubmitRecovery, DEFAULT_RECOVERY, tasksByClick } from '../../src/submit/recovery.js';
import { newTrackedTask } from '../../src/tracking/followed-task.js';
import { systemScheduler } from '../../src/tracking/scheduler.js';
import { task } from './tracker-fakes.js';

const key = deriveStateKey({ discordToken: 'token', mjApiKey: 'key' });
const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const USER = '300000000000000001';
const originOf = (state: string | null | undefined) => parseSubmitState(state, key);
const ours = (id: string, clickId: number) =>
  task(id, 'IN_PROGRESS', '15%', { state: submitState(key, GUILD, USER, clickId) });

function world(options: { usageFails?: () => boolean; registry?: { instanceId: string; aliveMs: number } } = {}) {
  const store = openStore(':memory:');
  let now = 100_000;
  let listed: MjTask[] = [];
  let lists = 0;
  const followed: Array<{ taskId: string; target: TaskTarget | null }> = [];
  let pickUpOutcome: 'followed' | 'unknown' = 'followed';
  /** What each sweep asked the click log for. */
  const queries: UnansweredQuery[] = [];
  const recovery = createSubmitRecovery({
    clicks: {
      ...store.clicks,
      unanswered: (q) => {
        queries.push(q);
        return store.clicks.unanswered(q);
      },
    },
    tracked: store.tracked,
    usage: {
      countFound: (clickId, taskIds, close) =>
        options.usageFails?.()
          ? Promise.reject(new StoreWriteError('disk_full', 'usage.countFound', 'SQLITE_FULL'))
          : store.usage.countFound(clickId, taskIds, close),
    },
    tracker: {
      pickUp: async (taskId, targetFor) => {
        if (pickUpOutcome === 'unknown') return 'unknown';
        followed.push({ taskId, target: await targetFor(task(taskId, 'IN_PROGRESS')) });
        return 'followed';
      },
    },
    listsRecent: () => true,
    recentTasks: () => {
      lists++;
      return Promise.resolve(listed);
    },
    originOf,
    updatesChannelFor: (_guild, fallback) => Promise.resolve(fallback),
    channelLocaleFor: (_guild, guildLocale) => Promise.resolve(guildLocale ?? 'en'),
    clock: { now: () => now },
    scheduler: systemScheduler,
    log: createLogger({ level: 'silent', secrets: [] }),
    options: {
      ...DEFAULT_RECOVERY,
      answerWaitMs: 20_000,
      ...(options.registry && { registry: options.registry }),
    },
  });
  const click = (at: number, messageId: string | null = null, guildId: string | null = GUILD, places = 1) =>
    store.clicks.record({
      messageId,
      customId: messageId ? 'MJ::JOB::upsample::1::abc' : 'imagine',
      userId: USER,
      at,
      guildId,
      channelId: CHANNEL,
      guildLocale: 'zh-CN',
      action: messageId ? 'upsample' : 'imagine',
      places,
    });
  return {
    store,
    recovery,
    queries,
    followed,
    click,
    list: (tasks: MjTask[]) => (listed = tasks),
    lists: () => lists,
    advance: (ms: number) => (now += ms),
    apiAnswers: (answers: boolean) => (pickUpOutcome = answers ? 'followed' : 'unknown'),
  };
}

describe('submit recovery', () => {
  it('reads the click from each signed state, and skips states it did not sign', () => {
    const byClick = tasksByClick(
      [
        ours('t1', 7),
        ours('t2', 7),
        ours('t3', 8),
        task('t4', 'SUCCESS', '100%', { state: submitState(key, GUILD, USER) }),
        task('t5', 'SUCCESS', '100%', { state: 'mjtask-bot:1:2:c7:0000000000000000' }),
      ],
      originOf,
    );
    expect([...byClick].map(([id, tasks]) => [id, tasks.map((t) => t.id)])).toEqual([
      [7, ['t1', 't2']],
      [8, ['t3']],
    ]);
  });

  it('follows the task of a click no answer can come for any more, where the member clicked, once', async () => {
    const w = world();
    const young = await w.click(95_000);
    const lost = await w.click(60_000, '900000000000000001');
    w.list([ours('t-young', young), ours('t-lost', lost), task('t-other', 'SUCCESS', '100%')]);

    expect(await w.recovery.sweep()).toBe(1);
    expect(w.followed).toEqual([
      {
        taskId: 't-lost',
        target: {
          guildId: GUILD,
          channelId: CHANNEL,
          messageId: null,
          requesterId: USER,
          origin: 'click',
          locale: 'zh-CN',
          submittedCustomId: 'MJ::JOB::upsample::1::abc',
        },
      },
    ]);
    expect(await w.store.clicks.findRecent('900000000000000001', 'MJ::JOB::upsample::1::abc', 0)).toMatchObject({
      state: 'submitted',
      childTaskId: 't-lost',
      followChannelId: CHANNEL,
    });
    // The young click's answer may still come; 30 s later it may not, and it is found too.
    w.advance(30_000);
    expect(await w.recovery.sweep()).toBe(1);
    expect(w.followed.map((f) => f.taskId)).toEqual(['t-lost', 't-young']);
    // Nothing pending: no list asked.
    const lists = w.lists();
    w.advance(30_000);
    expect(await w.recovery.sweep()).toBe(0);
    expect(w.lists()).toBe(lists);
  });

  it('with an instance registry, also asks for the clicks of instances counted out, whatever their age', async () => {
    const alone = world();
    await alone.recovery.sweep();
    expect(alone.queries).toEqual([
      { since: 100_000 - 600_000, before: 80_000, now: 100_000, maxTries: 10, limit: 50 },
    ]);
    const shared = world({ registry: { instanceId: 'bot-1', aliveMs: 10_000 } });
    await shared.recovery.sweep();
    expect(shared.queries).toMatchObject([{ before: 80_000, silent: { since: 90_000, self: 'bot-1' } }]);
  });

  it('sweepNow runs one sweep at once, outside the timer, like sweep() (an instance gone: bot.ts)', async () => {
    const w = world({ registry: { instanceId: 'bot-1', aliveMs: 10_000 } });
    w.recovery.sweepNow();
    w.recovery.sweepNow(); // one sweep at a time: the second joins the first
    await new Promise((resolve) => setImmediate(resolve));
    expect(w.queries).toHaveLength(1);
  });

  it('only marks found a task some instance already follows, and gives up after maxTries looks', async () => {
    const w = world();
    const kept = await w.click(10_000);
    const missing = await w.click(10_000);
    const target = {
      guildId: GUILD,
      channelId: CHANNEL,
      messageId: null,
      requesterId: USER,
      origin: 'imagine' as const,
    };
    await w.store.tracked.upsert(newTrackedTask('t-kept', target, 10_500));
    w.list([ours('t-kept', kept)]);
    expect(await w.recovery.sweep()).toBe(1);
    expect(w.followed).toEqual([]);
    for (let i = 1; i < DEFAULT_RECOVERY.maxTries; i++) {
      w.advance(DEFAULT_RECOVERY.retryMs);
      await w.recovery.sweep();
    }
    const asked = w.lists();
    w.advance(DEFAULT_RECOVERY.retryMs);
    await w.recovery.sweep();
    expect(w.lists()).toBe(asked);
    expect(asked).toBe(DEFAULT_RECOVERY.maxTries);
    expect(w.followed).toEqual([]);
    expect(missing).toBeGreaterThan(kept);
  });

  it('keeps the click for the next look while the API cannot be asked about its task', async () => {
    const w = world();
    const id = await w.click(10_000);
    w.list([ours('t-late', id)]);
    w.apiAnswers(false);
    expect(await w.recovery.sweep()).toBe(0);
    expect(w.followed).toEqual([]);
    w.apiAnswers(true);
    w.advance(DEFAULT_RECOVERY.retryMs);
    expect(await w.recovery.sweep()).toBe(1);
    expect(w.followed.map((f) => f.taskId)).toEqual(['t-late']);
  });

  it('counts the tasks it found as started on the click’s day and drops the click’s held places, once', async () => {
    const w = world();
    await w.store.settings.update(GUILD, { memberDailyQuota: 5 }, USER);
    const id = await w.click(10_000, null, GUILD, 4);
    // The submit that timed out (four tasks, the bot's Imagine all) still holds its four places.
    const hold = { guildId: GUILD, userId: USER, quotaExempt: false };
    expect(await w.store.usage.reserve({ ...hold, at: 10_000, places: 4, clickId: id })).toMatchObject({
      kind: 'reserved',
    });
    w.list([ours('t1', id), ours('t2', id), ours('t3', id), ours('t4', id)]);
    expect(await w.recovery.sweep()).toBe(1);
    const day = utcDayOf(10_000);
    expect(await w.store.usage.counts(GUILD, day, day, USER)).toEqual([
      { day, userId: USER, action: 'imagine', outcome: 'started', rule: '', count: 4 },
    ]);
    // Four started and no hold left: one place of five, not none.
    expect(await w.store.usage.reserve({ ...hold, at: 100_000 })).toMatchObject({ kind: 'reserved' });
    expect(await w.store.usage.reserve({ ...hold, at: 100_001 })).toMatchObject({ kind: 'full', left: 0 });
    // The answer arriving now (or another instance's look) counts nothing more.
    expect(await w.store.usage.settle(null, [], id)).toBe(false);
    expect(await w.store.usage.startedOn(GUILD, day, USER)).toBe(4);
  });

  it('counts only the tasks no push counted before the look (a server with both), and closes the click', async () => {
    const w = world();
    const id = await w.click(10_000, null, GUILD, 4);
    // Two of the Imagine all's four were found by their pushes (webhook/feed.ts) while the list lagged.
    expect(await w.store.usage.countFound(id, ['t1'])).toBe(1);
    expect(await w.store.usage.countFound(id, ['t2'])).toBe(1);
    w.list([ours('t1', id), ours('t2', id), ours('t3', id), ours('t4', id)]);
    expect(await w.recovery.sweep()).toBe(1);
    const day = utcDayOf(10_000);
    expect(await w.store.usage.startedOn(GUILD, day, USER)).toBe(4);
    // Closed by the look: a later push of one of them counts nothing.
    expect(await w.store.usage.countFound(id, ['t3'])).toBe(0);
    expect(await w.store.usage.startedOn(GUILD, day, USER)).toBe(4);
  });

  it('counts nothing more for a click whose answer was counted before the instance died, nor for a DM', async () => {
    const w = world();
    const counted = await w.click(10_000, '900000000000000001');
    const started = { guildId: GUILD, userId: USER, at: 10_000, action: 'upsample', outcome: 'started' as const };
    expect(await w.store.usage.settle(null, [started], counted)).toBe(true);
    const inDm = await w.click(10_000, null, null);
    w.list([ours('t-counted', counted), ours('t-dm', inDm)]);
    expect(await w.recovery.sweep()).toBe(2);
    expect(w.followed.map((f) => f.taskId).sort()).toEqual(['t-counted', 't-dm']);
    const day = utcDayOf(10_000);
    expect(await w.store.usage.counts(GUILD, day, day)).toEqual([
      { day, userId: USER, action: 'upsample', outcome: 'started', rule: '', count: 1 },
    ]);
  });

  it('keeps the click for the next look when the database refuses the count, and counts it then', async () => {
    let fail = true;
    const w = world({ usageFails: () => fail });
    const id = await w.click(10_000);
    w.list([ours('t-found', id)]);
    expect(await w.recovery.sweep()).toBe(0);
    // Followed all the same: the member's result matters more than the bookkeeping.
    expect(w.followed.map((f) => f.taskId)).toEqual(['t-found']);
    fail = false;
    w.advance(DEFAULT_RECOVERY.retryMs);
    await w.store.tracked.upsert(
      newTrackedTask(
        't-found',
        { guildId: GUILD, channelId: CHANNEL, messageId: null, requesterId: USER, origin: 'imagine' },
        10_500,
      ),
    );
    expect(await w.recovery.sweep()).toBe(1);
    expect(await w.store.usage.startedOn(GUILD, utcDayOf(10_000), USER)).toBe(1);
  });
});
