// task_owners keeps the prompt a task was started with (migration 6), and recentOf lists a member's
// own tasks in a server, newest first, with how the tracker last saw them, searched by id or prompt.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { openStore, type Store } from '../../src/store/store.js';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const ME = '300000000000000001';
const YOU = '300000000000000002';
let now = 1_700_000_000_000;
const opened: Store[] = [];
const open = () => {
  const store = openStore(':memory:', { clock: { now: () => now } });
  opened.push(store);
  return store;
};
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

const own = async (store: Store, taskId: string, prompt?: string, userId = ME, guildId: string | null = GUILD) => {
  now += 1000;
  await store.owners.record({ taskId, guildId, userId, ...(prompt !== undefined && { prompt }) });
};

describe('recentOf', () => {
  it("lists a member's tasks in a server newest first, with the tracker's last status", async () => {
    const store = open();
    await own(store, '1001', 'a fox');
    await own(store, '1002', 'a whale');
    await own(store, '1003', 'not mine', YOU);
    await own(store, '1004', 'elsewhere', ME, OTHER_GUILD);
    await store.tracked.upsert({
      taskId: '1002',
      guildId: GUILD,
      channelId: '200000000000000001',
      messageId: null,
      requesterId: ME,
      origin: 'imagine',
      startedAt: now,
      lastStatus: 'SUCCESS',
      lastProgress: '100%',
      lastPushAt: null,
      lastRenderHash: null,
      resultMessageId: null,
      phase: 'done',
    });
    expect(await store.owners.recentOf(ME, GUILD, 25)).toEqual([
      { taskId: '1002', prompt: 'a whale', lastStatus: 'SUCCESS', lastProgress: '100%', phase: 'done' },
      { taskId: '1001', prompt: 'a fox', lastStatus: null, lastProgress: null, phase: null },
    ]);
    expect((await store.owners.recentOf(ME, GUILD, 1)).map((t) => t.taskId)).toEqual(['1002']);
  });

  it('searches id and prompt case-insensitively, % and _ taken literally', async () => {
    const store = open();
    await own(store, '1001', 'A Red Fox');
    await own(store, '2002', '100% cotton_candy');
    await own(store, '3003');
    const ids = async (search: string) => (await store.owners.recentOf(ME, GUILD, 25, search)).map((t) => t.taskId);
    expect(await ids('red fox')).toEqual(['1001']);
    expect(await ids('1001')).toEqual(['1001']);
    expect(await ids('%')).toEqual(['2002']);
    expect(await ids('n_c')).toEqual(['2002']);
    expect(await ids('30')).toEqual(['3003']);
    expect(await ids('  ')).toEqual(['3003', '2002', '1001']);
  });

  it('keeps the first prompt known, and learns one for a task recorded without', async () => {
    const store = open();
    await own(store, '1001');
    await own(store, '1001', 'learnt later');
    await own(store, '1001', 'not this one');
    expect((await store.owners.recentOf(ME, GUILD, 25))[0]!.prompt).toBe('learnt later');
    await own(store, '1002', 'x'.repeat(2000));
    expect((await store.owners.recentOf(ME, GUILD, 25))[0]!.prompt).toHaveLength(500);
  });

  it('a version-5 database keeps its owners, with no prompt', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 5);
    db.prepare("INSERT INTO task_owners (task_id, guild_id, user_id, created_at) VALUES ('9', ?, ?, 1)").run(GUILD, ME);
    migrate(db);
    const row = db.prepare("SELECT prompt FROM task_owners WHERE task_id = '9'").get() as { prompt: unknown };
    expect(row.prompt).toBeNull();
    db.close();
  });
});
