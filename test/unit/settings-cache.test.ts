// The per-instance copy of the servers' settings (src/store/settings-cache.ts), on plain data: a
// repository that counts its reads and a clock the test moves. Then the settings contract itself,
// run through the cache on a real SQLite store: what the cache answers is what the store holds. Two
// PostgreSQL stores, one telling the other of a change: test/unit/store-contract/settings-notify.ts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type GuildSettings } from '../../src/server-settings.js';
import type { GuildSettingsRepo } from '../../src/store/guild-settings.js';
import { cacheGuildSettings, SETTINGS_CACHE_TTL_MS, withCachedSettings } from '../../src/store/settings-cache.js';
import type { PushRelay, RelayWatchers } from '../../src/store/push-relay.js';
import { openStore, type Store } from '../../src/store/store.js';
import { describeGuildSettings } from './store-contract/settings.js';

const G = '100000000000000001';
const H = '100000000000000002';
const ADMIN = '300000000000000001';

/** Settings kept in a Map; every read is counted, and a read can be held open or made to fail. */
function fakeRepo() {
  const rows = new Map<string, GuildSettings>();
  const reads: string[] = [];
  let failNext = false;
  let holdNext: Promise<void> | null = null;
  const set = (guildId: string, change: Partial<GuildSettings>) => {
    const before = rows.get(guildId) ?? { ...DEFAULT_SETTINGS, guildId, updatedBy: null, updatedAt: 0 };
    rows.set(guildId, { ...before, ...change });
  };
  const repo: GuildSettingsRepo = {
    async get(guildId) {
      reads.push(guildId);
      const held = holdNext;
      holdNext = null;
      if (failNext) {
        failNext = false;
        throw new Error('connection lost');
      }
      // The row as it is when the read starts (a read is one snapshot).
      const row = rows.get(guildId) ?? null;
      await held;
      return row;
    },
    effective: () => Promise.reject(new Error('the cache derives it from get')),
    getUpdatesChannel: () => Promise.reject(new Error('the cache derives it from get')),
    async setUpdatesChannel(guildId, channelId) {
      set(guildId, { updatesChannelId: channelId });
    },
    async update(guildId, change) {
      set(guildId, change);
      return Object.keys(change) as Array<keyof typeof change>;
    },
    async reset(guildId) {
      rows.delete(guildId);
      return [];
    },
    auditTrail: async () => [],
  };
  return {
    repo,
    reads,
    /** Another instance writes (not through this cache). */
    writeElsewhere: set,
    failNextRead: () => void (failNext = true),
    /** The next read answers only once `release` is called. */
    holdNextRead() {
      let release!: () => void;
      holdNext = new Promise<void>((resolve) => (release = resolve));
      return () => release();
    },
  };
}

function world(options: { maxGuilds?: number } = {}) {
  const fake = fakeRepo();
  const clock = { at: 1_000_000, now: () => clock.at };
  const settings = cacheGuildSettings(fake.repo, { clock, ...options });
  return { ...fake, clock, settings };
}

describe('settings cache', () => {
  it('reads a server once for every ask within the TTL, whichever view is asked; again after it', async () => {
    const w = world();
    w.writeElsewhere(G, { memberDailyQuota: 5, channelLocale: 'zh-CN', updatesChannelId: '200' });
    expect((await w.settings.effective(G)).memberDailyQuota).toBe(5);
    expect(await w.settings.getUpdatesChannel(G)).toBe('200');
    w.clock.at += SETTINGS_CACHE_TTL_MS - 1;
    expect((await w.settings.get(G))?.channelLocale).toBe('zh-CN');
    expect(w.reads).toEqual([G]);
    w.clock.at += 1;
    await w.settings.effective(G);
    expect(w.reads).toEqual([G, G]);
  });

  it('keeps "no settings" too: a server that never set any is read once per TTL', async () => {
    const w = world();
    expect(await w.settings.effective(G)).toEqual(DEFAULT_SETTINGS);
    expect(await w.settings.get(G)).toBeNull();
    expect(await w.settings.getUpdatesChannel(G)).toBeNull();
    expect(w.reads).toEqual([G]);
  });

  it('shows another instance’s change once the TTL is over, not before', async () => {
    const w = world();
    expect((await w.settings.effective(G)).memberDailyQuota).toBeNull();
    w.writeElsewhere(G, { memberDailyQuota: 3 });
    w.clock.at += SETTINGS_CACHE_TTL_MS / 2;
    expect((await w.settings.effective(G)).memberDailyQuota).toBeNull();
    w.clock.at += SETTINGS_CACHE_TTL_MS / 2;
    expect((await w.settings.effective(G)).memberDailyQuota).toBe(3);
  });

  it('drops a server’s copy when another instance tells of its change, and every copy when listening again', async () => {
    const fake = fakeRepo();
    const clock = { at: 1_000_000, now: () => clock.at };
    // A store whose relay hands the test what the listening connection would hear.
    let heard: RelayWatchers = {};
    const pushes: string[] = [];
    const relay: PushRelay = {
      tell: () => Promise.resolve(false),
      listen(onPush, watchers = {}) {
        heard = watchers;
        onPush('1700000000000001');
        return Promise.resolve(() => Promise.resolve());
      },
    };
    const store = withCachedSettings({ settings: fake.repo, relay } as unknown as Store, clock);
    await store.relay.listen((taskId) => pushes.push(taskId));
    expect(pushes).toEqual(['1700000000000001']);
    expect((await store.settings.effective(G)).memberDailyQuota).toBeNull();
    expect((await store.settings.effective(H)).serverDailyBudget).toBeNull();
    // The clock does not move: only what the relay tells makes the copy read again.
    fake.writeElsewhere(G, { memberDailyQuota: 3 });
    fake.writeElsewhere(H, { serverDailyBudget: 9 });
    heard.settingsChanged?.(G);
    expect((await store.settings.effective(G)).memberDailyQuota).toBe(3);
    expect((await store.settings.effective(H)).serverDailyBudget).toBeNull();
    heard.resumed?.();
    expect((await store.settings.effective(H)).serverDailyBudget).toBe(9);
    expect((await store.settings.effective(G)).memberDailyQuota).toBe(3);
    expect(fake.reads).toEqual([G, H, G, H, G]);
  });

  it('drops a server’s copy on this instance’s own change, so the next ask sees it at once', async () => {
    const w = world();
    await w.settings.effective(G);
    await w.settings.effective(H);
    await w.settings.update(G, { memberDailyQuota: 7 }, ADMIN);
    expect((await w.settings.effective(G)).memberDailyQuota).toBe(7);
    await w.settings.setUpdatesChannel(G, '201', ADMIN);
    expect(await w.settings.getUpdatesChannel(G)).toBe('201');
    await w.settings.reset(G, ADMIN);
    expect(await w.settings.get(G)).toBeNull();
    // The other server's copy stays.
    await w.settings.effective(H);
    expect(w.reads).toEqual([G, H, G, G, G]);
  });

  it('does not keep a read that started before this instance’s change and answered after it', async () => {
    const w = world();
    const release = w.holdNextRead();
    const before = w.settings.effective(G); // reads the row without a quota, answers later
    await w.settings.update(G, { memberDailyQuota: 2 }, ADMIN);
    release();
    expect((await before).memberDailyQuota).toBeNull();
    expect((await w.settings.effective(G)).memberDailyQuota).toBe(2);
  });

  it('shares one read between asks made while it is out', async () => {
    const w = world();
    const release = w.holdNextRead();
    const asks = [w.settings.effective(G), w.settings.getUpdatesChannel(G), w.settings.get(G)];
    release();
    await Promise.all(asks);
    expect(w.reads).toEqual([G]);
  });

  it('keeps no failed read: the ask fails, the next one reads again', async () => {
    const w = world();
    w.failNextRead();
    await expect(w.settings.effective(G)).rejects.toThrow('connection lost');
    expect(await w.settings.effective(G)).toEqual(DEFAULT_SETTINGS);
    expect(w.reads).toEqual([G, G]);
  });

  it('keeps at most maxGuilds servers, dropping the one used longest ago', async () => {
    const w = world({ maxGuilds: 2 });
    await w.settings.get('1');
    await w.settings.get('2');
    await w.settings.get('1'); // used again: '2' is now the oldest used
    await w.settings.get('3'); // drops '2'
    await w.settings.get('1');
    await w.settings.get('3');
    expect(w.reads).toEqual(['1', '2', '3']);
    await w.settings.get('2');
    expect(w.reads).toEqual(['1', '2', '3', '2']);
  });
});

describe('settings cache over a real store', () => {
  describeGuildSettings((clock) => Promise.resolve(withCachedSettings(openStore(':memory:', { clock }), clock)));
});
