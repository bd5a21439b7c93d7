// What a server's admins can set with /mjsettings (and /mjupdates), as plain data: the stored shape,
// its defaults and one audited change. The store keeps it (store/guild-settings.ts), the guards read
// it (submit/server-rules.ts), replies/settings.ts words it. Pure.

export const SPEEDS = ['fast', 'relax', 'turbo'] as const;
export type Speed = (typeof SPEEDS)[number];

/** What an admin can set; absent from a row means the default (no restriction, no override). */
export interface EditableSettings {
  /** Null: no server-specific channel (the bot falls back to UPDATES_CHANNEL_ID or the current channel). */
  updatesChannelId: string | null;
  /** Channels where members may use the bot; empty: every channel. */
  allowedChannelIds: readonly string[];
  /** Roles that may start tasks (/imagine and other commands that submit); empty: everyone. */
  startRoleIds: readonly string[];
  /** Roles that may use task buttons and forms; empty: everyone (CLICK_POLICY still decides whose task). */
  clickRoleIds: readonly string[];
  /** Tasks a member may start per day; null: no quota. */
  memberDailyQuota: number | null;
  /** Tasks the whole server may start per day; null: no budget. */
  serverDailyBudget: number | null;
  /** Speed added to prompts that name none; null: the account's own default. */
  defaultSpeed: Speed | null;
  /** Language of channel messages (a Discord locale); null: the server's guild_locale. */
  channelLocale: string | null;
}

export type SettingName = keyof EditableSettings;

export interface GuildSettings extends EditableSettings {
  guildId: string;
  /** Who changed it last (user id), for audit. */
  updatedBy: string | null;
  updatedAt: number;
}

export const DEFAULT_SETTINGS: EditableSettings = {
  updatesChannelId: null,
  allowedChannelIds: [],
  startRoleIds: [],
  clickRoleIds: [],
  memberDailyQuota: null,
  serverDailyBudget: null,
  defaultSpeed: null,
  channelLocale: null,
};

/** One change of one setting, as the audit table keeps it. */
export interface SettingsAuditEntry {
  guildId: string;
  userId: string | null;
  at: number;
  setting: SettingName;
  oldValue: unknown;
  newValue: unknown;
}
