// /mjsettings show|channels|roles|quota|speed|updates|language|reset — the server's own rules (Manage
// Server only). Each change is stored with an audit row (who, when, old and new value) and answered
// with what it saved and the whole summary, privately. The rules apply through the guard path
// (submit/server-guards.ts) on every paid entry.
import type { ChatInputCommandInteraction, GuildTextBasedChannel } from 'discord.js';
import { utcDayOf } from '../../days.js';
import {
  auditTrailSentence,
  settingsResetSentence,
  settingsSavedSentence,
  settingsSummary,
} from '../../replies/settings.js';
import { UserFacingError } from '../../replies/user-facing-error.js';
import { SPEEDS, type EditableSettings, type SettingName } from '../../server-settings.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { memberT, replyPrivately } from '../../submit/reply.js';
import { isLanguage, type Translate } from '../../i18n/index.js';
import { managedGuildId, saveUpdatesChannel } from './mjupdates.js';

/** Longest channel or role list: enough for any server, small enough to show on one screen. */
export const SETTINGS_LIST_MAX = 25;
/** Audit rows shown under the summary. */
const AUDIT_SHOWN = 5;

export async function runMjsettings(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const guildId = managedGuildId(interaction);
  const sub = interaction.options.getSubcommand();
  const by = interaction.user.id;
  const t = memberT(interaction);
  if (sub === 'show') {
    const trail = await deps.settings.auditTrail(guildId, AUDIT_SHOWN);
    const text = `${await summaryOf(t, guildId, deps)}\n\n${auditTrailSentence(t, trail)}`;
    return replyPrivately(interaction, text, deps.redact);
  }
  if (sub === 'reset') {
    if (interaction.options.getBoolean('confirm', true) !== true)
      throw new UserFacingError({ reason: 'settings_reset_unconfirmed' });
    const changed = await deps.settings.reset(guildId, by);
    logChange(deps, guildId, by, changed);
    return replyPrivately(
      interaction,
      settingsResetSentence(t, changed, await summaryOf(t, guildId, deps)),
      deps.redact,
    );
  }
  let changed: SettingName[];
  if (sub === 'updates') {
    const channel = interaction.options.getChannel('channel') as GuildTextBasedChannel | null;
    const before = (await deps.settings.effective(guildId)).updatesChannelId;
    await saveUpdatesChannel(interaction, deps, guildId, channel);
    changed = before === (channel?.id ?? null) ? [] : ['updatesChannelId'];
  } else {
    const current = await deps.settings.effective(guildId);
    changed = await deps.settings.update(guildId, changeOf(interaction, sub, current), by);
    logChange(deps, guildId, by, changed);
  }
  return replyPrivately(interaction, settingsSavedSentence(t, changed, await summaryOf(t, guildId, deps)), deps.redact);
}

/** What a subcommand asks to change, checked against the current settings. */
function changeOf(
  interaction: ChatInputCommandInteraction,
  sub: string,
  current: EditableSettings,
): Partial<EditableSettings> {
  const options = interaction.options;
  switch (sub) {
    case 'channels': {
      const action = options.getString('action', true);
      if (action === 'everywhere') return { allowedChannelIds: [] };
      const channelId = options.getChannel('channel')?.id;
      if (!channelId) throw new UserFacingError({ reason: 'settings_target_missing', target: 'channel' });
      return { allowedChannelIds: edited(current.allowedChannelIds, action, channelId) };
    }
    case 'roles': {
      const key = options.getString('right', true) === 'start' ? 'startRoleIds' : 'clickRoleIds';
      const action = options.getString('action', true);
      if (action === 'everyone') return { [key]: [] };
      const roleId = options.getRole('role')?.id;
      if (!roleId) throw new UserFacingError({ reason: 'settings_target_missing', target: 'role' });
      return { [key]: edited(current[key], action, roleId) };
    }
    case 'quota': {
      const member = options.getInteger('member_per_day');
      const server = options.getInteger('server_per_day');
      if (member === null && server === null) throw new UserFacingError({ reason: 'settings_quota_missing' });
      // 0 means no limit, as for CLICKS_PER_MINUTE: an admin who wants the bot off removes its channels.
      return {
        ...(member !== null ? { memberDailyQuota: member > 0 ? member : null } : {}),
        ...(server !== null ? { serverDailyBudget: server > 0 ? server : null } : {}),
      };
    }
    case 'speed': {
      const mode = options.getString('mode', true);
      return { defaultSpeed: SPEEDS.find((s) => s === mode) ?? null };
    }
    case 'language': {
      const value = options.getString('value', true);
      return { channelLocale: isLanguage(value) ? value : null };
    }
  }
  throw new UserFacingError({ reason: 'unknown_command' });
}

/** A list with one id added (refused past SETTINGS_LIST_MAX) or removed. */
function edited(list: readonly string[], action: string, id: string): string[] {
  if (action === 'remove') return list.filter((x) => x !== id);
  if (list.includes(id)) return [...list];
  if (list.length >= SETTINGS_LIST_MAX)
    throw new UserFacingError({ reason: 'settings_list_full', max: SETTINGS_LIST_MAX });
  return [...list, id];
}

async function summaryOf(t: Translate, guildId: string, deps: HandlerDeps): Promise<string> {
  return settingsSummary(t, await deps.settings.effective(guildId), {
    configuredUpdatesChannelId: deps.config.updatesChannelId ?? null,
    clickPolicy: deps.config.guards.clickPolicy,
    startedToday: await deps.usage.startedOn(guildId, utcDayOf(deps.clock.now())),
  });
}

function logChange(deps: HandlerDeps, guildId: string, userId: string, changed: readonly SettingName[]): void {
  if (changed.length === 0) return;
  deps.log.info({ event: 'settings.changed', guildId, userId, changed }, 'server settings changed');
}
