// Storage faults told as what they are (issue 12, D1/D2): a damaged file is refused at open with a
// message naming it, and a write the disk refuses is one StoreWriteError with a reason and a log line.
// Full and read-only file systems are real tmpfs mounts where the test may mount (root); the
// database size limit gives the same SQLITE_FULL everywhere.
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import {
  StoreDamagedError,
  StoreWriteError,
  isStoreDamagedError,
  isStoreWriteError,
  writeFaultReason,
} from '../../src/store/errors.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { TrackedTask } from '../../src/store/tracked-tasks.js';
import { canMountTmpfs, mountTmpfs, unmount } from '../support/tmpfs.js';

let dir: string;
const opened: Store[] = [];
const mounts: string[] = [];
let logLines: string[] = [];
const log = createLogger({
  level: 'debug',
  secrets: [],
  destination: { write: (line: string) => void logLines.push(line) },
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjtask-store-faults-'));
  logLines = [];
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const m of mounts.splice(0)) unmount(m);
  rmSync(dir, { recursive: true, force: true });
});

function open(path: string, options: { maxSizeBytes?: number } = {}): Store {
  const store = openStore(path, { log, ...options });
  opened.push(store);
  return store;
}

function tracked(i: number): TrackedTask {
  return {
    taskId: String(1_700_000_000_000_000 + i),
    guildId: '100000000000000001',
    channelId: '200000000000000001',
    messageId: null,
    requesterId: '300000000000000001',
    origin: 'click',
    startedAt: i,
    lastStatus: 'IN_PROGRESS'.repeat(10),
    lastProgress: '',
    lastPushAt: null,
    lastRenderHash: null,
    resultMessageId: null,
    phase: 'active',
  };
}

const click = (i: number) => ({
  messageId: `m${i}`.padEnd(100, 'x'),
  customId: 'MJ::JOB::upsample::1',
  userId: 'u',
  at: i,
});

/** A tmpfs of `size` at a fresh folder, or null where this process may not mount (not root). */
function tmpfs(size: string): string | null {
  const at = join(dir, `mnt-${mounts.length}`);
  mkdirSync(at);
  if (!mountTmpfs(at, size)) return null;
  mounts.push(at);
  return at;
}
const canMount = canMountTmpfs;
const isRoot = process.getuid?.() === 0;

const writeFailures = () =>
  logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'store.write_failed');

describe('a damaged database file', () => {
  it('is refused at open with a message naming the file and what to do, and left as it was', async () => {
    const path = join(dir, 'bot.sqlite');
    const store = openStore(path);
    for (let i = 0; i < 300; i++) await store.tracked.upsert(tracked(i));
    await store.close();
    // Overwrite one page in the middle of the tracked_tasks tree, as a bad sector or a torn copy would.
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 4096 * 3);
    closeSync(fd);
    const before = readFileSync(path);

    let caught: unknown;
    try {
      openStore(path);
    } catch (err) {
      caught = err;
    }
    expect(isStoreDamagedError(caught)).toBe(true);
    const damaged = caught as StoreDamagedError;
    expect(damaged.path).toBe(path);
    expect(damaged.findings.length).toBeGreaterThan(0);
    expect(damaged.message).toContain(`The database file ${path} is damaged`);
    expect(damaged.message).toContain('restore it from a backup');
    expect(damaged.message).toContain('.recover');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('is refused when it is not a database at all', () => {
    const path = join(dir, 'bot.sqlite');
    const fd = openSync(path, 'w');
    writeSync(fd, Buffer.alloc(8192, 0x5a));
    closeSync(fd);
    expect(() => openStore(path)).toThrow(StoreDamagedError);
    expect(() => openStore(path)).toThrow(/SQLITE_NOTADB/);
  });

  it('a healthy file opens and keeps its rows', async () => {
    const path = join(dir, 'bot.sqlite');
    const first = openStore(path);
    await first.tracked.upsert(tracked(1));
    await first.close();
    expect(await open(path).tracked.listActive()).toHaveLength(1);
  });
});

describe('a write the disk refuses', () => {
  it('is a StoreWriteError (disk_full) with a log line once the size limit is reached; what was saved stays', async () => {
    // The migrated schema's 29 pages of 4 KiB and no more: rows fit in their free space for a while.
    const store = open(join(dir, 'bot.sqlite'), { maxSizeBytes: 29 * 4096 });
    let saved = 0;
    let caught: unknown;
    try {
      for (; saved < 5_000; saved++) await store.clicks.record(click(saved));
    } catch (err) {
      caught = err;
    }
    expect(isStoreWriteError(caught)).toBe(true);
    expect(caught).toMatchObject({ reason: 'disk_full', operation: 'clicks.record', code: 'SQLITE_FULL' });
    expect((caught as Error).message).toBe(
      'The database cannot save right now: the disk (or the database size limit) is full (SQLITE_FULL, clicks.record).',
    );
    expect(saved).toBeGreaterThan(10);
    expect(await store.clicks.countSince('u', 0)).toBe(saved);
    expect(writeFailures()).toEqual([
      expect.objectContaining({ level: 50, reason: 'disk_full', operation: 'clicks.record', code: 'SQLITE_FULL' }),
    ]);
    // Every write path is covered, not only the one that hit the limit first (a row may still fit in
    // a page's free space, so each table is written until it is full too).
    await expect(
      (async () => {
        for (let i = 0; i < 5_000; i++) await store.tracked.upsert(tracked(i));
      })(),
    ).rejects.toThrow(expect.objectContaining({ operation: 'tracked.upsert', reason: 'disk_full' }));
    await expect(
      (async () => {
        for (let i = 0; i < 5_000; i++) await store.settings.setUpdatesChannel(String(1e17 + i), '2'.repeat(18), null);
      })(),
    ).rejects.toThrow(expect.objectContaining({ operation: 'settings.setUpdatesChannel', reason: 'disk_full' }));
  });

  it('passes other errors through unchanged (a bug is not a full disk)', async () => {
    const store = open(join(dir, 'bot.sqlite'));
    await expect(store.tracked.upsert({ ...tracked(1), channelId: null as unknown as string })).rejects.toThrow(
      expect.objectContaining({ code: 'SQLITE_CONSTRAINT_NOTNULL' }),
    );
    expect(writeFailures()).toEqual([]);
  });

  it.runIf(canMount)('on a really full file system is disk_full', async () => {
    // Room for the migrated schema and the migrations' write-ahead log, and little more.
    const at = tmpfs('384k')!;
    const store = open(join(at, 'bot.sqlite'));
    let caught: unknown;
    try {
      for (let i = 0; i < 10_000; i++) await store.clicks.record(click(i));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StoreWriteError);
    expect(caught).toMatchObject({ reason: 'disk_full', code: 'SQLITE_FULL' });
    expect(writeFailures()).toHaveLength(1);
  });

  it.runIf(canMount)('on a read-only file system is refused at open as read_only', async () => {
    const at = tmpfs('1m')!;
    const path = join(at, 'bot.sqlite');
    await openStore(path).close();
    execFileSync('mount', ['-o', 'remount,ro', at]);
    expect(() => openStore(path)).toThrow(expect.objectContaining({ name: 'StoreWriteError', reason: 'read_only' }));
  });

  it.runIf(!isRoot)('on a read-only file (not root) is read_only', async () => {
    const path = join(dir, 'bot.sqlite');
    await openStore(path).close();
    chmodSync(path, 0o444);
    chmodSync(dir, 0o555);
    try {
      expect(() => openStore(path)).toThrow(expect.objectContaining({ name: 'StoreWriteError', reason: 'read_only' }));
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it.each([
    ['SQLITE_FULL', 'disk_full'],
    ['SQLITE_READONLY', 'read_only'],
    ['SQLITE_READONLY_DBMOVED', 'read_only'],
    ['SQLITE_IOERR_WRITE', 'io_error'],
    ['SQLITE_IOERR_FSYNC', 'io_error'],
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_CONSTRAINT_UNIQUE', null],
    ['SQLITE_FULLISH', null],
    ['EIO', null],
  ])('%s is %s', (code, reason) => {
    expect(writeFaultReason(Object.assign(new Error('x'), { code }))).toBe(reason);
  });
});
