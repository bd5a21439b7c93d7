// Per-server settings chosen by its admins (today: the channel where automatic updates go).
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';

export interface GuildSettings {
  guildId: string;
  /** Null: no server-specific channel (the bot falls back to UPDATES_CHANNEL_ID or the current channel). */
  updatesChannelId: string | null;
  /** Who changed it last (user id), for audit. */
  updatedBy: string | null;
  updatedAt: number;
}

export interface GuildSettingsRepo {
  get(guildId: string): GuildSettings | null;
  getUpdatesChannel(guildId: string): string | null;
  /** `channelId` null clears the setting. */
  setUpdatesChannel(guildId: string, channelId: string | null, updatedBy: string | null): void;
}

interface Row {
  guild_id: string;
  updates_channel_id: string | null;
  updated_by: string | null;
  updated_at: number;
}

export function createGuildSettingsRepo(db: Database, clock: Clock): GuildSettingsRepo {
  const getStmt = db.prepare<[string], Row>('SELECT * FROM guild_settings WHERE guild_id = ?');
  const setStmt = db.prepare(`
    INSERT INTO guild_settings (guild_id, updates_channel_id, updated_by, updated_at) VALUES (@guildId, @channelId, @updatedBy, @now)
    ON CONFLICT (guild_id) DO UPDATE SET updates_channel_id = excluded.updates_channel_id,
      updated_by = excluded.updated_by, updated_at = excluded.updated_at`);

  const get = (guildId: string): GuildSettings | null => {
    const row = getStmt.get(guildId);
    return row
      ? {
          guildId: row.guild_id,
          updatesChannelId: row.updates_channel_id,
          updatedBy: row.updated_by,
          updatedAt: row.updated_at,
        }
      : null;
  };
  return {
    get,
    getUpdatesChannel: (guildId) => get(guildId)?.updatesChannelId ?? null,
    setUpdatesChannel(guildId, channelId, updatedBy) {
      setStmt.run({ guildId, channelId, updatedBy, now: clock.now() });
    },
  };
}
