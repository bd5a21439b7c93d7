// The sentences of /mjsettings: the readable summary of a server's settings, what a change saved,
// and the audit trail (who changed what, when). Pure.
import type { EditableSettings, SettingName, SettingsAuditEntry } from '../server-settings.js';

/** What the summary needs besides the stored settings: the bot-wide defaults they fall back to. */
export interface SettingsContext {
  /** UPDATES_CHANNEL_ID, when set. */
  configuredUpdatesChannelId: string | null;
  /** CLICK_POLICY: whose task a member may act on. */
  clickPolicy: 'requester' | 'anyone' | 'roles';
  /** Tasks started today (UTC) in this server. */
  startedToday: number;
}

const LOCALE_NAMES: Record<string, string> = { 'en-US': 'English', 'zh-CN': '简体中文 (Simplified Chinese)' };

const channels = (ids: readonly string[]) => ids.map((id) => `<#${id}>`).join(', ');
const roles = (ids: readonly string[]) => ids.map((id) => `<@&${id}>`).join(', ');
const tasks = (n: number) => `${n} task${n === 1 ? '' : 's'}`;

const CLICK_POLICY_NOTE: Record<SettingsContext['clickPolicy'], string> = {
  requester: 'each on the tasks they started',
  anyone: 'on any task',
  roles: 'only with ALLOWED_ROLE_IDS',
};

/** One setting's value, in words. */
function valueOf(name: SettingName, value: unknown): string {
  const list = Array.isArray(value) ? (value as string[]) : [];
  switch (name) {
    case 'allowedChannelIds':
      return list.length === 0 ? 'every channel' : channels(list);
    case 'startRoleIds':
    case 'clickRoleIds':
      return list.length === 0 ? 'everyone' : roles(list);
    case 'memberDailyQuota':
    case 'serverDailyBudget':
      return typeof value === 'number' ? `${tasks(value)} per day` : 'no limit';
    case 'defaultSpeed':
      return typeof value === 'string' ? `--${value}` : "the account's own";
    case 'updatesChannelId':
      return typeof value === 'string' ? `<#${value}>` : 'the channel where each task is started';
    case 'channelLocale':
      return typeof value === 'string' ? (LOCALE_NAMES[value] ?? value) : "the server's language";
  }
}

const SETTING_LABELS: Record<SettingName, string> = {
  allowedChannelIds: 'Channels',
  startRoleIds: 'Who may start tasks',
  clickRoleIds: 'Who may use buttons',
  memberDailyQuota: 'Member quota',
  serverDailyBudget: 'Server budget',
  defaultSpeed: 'Default speed',
  updatesChannelId: 'Updates channel',
  channelLocale: 'Language of channel messages',
};

export function settingsSummary(settings: EditableSettings, context: SettingsContext): string {
  const updates =
    settings.updatesChannelId !== null
      ? `<#${settings.updatesChannelId}>`
      : context.configuredUpdatesChannelId !== null
        ? `<#${context.configuredUpdatesChannelId}> (UPDATES_CHANNEL_ID)`
        : 'the channel where each task is started';
  const budget =
    settings.serverDailyBudget === null
      ? 'no limit'
      : `${tasks(settings.serverDailyBudget)} per day, ${context.startedToday} used today`;
  const lines = [
    '⚙️ **Settings of this server**',
    `• ${SETTING_LABELS.allowedChannelIds}: ${settings.allowedChannelIds.length === 0 ? 'every channel' : `${channels(settings.allowedChannelIds)} (and their threads)`}`,
    `• ${SETTING_LABELS.startRoleIds}: ${valueOf('startRoleIds', settings.startRoleIds)}`,
    `• ${SETTING_LABELS.clickRoleIds}: ${valueOf('clickRoleIds', settings.clickRoleIds)} (${CLICK_POLICY_NOTE[context.clickPolicy]})`,
    `• ${SETTING_LABELS.memberDailyQuota}: ${valueOf('memberDailyQuota', settings.memberDailyQuota)}${settings.memberDailyQuota === null ? '' : ' (managers are exempt)'}`,
    `• ${SETTING_LABELS.serverDailyBudget}: ${budget}`,
    `• ${SETTING_LABELS.defaultSpeed}: ${valueOf('defaultSpeed', settings.defaultSpeed)}`,
    `• ${SETTING_LABELS.updatesChannelId}: ${updates}`,
    `• ${SETTING_LABELS.channelLocale}: ${valueOf('channelLocale', settings.channelLocale)}`,
    '-# Quotas and the budget count tasks the API accepted, per day; they reset at midnight UTC.',
  ];
  return lines.join('\n');
}

/** One audit row: "<t:…:R> @who: Member quota no limit → 5 tasks per day". */
export function auditLine(entry: SettingsAuditEntry): string {
  const who = entry.userId ? `<@${entry.userId}>` : 'the bot';
  const when = `<t:${Math.floor(entry.at / 1000)}:R>`;
  return `• ${when} ${who}: ${SETTING_LABELS[entry.setting]} ${valueOf(entry.setting, entry.oldValue)} → ${valueOf(entry.setting, entry.newValue)}`;
}

export function auditTrailSentence(entries: readonly SettingsAuditEntry[]): string {
  if (entries.length === 0) return '-# No changes yet.';
  return ['**Latest changes**', ...entries.map(auditLine)].join('\n');
}

/** After a change: what it set, then the whole summary. */
export function settingsSavedSentence(changed: readonly SettingName[], summary: string): string {
  if (changed.length === 0) return `ℹ️ Nothing changed: that is already the setting.\n\n${summary}`;
  return `✅ Saved: ${changed.map((n) => SETTING_LABELS[n]).join(', ')}.\n\n${summary}`;
}

export function settingsResetSentence(changed: readonly SettingName[], summary: string): string {
  if (changed.length === 0) return `ℹ️ Nothing to reset: every setting is already the default.\n\n${summary}`;
  return `♻️ Every setting is back to its default (${changed.map((n) => SETTING_LABELS[n]).join(', ')}).\n\n${summary}`;
}
