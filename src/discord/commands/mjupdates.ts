// /mjupdates set|off|show — the per-server updates channel (Manage Server only), the same setting as
// /mjsettings updates. Stored in the database, it overrides UPDATES_CHANNEL_ID for this server.
import { PermissionFlagsBits, type ChatInputCommandInteraction, type GuildTextBasedChannel } from 'discord.js';
import {
  updatesChannelClearedSentence,
  updatesChannelSetSentence,
  updatesChannelShownSentence,
} from '../../replies/commands.js';
import type { Translate } from '../../i18n/index.js';
import type { ChannelPermission } from '../../replies/reasons.js';
import { UserFacingError } from '../../replies/user-facing-error.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { memberT, replyPrivately } from '../../submit/reply.js';

/** What the bot needs in the updates channel. The doctor checks the same list (doctor/permissions.ts). */
const UPDATES_CHANNEL_PERMISSIONS: ReadonlyArray<readonly [ChannelPermission, bigint]> = [
  ['ViewChannel', PermissionFlagsBits.ViewChannel],
  ['SendMessages', PermissionFlagsBits.SendMessages],
  ['EmbedLinks', PermissionFlagsBits.EmbedLinks],
  ['AttachFiles', PermissionFlagsBits.AttachFiles],
  ['ReadMessageHistory', PermissionFlagsBits.ReadMessageHistory],
];

/** The server of an admin command, after checking the member may manage it. */
export function managedGuildId(interaction: ChatInputCommandInteraction): string {
  const guildId = interaction.guildId;
  if (!guildId) throw new UserFacingError({ reason: 'server_only' });
  // default_member_permissions hides the command, but server admins can override that: check again.
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild))
    throw new UserFacingError({ reason: 'manage_server_only' });
  return guildId;
}

/** /mjupdates, kept as an alias of /mjsettings updates. */
export async function runMjupdates(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const guildId = managedGuildId(interaction);
  const t = memberT(interaction);
  const sub = interaction.options.getSubcommand();
  if (sub === 'show') return replyPrivately(interaction, await showSentence(t, guildId, deps), deps.redact);
  if (sub === 'off') {
    await saveUpdatesChannel(interaction, deps, guildId, null);
    return replyPrivately(interaction, updatesChannelClearedSentence(t), deps.redact);
  }
  const channel = interaction.options.getChannel('channel', true) as GuildTextBasedChannel;
  await saveUpdatesChannel(interaction, deps, guildId, channel);
  return replyPrivately(interaction, updatesChannelSetSentence(t, channel.id), deps.redact);
}

/** Stores the updates channel (null: where each task started), refusing one the bot cannot post in. */
export async function saveUpdatesChannel(
  interaction: ChatInputCommandInteraction,
  deps: HandlerDeps,
  guildId: string,
  channel: GuildTextBasedChannel | null,
): Promise<void> {
  if (channel) {
    const missing = missingPermissions(interaction, channel);
    if (missing.length > 0)
      throw new UserFacingError({ reason: 'channel_missing_permissions', channelId: channel.id, missing });
  }
  const channelId = channel?.id ?? null;
  await deps.settings.setUpdatesChannel(guildId, channelId, interaction.user.id);
  deps.log.info(
    { event: 'settings.updates_channel', guildId, channelId, userId: interaction.user.id },
    channelId ? 'updates channel set' : 'updates channel cleared',
  );
}

async function showSentence(t: Translate, guildId: string, deps: HandlerDeps): Promise<string> {
  const own = await deps.settings.getUpdatesChannel(guildId);
  const configured = deps.config.updatesChannelId;
  return updatesChannelShownSentence(
    t,
    own
      ? { source: 'server', channelId: own }
      : configured
        ? { source: 'config', channelId: configured }
        : { source: 'origin' },
  );
}

function missingPermissions(
  interaction: ChatInputCommandInteraction,
  channel: GuildTextBasedChannel,
): ChannelPermission[] {
  const me = interaction.guild?.members.me;
  const cached = interaction.guild?.channels.cache.get(channel.id);
  if (!me || !cached) return []; // not cached: trust Discord to refuse later, the publisher stops quietly
  const perms = cached.permissionsFor(me);
  return UPDATES_CHANNEL_PERMISSIONS.filter(([, bit]) => !perms.has(bit)).map(([name]) => name);
}
