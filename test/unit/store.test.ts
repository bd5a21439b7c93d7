import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, schemaVersion, type Migration } from '../../src/store/migrations.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { TrackedTask } from '../../src/store/tracked-tasks.js';

let dir: string;
const opened: Store[] = [];
let now = 1_700_000_000_000;
const clock = { now: () => now };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjtask-store-'));
  now = 1_700_000_000_000;
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(path = ':memory:'): Store {
  const store = openStore(path, { clock });
  opened.push(store);
  return store;
}

function tracked(taskId: string, extra: Partial<TrackedTask> = {}): TrackedTask {
  return {
    taskId,
    guildId: '100000000000000001',
    channelId: '200000000000000001',
    messageId: null,
    requesterId: '300000000000000001',
    origin: 'click',
    startedAt: now,
    lastStatus: '',
    lastProgress: '',
    lastPushAt: null,
    lastRenderHash: null,
    resultMessageId: null,
    phase: 'active',
    ...extra,
  };
}

describe('openStore', () => {
  it('creates the missing folder, uses WAL and applies every migration', async () => {
    const path = join(dir, 'nested', 'deeper', 'bot.sqlite');
    const store = open(path);
    expect(existsSync(path)).toBe(true);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    await store.close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('migrates an old-version database and keeps its data', async () => {
    const path = join(dir, 'old.sqlite');
    const old = new Database(path);
    migrate(old, MIGRATIONS, 1);
    expect(schemaVersion(old)).toBe(1);
    old
      .prepare(
        `INSERT INTO tracked_tasks (task_id, channel_id, message_id, origin, started_at, last_status, last_progress, phase, created_at, updated_at)
         VALUES ('1700000000000001', '200000000000000001', '900000000000000001', 'click', 5, 'IN_PROGRESS', '40%', 'active', 5, 5)`,
      )
      .run();
    old.close();

    const store = open(path);
    expect(await store.schemaVersion()).toBe(MIGRATIONS.length);
    expect(await store.tracked.get('1700000000000001')).toMatchObject({
      messageId: '900000000000000001',
      lastStatus: 'IN_PROGRESS',
      lastProgress: '40%',
      phase: 'active',
      // Followed before its channel language was kept (migration 7): shown in English.
      locale: null,
    });
    // The tables added by later migrations work.
    await store.settings.setUpdatesChannel('100000000000000001', '200000000000000009', '300000000000000001');
    expect(await store.settings.getUpdatesChannel('100000000000000001')).toBe('200000000000000009');
  });

  it('rolls a failing migration back and keeps the previous version', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      MIGRATIONS[0] as Migration,
      {
        version: 2,
        description: 'half done',
        up(d) {
          d.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, broken)).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half_done'`).get()).toBeUndefined();
    db.close();
  });

  it('refuses a database written by a newer version', () => {
    const path = join(dir, 'newer.sqlite');
    const db = new Database(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openStore(path)).toThrow(/newer than this bot knows/);
  });

  it('keeps data across close and reopen', async () => {
    const path = join(dir, 'again.sqlite');
    const first = openStore(path, { clock });
    await first.tracked.upsert(tracked('1700000000000002', { locale: 'zh-CN' }));
    await first.close();
    await first.close(); // twice is fine
    // The channel language fixed when following started survives a restart.
    expect(await open(path).tracked.get('1700000000000002')).toMatchObject({
      taskId: '1700000000000002',
      locale: 'zh-CN',
    });
  });
});

describe('tracked tasks', () => {
  it('upserts, reads and patches only the given fields (null included)', async () => {
    const store = open();
    await store.tracked.upsert(tracked('1700000000000003', { messageId: '900000000000000003', lastRenderHash: 'h1' }));
    now += 1_000;
    expect(
      await store.tracked.update('1700000000000003', {
        lastStatus: 'IN_PROGRESS',
        lastProgress: '10%',
        messageId: null,
      }),
    ).toBe(true);
    expect(await store.tracked.get('1700000000000003')).toMatchObject({
      lastStatus: 'IN_PROGRESS',
      lastProgress: '10%',
      messageId: null,
      lastRenderHash: 'h1',
      requesterId: '300000000000000001',
      origin: 'click',
    });
    expect(await store.tracked.update('1700000000000099', { phase: 'done' })).toBe(false);
    expect(await store.tracked.get('1700000000000099')).toBeNull();
  });

  it('replaces a finished row when the task is followed again', async () => {
    const store = open();
    await store.tracked.upsert(tracked('1700000000000004', { phase: 'done', resultMessageId: '900000000000000010' }));
    await store.tracked.upsert(tracked('1700000000000004', { startedAt: now + 5 }));
    expect(await store.tracked.get('1700000000000004')).toMatchObject({
      phase: 'active',
      resultMessageId: null,
      startedAt: now + 5,
    });
  });

  it('lists active tasks, pending clean-ups, counts by phase and prunes old finished rows', async () => {
    const store = open();
    await store.tracked.upsert(tracked('1700000000000005'));
    await store.tracked.upsert(
      tracked('1700000000000006', {
        phase: 'done',
        messageId: '900000000000000006',
        resultMessageId: '900000000000000007',
      }),
    );
    await store.tracked.upsert(tracked('1700000000000007', { phase: 'gone' }));
    now += 10_000;
    await store.tracked.upsert(tracked('1700000000000008', { phase: 'timed_out' }));
    expect((await store.tracked.listActive()).map((t) => t.taskId)).toEqual(['1700000000000005']);
    expect((await store.tracked.listCleanup()).map((t) => t.taskId)).toEqual(['1700000000000006']);
    expect(await store.tracked.countByPhase()).toEqual({ active: 1, done: 1, gone: 1, timed_out: 1 });
    expect(await store.tracked.prune(now - 1)).toBe(2);
    expect(await store.tracked.countByPhase()).toEqual({ active: 1, done: 0, gone: 0, timed_out: 1 });
    expect(await store.tracked.delete('1700000000000005')).toBe(true);
    expect(await store.tracked.listActive()).toEqual([]);
  });
});

describe('guild settings', () => {
  it('stores, replaces and clears the updates channel with who changed it', async () => {
    const store = open();
    const guild = '100000000000000001';
    expect(await store.settings.getUpdatesChannel(guild)).toBeNull();
    await store.settings.setUpdatesChannel(guild, '200000000000000001', '300000000000000001');
    now += 500;
    await store.settings.setUpdatesChannel(guild, '200000000000000002', '300000000000000002');
    expect(await store.settings.get(guild)).toMatchObject({
      guildId: guild,
      updatesChannelId: '200000000000000002',
      updatedBy: '300000000000000002',
      updatedAt: now,
    });
    await store.settings.setUpdatesChannel(guild, null, '300000000000000002');
    expect(await store.settings.getUpdatesChannel(guild)).toBeNull();
  });
});

describe('click log', () => {
  it('records clicks, completes and fails them, and answers the guard queries', async () => {
    const { clicks } = open();
    const user = '300000000000000001';
    const a = await clicks.record({
      messageId: '900000000000000001',
      customId: 'MJ::JOB::upsample::1::abc',
      userId: user,
      at: 1_000,
    });
    const b = await clicks.record({
      messageId: '900000000000000001',
      customId: 'MJ::JOB::upsample::2::abc',
      userId: user,
      at: 2_000,
    });
    await clicks.record({ messageId: null, customId: 'imagine', userId: user, at: 3_000 });
    await clicks.record({ messageId: '900000000000000002', customId: 'x', userId: '300000000000000002', at: 3_500 });
    await clicks.complete(a, {
      childTaskId: '1700000000000010',
      followChannelId: '200000000000000001',
      followMessageId: '900000000000000005',
    });
    await clicks.fail(b);

    expect(await clicks.findRecent('900000000000000001', 'MJ::JOB::upsample::1::abc', 500)).toMatchObject({
      id: a,
      state: 'submitted',
      childTaskId: '1700000000000010',
      followMessageId: '900000000000000005',
    });
    expect(await clicks.findRecent('900000000000000001', 'MJ::JOB::upsample::1::abc', 1_001)).toBeNull();
    // A refused submit spent nothing, so it does not count as a double click.
    expect(await clicks.findRecent('900000000000000001', 'MJ::JOB::upsample::2::abc', 0)).toBeNull();
    expect(await clicks.countSince(user, 1_500)).toBe(2);
    expect(await clicks.oldestSince(user, 1_500)).toBe(2_000);
    expect(await clicks.oldestSince(user, 10_000)).toBeNull();
    expect(await clicks.countSince(user, 0)).toBe(3);
    expect(await clicks.prune(2_500)).toBe(2);
    // Only the /imagine at 3 000 is left of this member's clicks.
    expect(await clicks.countSince(user, 0)).toBe(1);
    expect(await clicks.oldestSince(user, 0)).toBe(3_000);
  });
});
