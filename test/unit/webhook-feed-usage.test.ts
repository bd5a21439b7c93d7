// A push for a task nobody follows, whose signed state names a click (src/webhook/feed.ts): the task
// was paid for by that click, its answer lost, so once the API confirms the state the task counts in
// the member's usage, once however many pushes name it. A real SQLite store; a tracker that answers a
// pick-up with the task as the API would read it.
import { describe, expect, it } from 'vitest';
import { utcDayOf } from '../../src/days.js';
import { createLogger } from '../../src/log.js';
import type { MjTask } from '../../src/mj/schema.js';
import { deriveStateKey, parseSubmitState, submitState } from '../../src/mj/submit-state.js';
import { StoreWriteError } from '../../src/store/errors.js';
import { openStore } from '../../src/store/store.js';
import { createFeedPushHandler } from '../../src/webhook/feed.js';
import { recordingTracker } from './feed-fakes.js';
import { task } from './tracker-fakes.js';

const key = deriveStateKey({ discordToken: 'token', mjApiKey: 'key' });
const GUILD = '100000000000000001';
const CHANNEL = '200000000000000001';
const USER = '300000000000000001';
const AT = Date.UTC(2026, 11, 4, 9);
const DAY = utcDayOf(AT);

function world(options: { countFails?: boolean } = {}) {
  const store = openStore(':memory:');
  /** What the API answers for a task id (its state as the server keeps it). */
  const api = new Map<string, MjTask>();
  const usage = options.countFails
    ? {
        ...store.usage,
        countFound: () => Promise.reject(new StoreWriteError('disk_full', 'usage.countFound', 'SQLITE_FULL')),
      }
    : store.usage;
  const { tracker, followed, picked } = recordingTracker(api);
  const onPush = createFeedPushHandler({
    tracker,
    store: { ...store, usage },
    configuredChannelId: CHANNEL,
    stateOwner: (state) => parseSubmitState(state, key),
    clock: { now: () => AT },
    log: createLogger({ level: 'silent', secrets: [] }),
  });
  return {
    store,
    followed,
    api,
    /** One push of the task, and the pick-up it started, done. */
    async push(pushed: MjTask) {
      const result = await onPush(pushed);
      await picked();
      return result;
    },
    click: (places: number) =>
      store.clicks.record({
        messageId: '900000000000000001',
        customId: 'MJ::Job::PicReader::all',
        userId: USER,
        at: AT,
        guildId: GUILD,
        channelId: CHANNEL,
        action: 'pic_reader',
        places,
      }),
  };
}

const ofClick = (id: string, clickId: number) =>
  task(id, 'SUBMITTED', '0%', { state: submitState(key, GUILD, USER, clickId) });

describe('a pushed task of a click whose answer never came', () => {
  it('is counted once the API confirms its state: once per task, four for an Imagine all, none for a repeat', async () => {
    const w = world();
    const click = await w.click(4);
    for (const id of ['t1', 't2', 't3', 't4']) w.api.set(id, ofClick(id, click));
    expect(await w.push(ofClick('t1', click))).toBe('queued');
    expect(await w.store.usage.startedOn(GUILD, DAY, USER)).toBe(1);
    // The same task again (a proxy pushes every change): followed now, nothing more counted.
    expect(await w.push(ofClick('t1', click))).toBe('hinted');
    for (const id of ['t2', 't3', 't4']) await w.push(ofClick(id, click));
    expect(w.followed.map((f) => f.taskId)).toEqual(['t1', 't2', 't3', 't4']);
    expect(await w.store.usage.counts(GUILD, DAY, DAY, USER)).toEqual([
      { day: DAY, userId: USER, action: 'pic_reader', outcome: 'started', rule: '', count: 4 },
    ]);
  });

  it('counts nothing the API does not confirm: a push naming a click whose task the API keeps under no such state', async () => {
    const w = world();
    const click = await w.click(1);
    w.api.set('t-other', task('t-other', 'SUBMITTED', '0%', { state: submitState(key, GUILD, USER) }));
    await w.push(ofClick('t-other', click));
    expect(await w.store.usage.startedOn(GUILD, DAY, USER)).toBe(0);
    // Its own task, confirmed, counts.
    w.api.set('t-own', ofClick('t-own', click));
    await w.push(ofClick('t-own', click));
    expect(await w.store.usage.startedOn(GUILD, DAY, USER)).toBe(1);
  });

  it('counts nothing for a click whose answer counted its task, and still shows a task it cannot count', async () => {
    const w = world();
    const answered = await w.click(1);
    const event = { guildId: GUILD, userId: USER, at: AT, action: 'pic_reader', outcome: 'started' as const };
    expect(await w.store.usage.settle(null, [event], answered)).toBe(true);
    w.api.set('t-answered', ofClick('t-answered', answered));
    await w.push(ofClick('t-answered', answered));
    expect(await w.store.usage.startedOn(GUILD, DAY, USER)).toBe(1);

    const failing = world({ countFails: true });
    const lost = await failing.click(1);
    failing.api.set('t-lost', ofClick('t-lost', lost));
    await failing.push(ofClick('t-lost', lost));
    expect(failing.followed.map((f) => f.taskId)).toEqual(['t-lost']);
  });
});
