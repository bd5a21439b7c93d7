// The sentences of /mjsettings: the readable summary of a server's settings, what a change saved,
// and the audit trail (who changed what, when). Pure; worded by `t` (src/i18n), in the language of
// the member who asked.
import { translatorFor, type PlainKey, type Translate } from '../i18n/index.js';
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

const channels = (t: Translate, ids: readonly string[]) => ids.map((id) => `<#${id}>`).join(t('list.separator'));
const roles = (t: Translate, ids: readonly string[]) => ids.map((id) => `<@&${id}>`).join(t('list.separator'));
const perDay = (t: Translate, n: number) => t('settings.per_day', { tasks: t('unit.task', { count: n }) });

const CLICK_POLICY_NOTE = {
  requester: 'settings.click_policy_requester',
  anyone: 'settings.click_policy_anyone',
  roles: 'settings.click_policy_roles',
} as const satisfies Record<SettingsContext['clickPolicy'], PlainKey>;

const SETTING_LABELS = {
  allowedChannelIds: 'settings.label_channels',
  startRoleIds: 'settings.label_start_roles',
  clickRoleIds: 'settings.label_click_roles',
  memberDailyQuota: 'settings.label_member_quota',
  serverDailyBudget: 'settings.label_server_budget',
  defaultSpeed: 'settings.label_speed',
  updatesChannelId: 'settings.label_updates',
  channelLocale: 'settings.label_language',
} as const satisfies Record<SettingName, PlainKey>;

/** One setting's value, in words. A language is named in its own words (English, 简体中文). */
function valueOf(t: Translate, name: SettingName, value: unknown): string {
  const list = Array.isArray(value) ? (value as string[]) : [];
  switch (name) {
    case 'allowedChannelIds':
      return list.length === 0 ? t('settings.every_channel') : channels(t, list);
    case 'startRoleIds':
    case 'clickRoleIds':
      return list.length === 0 ? t('settings.everyone') : roles(t, list);
    case 'memberDailyQuota':
    case 'serverDailyBudget':
      return typeof value === 'number' ? perDay(t, value) : t('settings.no_limit');
    case 'defaultSpeed':
      return typeof value === 'string' ? `--${value}` : t('settings.speed_account');
    case 'updatesChannelId':
      return typeof value === 'string' ? `<#${value}>` : t('command.updates_place_origin');
    case 'channelLocale':
      return typeof value === 'string' ? translatorFor(value)('language.name') : t('settings.language_server');
  }
}

const line = (t: Translate, name: SettingName, value: string) =>
  t('settings.line', { label: t(SETTING_LABELS[name]), value });
const noted = (t: Translate, value: string, note: string) => t('settings.with_note', { value, note });
const labels = (t: Translate, names: readonly SettingName[]) =>
  names.map((n) => t(SETTING_LABELS[n])).join(t('list.separator'));

export function settingsSummary(t: Translate, settings: EditableSettings, context: SettingsContext): string {
  const updates =
    settings.updatesChannelId !== null
      ? `<#${settings.updatesChannelId}>`
      : context.configuredUpdatesChannelId !== null
        ? t('command.updates_place_config', { channelId: context.configuredUpdatesChannelId })
        : t('command.updates_place_origin');
  const budget =
    settings.serverDailyBudget === null
      ? t('settings.no_limit')
      : t('settings.used_today', {
          tasks: t('unit.task', { count: settings.serverDailyBudget }),
          used: context.startedToday,
        });
  const allowed = settings.allowedChannelIds;
  const quota = valueOf(t, 'memberDailyQuota', settings.memberDailyQuota);
  const lines = [
    t('settings.title'),
    line(
      t,
      'allowedChannelIds',
      allowed.length === 0 ? t('settings.every_channel') : noted(t, channels(t, allowed), t('settings.and_threads')),
    ),
    line(t, 'startRoleIds', valueOf(t, 'startRoleIds', settings.startRoleIds)),
    line(
      t,
      'clickRoleIds',
      noted(t, valueOf(t, 'clickRoleIds', settings.clickRoleIds), t(CLICK_POLICY_NOTE[context.clickPolicy])),
    ),
    line(
      t,
      'memberDailyQuota',
      settings.memberDailyQuota === null ? quota : noted(t, quota, t('settings.managers_exempt')),
    ),
    line(t, 'serverDailyBudget', budget),
    line(t, 'defaultSpeed', valueOf(t, 'defaultSpeed', settings.defaultSpeed)),
    line(t, 'updatesChannelId', updates),
    line(t, 'channelLocale', valueOf(t, 'channelLocale', settings.channelLocale)),
    t('settings.footer'),
  ];
  return lines.join('\n');
}

/** One audit row: "<t:…:R> @who: Member quota no limit → 5 tasks per day". */
export function auditLine(t: Translate, entry: SettingsAuditEntry): string {
  return t('settings.audit_line', {
    when: `<t:${Math.floor(entry.at / 1000)}:R>`,
    who: entry.userId ? `<@${entry.userId}>` : t('settings.audit_by_bot'),
    label: t(SETTING_LABELS[entry.setting]),
    from: valueOf(t, entry.setting, entry.oldValue),
    to: valueOf(t, entry.setting, entry.newValue),
  });
}

export function auditTrailSentence(t: Translate, entries: readonly SettingsAuditEntry[]): string {
  if (entries.length === 0) return t('settings.audit_none');
  return [t('settings.audit_title'), ...entries.map((e) => auditLine(t, e))].join('\n');
}

/** After a change: what it set, then the whole summary. */
export function settingsSavedSentence(t: Translate, changed: readonly SettingName[], summary: string): string {
  if (changed.length === 0) return `${t('settings.unchanged')}\n\n${summary}`;
  return `${t('settings.saved', { labels: labels(t, changed) })}\n\n${summary}`;
}

export function settingsResetSentence(t: Translate, changed: readonly SettingName[], summary: string): string {
  if (changed.length === 0) return `${t('settings.nothing_to_reset')}\n\n${summary}`;
  return `${t('settings.reset', { labels: labels(t, changed) })}\n\n${summary}`;
}
