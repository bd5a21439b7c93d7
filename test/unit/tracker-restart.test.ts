// Crash points: a "process" is a publisher + tracker with its own kill switch. Killing it freezes all
// its I/O and timers mid-flight (like SIGKILL); a new process then resumes from the same database
// against the same Discord. Every task must end with exactly one result and no leftover progress.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MjApi } from '../../src/mj/api.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { ChannelMessenger } from '../../src/tracking/messenger.js';
import { createPublisher } from '../../src/tracking/publisher.js';
import type { Scheduler } from '../../src/tracking/scheduler.js';
import { createTracker } from '../../src/tracking/tracker.js';
import type { Tracker } from '../../src/tracking/types.js';
import type { TaskTarget } from '../../src/store/tracked-tasks.js';
import {
  createFakeDiscord,
  createFakeMj,
  createManualTime,
  createTestRender,
  task,
  type FakeDiscord,
  type FakeMj,
  type ManualTime,
} from './tracker-fakes.js';
import { CHANNEL, target as worldTarget } from './tracker-worlds.js';

const target: TaskTarget = worldTarget();

let dir: string;
let time: ManualTime;
let discord: FakeDiscord;
let mj: FakeMj;
const processes: Array<{ tracker: Tracker; store: Store; kill(): void; dead(): boolean }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjtask-restart-'));
  time = createManualTime();
  discord = createFakeDiscord(time);
  mj = createFakeMj(time);
});
afterEach(async () => {
  for (const p of processes.splice(0)) {
    if (!p.dead()) await p.tracker.stop();
    await p.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

const hang = () => new Promise<never>(() => {});

/** A bot process on the shared database file, Discord and API; kill() is SIGKILL. */
function spawn() {
  let dead = false;
  const guard = <T>(p: Promise<T>): Promise<T> =>
    dead
      ? hang()
      : p.then(
          (v) => (dead ? hang() : v),
          (e: unknown) => (dead ? hang() : Promise.reject(e as Error)),
        );
  const messenger: ChannelMessenger = {
    send: (...a) => guard(discord.send(...a)),
    edit: (...a) => guard(discord.edit(...a)),
    delete: (...a) => guard(discord.delete(...a)),
  };
  const api: MjApi = {
    ...mj,
    fetchTask: (id) => guard(mj.fetchTask(id)),
    fetchTasks: (ids) => guard(mj.fetchTasks(ids)),
  };
  const scheduler: Scheduler = {
    setTimeout: (fn, ms) => time.scheduler.setTimeout(() => !dead && fn(), ms),
    clearTimeout: (h) => time.scheduler.clearTimeout(h),
  };
  const store = openStore(join(dir, 'bot.sqlite'), { clock: time.clock });
  const publisher = createPublisher({ messenger, render: createTestRender(), clock: time.clock, scheduler });
  const tracker = createTracker({ mj: api, store, publisher, clock: time.clock, scheduler });
  const proc = { tracker, store, kill: () => void (dead = true), dead: () => dead };
  processes.push(proc);
  return proc;
}

const resultsFor = (id: string) =>
  discord.ops.filter(
    (o) =>
      o.op === 'send' && !o.failed && !o.deduped && o.body?.content?.startsWith(`${id} `) && o.nonce?.startsWith('r'),
  );
const progressCreatedFor = (id: string) =>
  discord.ops.filter(
    (o) => o.op === 'send' && !o.deduped && o.nonce?.startsWith('p') && o.body?.content?.startsWith(`${id} `),
  );
const leftoverProgress = () => discord.inChannel(CHANNEL).filter((m) => m.nonce?.startsWith('p'));

describe('tracker restart: every task ends with exactly one result', () => {
  it('result sent but not recorded: the resend with the same nonce returns the same message', async () => {
    const id = '1700000000000001';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '40%'));
    const first = spawn();
    await first.tracker.start();
    await first.tracker.follow(id, target);
    discord.fault = ({ op, nonce }) => (op === 'send' && nonce?.startsWith('r') ? 'lost' : undefined);
    mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(3_000);
    expect(resultsFor(id)).toHaveLength(1); // Discord has it…
    expect((await first.store.tracked.get(id))?.phase).toBe('active'); // …the bot never heard back.
    first.kill();
    discord.fault = null;

    const second = spawn();
    await second.tracker.start();
    await time.advance(1_000);
    expect(resultsFor(id)).toHaveLength(1);
    expect(discord.ops.filter((o) => o.deduped && o.nonce?.startsWith('r'))).toHaveLength(1);
    expect(await second.store.tracked.get(id)).toMatchObject({
      phase: 'done',
      resultMessageId: resultsFor(id)[0]?.messageId,
      messageId: null,
    });
    expect(leftoverProgress()).toHaveLength(0);
  });

  it('result recorded but progress message not deleted: start() deletes it and sends nothing else', async () => {
    const id = '1700000000000002';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '40%'));
    const first = spawn();
    await first.tracker.start();
    const { messageId } = await first.tracker.follow(id, target);
    discord.fault = ({ op }) => (op === 'delete' ? 'hang' : undefined);
    mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(3_000);
    expect(await first.store.tracked.get(id)).toMatchObject({ phase: 'done', messageId });
    first.kill();
    discord.fault = null;

    const sendsBefore = discord.ops.filter((o) => o.op === 'send').length;
    const second = spawn();
    await second.tracker.start();
    await time.advance(1_000);
    expect(discord.messages.has(messageId as string)).toBe(false);
    expect((await second.store.tracked.get(id))?.messageId).toBeNull();
    expect(discord.ops.filter((o) => o.op === 'send').length).toBe(sendsBefore);
    expect(resultsFor(id)).toHaveLength(1);
  });

  it('progress message never created: the resumed task creates it, then delivers the result', async () => {
    const id = '1700000000000003';
    mj.tasks.set(id, task(id, 'SUBMITTED', '0%'));
    discord.fault = ({ op }) => (op === 'send' ? 'hang' : undefined);
    const first = spawn();
    await first.tracker.start();
    void first.tracker.follow(id, target);
    await time.advance(100);
    expect(await first.store.tracked.get(id)).toMatchObject({ phase: 'active', messageId: null });
    first.kill();
    discord.fault = null;

    const second = spawn();
    await second.tracker.start();
    await time.advance(100);
    expect(progressCreatedFor(id)).toHaveLength(1);
    expect((await second.store.tracked.get(id))?.messageId).toBe(progressCreatedFor(id)[0]?.messageId);
    mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(10_000);
    expect(resultsFor(id)).toHaveLength(1);
    expect(leftoverProgress()).toHaveLength(0);
  });

  it('follow() of a stored task before start() adopts it instead of posting a second progress message', async () => {
    const id = '1700000000000005';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    const first = spawn();
    await first.tracker.start();
    const { messageId } = await first.tracker.follow(id, target);
    first.kill();

    const second = spawn();
    expect(await second.tracker.follow(id, target)).toEqual({ messageId });
    await second.tracker.start();
    mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(5_000);
    expect(progressCreatedFor(id)).toHaveLength(1);
    expect(resultsFor(id)).toHaveLength(1);
    expect(leftoverProgress()).toHaveLength(0);
  });

  it('progress message created but its id not recorded: the nonce avoids a second progress message', async () => {
    const id = '1700000000000004';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    discord.fault = ({ op, nonce }) => (op === 'send' && nonce?.startsWith('p') ? 'lost' : undefined);
    const first = spawn();
    await first.tracker.start();
    void first.tracker.follow(id, target);
    await time.advance(100);
    expect(progressCreatedFor(id)).toHaveLength(1);
    expect((await first.store.tracked.get(id))?.messageId).toBeNull();
    first.kill();
    discord.fault = null;

    const second = spawn();
    await second.tracker.start();
    await time.advance(100);
    expect(progressCreatedFor(id)).toHaveLength(1);
    expect((await second.store.tracked.get(id))?.messageId).toBe(progressCreatedFor(id)[0]?.messageId);
    mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(5_000);
    expect(resultsFor(id)).toHaveLength(1);
    expect(leftoverProgress()).toHaveLength(0);
  });

  it('30 tasks across a graceful stop and a kill each get exactly one result', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `17000000001000${String(i).padStart(2, '0')}`);
    for (const id of ids) mj.tasks.set(id, task(id, 'IN_PROGRESS', '5%'));
    const first = spawn();
    await first.tracker.start();
    // The default budget (4 per 5 s in one channel) spreads the 30 progress messages over ~40 s.
    for (const id of ids) void first.tracker.follow(id, target);
    await time.advance(60_000);
    expect(discord.inChannel(CHANNEL)).toHaveLength(30);
    // A third finish before a graceful restart, a third while the second process dies, a third after.
    for (const id of ids.slice(0, 10)) mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(30_000);
    await first.tracker.stop();

    const second = spawn();
    await second.tracker.start();
    await time.advance(1_000);
    discord.fault = ({ op, nonce }) =>
      op === 'send' && nonce?.startsWith('r') ? 'lost' : op === 'delete' ? 'hang' : undefined;
    for (const id of ids.slice(10, 20)) mj.tasks.set(id, task(id, 'FAILURE', '', { failReason: 'banned' }));
    await time.advance(20_000);
    second.kill();
    discord.fault = null;

    const third = spawn();
    await third.tracker.start();
    for (const id of ids.slice(20)) mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(120_000);
    for (const id of ids) {
      expect(resultsFor(id), id).toHaveLength(1);
      expect(await third.store.tracked.get(id)).toMatchObject({ phase: 'done', messageId: null });
    }
    // The ten results the killed process sent without hearing back were returned again, not duplicated.
    expect(discord.ops.filter((o) => o.deduped && o.nonce?.startsWith('r'))).toHaveLength(10);
    expect(leftoverProgress()).toHaveLength(0);
    expect(third.tracker.counts().active).toBe(0);
  });
});
