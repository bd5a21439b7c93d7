// Two tracker "processes" sharing one database file (the PostgreSQL behaviour of the heartbeat's
// claims holds on SQLite too; only the claim at start differs, see the store contract). Each task has
// one owner: a process that dies has its tasks taken over within the lease time and finished once;
// one whose task was taken over while it was away posts no result and writes nothing more.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MjApi } from '../../src/mj/api.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { ChannelMessenger } from '../../src/tracking/messenger.js';
import { createPublisher } from '../../src/tracking/publisher.js';
import type { Scheduler } from '../../src/tracking/scheduler.js';
import { createTracker } from '../../src/tracking/tracker.js';
import type { Tracker } from '../../src/tracking/types.js';
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
import { target } from './tracker-worlds.js';

const TTL = 3_000;
let dir: string;
let time: ManualTime;
let discord: FakeDiscord;
let mj: FakeMj;
const processes: Array<{ tracker: Tracker; store: Store; dead(): boolean }> = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjtask-leases-'));
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

/** A process named `owner` on the shared database; kill() freezes all its I/O and timers (SIGKILL). */
function spawn(owner: string, confirmFaults = 0) {
  let dead = false;
  const guard = <T>(p: Promise<T>): Promise<T> => (dead ? hang() : p.then((v) => (dead ? hang() : v)));
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
  // The first `confirmFaults` fences before a result fail as a database that does not answer.
  let faults = confirmFaults;
  const leases = {
    ...store.leases,
    confirm: (...a: Parameters<Store['leases']['confirm']>) =>
      faults-- > 0 ? Promise.reject(new Error('connection lost')) : store.leases.confirm(...a),
  };
  const tracker = createTracker({
    mj: api,
    store: { tracked: store.tracked, clicks: store.clicks, leases },
    publisher,
    clock: time.clock,
    scheduler,
    lease: { owner, ttlMs: TTL },
  });
  const proc = { tracker, store, kill: () => void (dead = true), dead: () => dead };
  processes.push(proc);
  return proc;
}

const resultsFor = (id: string) =>
  discord.ops.filter(
    (o) =>
      o.op === 'send' && !o.failed && !o.deduped && o.nonce?.startsWith('r') && o.body?.content?.startsWith(`${id} `),
  );
const ownerOf = (id: string) =>
  new Database(join(dir, 'bot.sqlite'), { readonly: true })
    .prepare<[string], { lease_owner: string | null }>('SELECT lease_owner FROM tracked_tasks WHERE task_id = ?')
    .get(id)?.lease_owner;

describe('tracker leases: one owner per task among processes on one database', () => {
  it('follows only what it owns; a killed owner’s tasks are taken over within the lease time and finished once', async () => {
    const a = spawn('bot-a');
    const b = spawn('bot-b');
    await a.tracker.start();
    await b.tracker.start();
    const ids = ['1700000000000001', '1700000000000002', '1700000000000003'];
    for (const id of ids) mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    for (const id of ids) await a.tracker.follow(id, target());
    await time.advance(TTL); // a few heartbeats: nothing moves while the owner lives
    expect(a.tracker.counts()).toMatchObject({ active: 3, leased: 3 });
    expect(b.tracker.counts()).toMatchObject({ active: 0, leased: 0 });
    expect(ids.map(ownerOf)).toEqual(['bot-a', 'bot-a', 'bot-a']);

    a.kill();
    for (const id of ids) mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    // Expired after TTL at most, claimed at B's next heartbeat (every TTL/3), then polled at once.
    await time.advance(TTL + TTL / 3 + 100);
    for (const id of ids) expect(resultsFor(id), id).toHaveLength(1);
    expect(ids.map(ownerOf)).toEqual(['bot-b', 'bot-b', 'bot-b']);
    for (const id of ids) expect(await b.store.tracked.get(id)).toMatchObject({ phase: 'done' });
    expect(b.tracker.counts()).toMatchObject({ active: 0, leased: 0 });
  });

  it('takes a killed owner’s tasks over the moment its leases run out, not at its own next heartbeat', async () => {
    const a = spawn('bot-a');
    const b = spawn('bot-b');
    await a.tracker.start();
    // Out of step with a's heartbeats: b's every TTL/3 fall halfway between them.
    await time.advance(TTL / 6);
    await b.tracker.start();
    const id = '1700000000000020';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await a.tracker.follow(id, target());
    await time.advance(TTL);
    a.kill();
    const expiresAt = new Database(join(dir, 'bot.sqlite'), { readonly: true })
      .prepare<[string], { at: number }>('SELECT lease_expires_at AS at FROM tracked_tasks WHERE task_id = ?')
      .get(id)!.at;
    await time.advance(expiresAt - time.now() - 1);
    expect(ownerOf(id)).toBe('bot-a'); // not before it runs out
    await time.advance(20);
    expect(ownerOf(id)).toBe('bot-b');
    expect(b.tracker.counts()).toMatchObject({ active: 1, leased: 1 });
  });

  it('a task taken over while its owner was away: the old owner posts no result, writes nothing and lets it go', async () => {
    const a = spawn('bot-a');
    await a.tracker.start();
    const id = '1700000000000010';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await a.tracker.follow(id, target());
    // What a takeover leaves in the row (bot-b claimed it with a new epoch while bot-a was paused).
    const db = new Database(join(dir, 'bot.sqlite'));
    db.prepare(
      `UPDATE tracked_tasks SET lease_owner = 'bot-b', lease_epoch = lease_epoch + 1, lease_expires_at = lease_expires_at + 60000`,
    ).run();
    db.close();
    const before = await a.store.tracked.get(id);
    mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(3_000);
    expect(resultsFor(id)).toHaveLength(0);
    expect(await a.store.tracked.get(id)).toEqual(before);
    expect(a.tracker.counts()).toMatchObject({ active: 0, leased: 0 });
    expect(ownerOf(id)).toBe('bot-b');
  });

  it('a clean stop lets go of its tasks: the other process takes them at its next heartbeat, not after the lease time', async () => {
    const a = spawn('bot-a');
    const b = spawn('bot-b');
    await a.tracker.start();
    await b.tracker.start();
    const id = '1700000000000020';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await a.tracker.follow(id, target());
    await a.tracker.stop();
    mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(TTL / 3 + 100);
    expect(resultsFor(id)).toHaveLength(1);
    expect(ownerOf(id)).toBe('bot-b');
  });

  it('follow() of a task another process owns points at its message and leaves it there', async () => {
    const a = spawn('bot-a');
    const b = spawn('bot-b');
    await a.tracker.start();
    await b.tracker.start();
    const id = '1700000000000030';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    const shown = await a.tracker.follow(id, target());
    expect(await b.tracker.follow(id, target())).toEqual(shown);
    expect(b.tracker.counts()).toMatchObject({ active: 0, leased: 0 });
    expect(ownerOf(id)).toBe('bot-a');
  });

  it('a fence the database does not answer delays the result and retries it: posted once, not given up', async () => {
    const a = spawn('bot-a', 2);
    await a.tracker.start();
    const id = '1700000000000040';
    mj.tasks.set(id, task(id, 'IN_PROGRESS', '10%'));
    await a.tracker.follow(id, target());
    mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
    await time.advance(10_000);
    expect(resultsFor(id)).toHaveLength(1);
    expect(await a.store.tracked.get(id)).toMatchObject({ phase: 'done' });
  });
});
