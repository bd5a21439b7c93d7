// Submits whose answer never came, looked for in the server's latest tasks by the click their signed
// state names (src/submit/recovery.ts). A real SQLite store, a tracker that records what it is asked
// to follow, a list the test writes, a clock the test moves; no timers (sweep() is called directly).
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { deriveStateKey, parseSubmitState, submitState } from '../../src/mj/submit-state.js';
import type { MjTask } from '../../src/mj/schema.js';
import { openStore } from '../../src/store/store.js';
import type { TaskTarget } from '../../src/store/tracked-tasks.js';
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

function world() {
  const store = openStore(':memory:');
  let now = 100_000;
  let listed: MjTask[] = [];
  let lists = 0;
  const followed: Array<{ taskId: string; target: TaskTarget | null }> = [];
  let pickUpOutcome: 'followed' | 'unknown' = 'followed';
  const recovery = createSubmitRecovery({
    clicks: store.clicks,
    tracked: store.tracked,
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
    options: { ...DEFAULT_RECOVERY, answerWaitMs: 20_000 },
  });
  const click = (at: number, messageId: string | null = null) =>
    store.clicks.record({
      messageId,
      customId: messageId ? 'MJ::JOB::upsample::1::abc' : 'imagine',
      userId: USER,
      at,
      guildId: GUILD,
      channelId: CHANNEL,
      guildLocale: 'zh-CN',
    });
  return {
    store,
    recovery,
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
});
