// A short-lived copy of each server's settings, per instance. One flow asks for them up to six times
// (channel and role guards, daily limits, default speed, updates channel, channel language) and each
// ask was one read of guild_settings; on a shared PostgreSQL every instance's every flow paid for it.
// A read is reused for SETTINGS_CACHE_TTL_MS; this instance's own changes (/mjsettings, /mjupdates,
// through this repo) drop its copy at once; another instance's changes drop it as they commit, told
// through the store's listening connection (PostgreSQL NOTIFY, pg/push-relay.ts), and the whole copy
// is dropped whenever that connection listens again after a loss (what was told meanwhile is missed):
// only while it is down does a change wait for the TTL. That matters most for a server's first quota
// or budget: a copy that still says "no limit" holds no place in them. What must never be stale reads
// the database itself: a daily-limit reservation reads the quota and budget in its own transaction
// (store/usage.ts), so a cached copy can never let instances over-spend where limits are known.
import type { Clock } from '../clock.js';
import type { GuildSettings } from '../server-settings.js';
import { editable, type GuildSettingsRepo } from './guild-settings.js';
import type { PushRelay } from './push-relay.js';
import type { Store } from './store.js';

/** How long one read of a server's settings is reused. */
export const SETTINGS_CACHE_TTL_MS = 5_000;
/** Servers whose settings are kept at most; the least recently used goes first. */
export const SETTINGS_CACHE_MAX_GUILDS = 1_000;

export interface SettingsCacheOptions {
  clock: Clock;
  ttlMs?: number;
  maxGuilds?: number;
}

interface Entry {
  /** The read (shared by every caller while it is out). */
  settings: Promise<GuildSettings | null>;
  /** When it was asked for (the clock's ms). */
  readAt: number;
}

/** The settings through the copy, and what drops it when another instance changed them. */
export interface CachedGuildSettings extends GuildSettingsRepo {
  /** This server's settings changed elsewhere: the next ask reads them. */
  forget(guildId: string): void;
  /** Changes may have been missed (the listening connection was lost): every next ask reads. */
  forgetAll(): void;
}

export function cacheGuildSettings(repo: GuildSettingsRepo, options: SettingsCacheOptions): CachedGuildSettings {
  const ttlMs = options.ttlMs ?? SETTINGS_CACHE_TTL_MS;
  const maxGuilds = Math.max(1, options.maxGuilds ?? SETTINGS_CACHE_MAX_GUILDS);
  // Insertion order is use order: a hit moves its entry to the end, the first one is the oldest used.
  const entries = new Map<string, Entry>();

  const get = (guildId: string): Promise<GuildSettings | null> => {
    const now = options.clock.now();
    const kept = entries.get(guildId);
    entries.delete(guildId);
    if (kept && now - kept.readAt < ttlMs) {
      entries.set(guildId, kept);
      return kept.settings;
    }
    const entry: Entry = { settings: repo.get(guildId), readAt: now };
    entries.set(guildId, entry);
    // A failed read is not kept: the next ask tries again.
    entry.settings.catch(() => {
      if (entries.get(guildId) === entry) entries.delete(guildId);
    });
    if (entries.size > maxGuilds) entries.delete(entries.keys().next().value!);
    return entry.settings;
  };

  /**
   * A change through this instance drops the copy once it is written (or failed): any read kept until
   * then, even one that started while the change was written, may hold the old row.
   */
  const changing = async <T>(guildId: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } finally {
      entries.delete(guildId);
    }
  };

  return {
    get,
    effective: async (guildId) => editable(await get(guildId)),
    getUpdatesChannel: async (guildId) => (await get(guildId))?.updatesChannelId ?? null,
    setUpdatesChannel: (guildId, channelId, updatedBy) =>
      changing(guildId, () => repo.setUpdatesChannel(guildId, channelId, updatedBy)),
    update: (guildId, change, updatedBy) => changing(guildId, () => repo.update(guildId, change, updatedBy)),
    reset: (guildId, updatedBy) => changing(guildId, () => repo.reset(guildId, updatedBy)),
    auditTrail: (guildId, limit) => repo.auditTrail(guildId, limit),
    // A read in flight stays with those already waiting for it; the next ask starts a new one.
    forget: (guildId) => void entries.delete(guildId),
    forgetAll: () => entries.clear(),
  };
}

/**
 * `store` with its settings read through one cache (the rest of it unchanged), which the store's
 * relay, once listening (bot start), keeps current with the other instances' changes.
 */
export function withCachedSettings(store: Store, clock: Clock): Store {
  const settings = cacheGuildSettings(store.settings, { clock });
  const relay: PushRelay = {
    tell: (taskId) => store.relay.tell(taskId),
    listen: (onPush, watchers) =>
      store.relay.listen(onPush, {
        settingsChanged(guildId) {
          settings.forget(guildId);
          watchers?.settingsChanged?.(guildId);
        },
        resumed() {
          settings.forgetAll();
          watchers?.resumed?.();
        },
      }),
  };
  return { ...store, settings, relay };
}
