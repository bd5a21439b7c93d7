// Per-server settings chosen by its admins (/mjsettings, /mjupdates): where the bot may be used, who
// may start and click, daily quota and budget, default speed, updates channel, channel language.
// Every change is written with an audit row (who, when, old and new value) in the same transaction.
import type { Database } from 'better-sqlite3';
import type { Clock } from '../clock.js';
import {
  DEFAULT_SETTINGS,
  SPEEDS,
  type EditableSettings,
  type GuildSettings,
  type SettingName,
  type SettingsAuditEntry,
  type Speed,
} from '../server-settings.js';
import type { Synchronous } from './synchronous.js';

export interface GuildSettingsRepo {
  get(guildId: string): Promise<GuildSettings | null>;
  /** The server's settings, defaults filled in for a server that never set any. */
  effective(guildId: string): Promise<EditableSettings>;
  getUpdatesChannel(guildId: string): Promise<string | null>;
  /** `channelId` null clears the setting. */
  setUpdatesChannel(guildId: string, channelId: string | null, updatedBy: string | null): Promise<void>;
  /** Applies the given settings and audits each one that changed; returns the names that changed. */
  update(guildId: string, change: Partial<EditableSettings>, updatedBy: string | null): Promise<SettingName[]>;
  /** Every setting back to its default (audited like an update); returns the names that changed. */
  reset(guildId: string, updatedBy: string | null): Promise<SettingName[]>;
  /** The latest changes, newest first. */
  auditTrail(guildId: string, limit: number): Promise<SettingsAuditEntry[]>;
}

export interface GuildSettingsRow {
  guild_id: string;
  updates_channel_id: string | null;
  allowed_channel_ids: string;
  start_role_ids: string;
  click_role_ids: string;
  member_daily_quota: number | null;
  server_daily_budget: number | null;
  default_speed: string | null;
  channel_locale: string | null;
  updated_by: string | null;
  updated_at: number;
}

interface AuditRow {
  guild_id: string;
  user_id: string | null;
  at: number;
  setting: string;
  old_value: string | null;
  new_value: string | null;
}

const SETTING_NAMES = Object.keys(DEFAULT_SETTINGS) as SettingName[];

/** A stored id list; anything unreadable reads as no restriction rather than failing every interaction. */
function idList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function speedOf(value: string | null): Speed | null {
  return SPEEDS.find((s) => s === value) ?? null;
}

export function settingsFromRow(row: GuildSettingsRow): GuildSettings {
  return {
    guildId: row.guild_id,
    updatesChannelId: row.updates_channel_id,
    allowedChannelIds: idList(row.allowed_channel_ids),
    startRoleIds: idList(row.start_role_ids),
    clickRoleIds: idList(row.click_role_ids),
    memberDailyQuota: row.member_daily_quota,
    serverDailyBudget: row.server_daily_budget,
    defaultSpeed: speedOf(row.default_speed),
    channelLocale: row.channel_locale,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

export function editable(settings: GuildSettings | null): EditableSettings {
  if (!settings) return DEFAULT_SETTINGS;
  const { guildId: _g, updatedBy: _b, updatedAt: _a, ...rest } = settings;
  return rest;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The settings after `change`, and the names whose value it changes. */
export function changedSettings(
  before: EditableSettings,
  change: Partial<EditableSettings>,
): { after: EditableSettings; changed: SettingName[] } {
  const after: EditableSettings = { ...before, ...change };
  return { after, changed: SETTING_NAMES.filter((name) => !sameValue(before[name], after[name])) };
}

function auditValue(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** An audit row as an entry; none for a setting a newer version wrote. */
export function auditEntryOf(r: AuditRow): SettingsAuditEntry[] {
  const setting = SETTING_NAMES.find((n) => n === r.setting);
  if (setting === undefined) return [];
  const { guild_id: guildId, user_id: userId, at } = r;
  return [{ guildId, userId, at, setting, oldValue: auditValue(r.old_value), newValue: auditValue(r.new_value) }];
}

export function createGuildSettingsRepo(db: Database, clock: Clock): Synchronous<GuildSettingsRepo> {
  const getStmt = db.prepare<[string], GuildSettingsRow>('SELECT * FROM guild_settings WHERE guild_id = ?');
  const upsert = db.prepare(`
    INSERT INTO guild_settings (guild_id, updates_channel_id, allowed_channel_ids, start_role_ids, click_role_ids,
      member_daily_quota, server_daily_budget, default_speed, channel_locale, updated_by, updated_at)
    VALUES (@guildId, @updatesChannelId, @allowedChannelIds, @startRoleIds, @clickRoleIds,
      @memberDailyQuota, @serverDailyBudget, @defaultSpeed, @channelLocale, @updatedBy, @now)
    ON CONFLICT (guild_id) DO UPDATE SET updates_channel_id = excluded.updates_channel_id,
      allowed_channel_ids = excluded.allowed_channel_ids, start_role_ids = excluded.start_role_ids,
      click_role_ids = excluded.click_role_ids, member_daily_quota = excluded.member_daily_quota,
      server_daily_budget = excluded.server_daily_budget, default_speed = excluded.default_speed,
      channel_locale = excluded.channel_locale, updated_by = excluded.updated_by, updated_at = excluded.updated_at`);
  const audit = db.prepare(`INSERT INTO guild_settings_audit (guild_id, user_id, at, setting, old_value, new_value)
    VALUES (?, ?, ?, ?, ?, ?)`);
  const trail = db.prepare<[string, number], AuditRow>(
    'SELECT * FROM guild_settings_audit WHERE guild_id = ? ORDER BY at DESC, id DESC LIMIT ?',
  );

  const get = (guildId: string): GuildSettings | null => {
    const row = getStmt.get(guildId);
    return row ? settingsFromRow(row) : null;
  };

  const apply = db.transaction(
    (guildId: string, change: Partial<EditableSettings>, updatedBy: string | null): SettingName[] => {
      const before = editable(get(guildId));
      const { after, changed } = changedSettings(before, change);
      if (changed.length === 0) return [];
      const now = clock.now();
      upsert.run({
        guildId,
        updatesChannelId: after.updatesChannelId,
        allowedChannelIds: JSON.stringify(after.allowedChannelIds),
        startRoleIds: JSON.stringify(after.startRoleIds),
        clickRoleIds: JSON.stringify(after.clickRoleIds),
        memberDailyQuota: after.memberDailyQuota,
        serverDailyBudget: after.serverDailyBudget,
        defaultSpeed: after.defaultSpeed,
        channelLocale: after.channelLocale,
        updatedBy,
        now,
      });
      for (const name of changed)
        audit.run(guildId, updatedBy, now, name, JSON.stringify(before[name]), JSON.stringify(after[name]));
      return changed;
    },
  );

  return {
    get,
    effective: (guildId) => editable(get(guildId)),
    getUpdatesChannel: (guildId) => get(guildId)?.updatesChannelId ?? null,
    setUpdatesChannel(guildId, channelId, updatedBy) {
      apply(guildId, { updatesChannelId: channelId }, updatedBy);
    },
    update: (guildId, change, updatedBy) => apply(guildId, change, updatedBy),
    reset: (guildId, updatedBy) => apply(guildId, DEFAULT_SETTINGS, updatedBy),
    auditTrail: (guildId, limit) => trail.all(guildId, limit).flatMap(auditEntryOf),
  };
}
