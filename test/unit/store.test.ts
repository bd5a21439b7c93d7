// The SQLite file itself: where it is created, WAL, migrations from older versions, a failing
// migration rolled back, a newer file refused, data kept across reopen. What every backend must do
// is the store contract (store-contract.test.ts).
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

  it('a version-5 database keeps its task owners, with no prompt', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 5);
    db.prepare(
      "INSERT INTO task_owners (task_id, guild_id, user_id, created_at) VALUES ('9', '100000000000000001', '300000000000000001', 1)",
    ).run();
    migrate(db);
    const row = db.prepare("SELECT prompt FROM task_owners WHERE task_id = '9'").get() as { prompt: unknown };
    expect(row.prompt).toBeNull();
    db.close();
  });

  it('a version-14 click keeps the places of its hold, so the tasks found of an Imagine all count four', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 14);
    const click = (id: number) =>
      db
        .prepare("INSERT INTO clicks (id, custom_id, user_id, at) VALUES (?, 'imagine', '300000000000000001', 1)")
        .run(id);
    click(1);
    click(2);
    db.prepare(
      `INSERT INTO usage_reservations (guild_id, user_id, day, at, expires_at, places, click_id)
      VALUES ('100000000000000001', '300000000000000001', '2026-12-04', 1, 600001, 4, 1)`,
    ).run();
    migrate(db);
    const rows = db.prepare('SELECT id, usage_places, usage_found FROM clicks ORDER BY id').all();
    expect(rows).toEqual([
      { id: 1, usage_places: 4, usage_found: '[]' },
      { id: 2, usage_places: 1, usage_found: '[]' },
    ]);
    db.close();
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
