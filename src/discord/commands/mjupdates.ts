// /mjupdates set|off|show — the per-server updates channel (Manage Server only). Stored in the
// database, it overrides UPDATES_CHANNEL_ID for this server.
import { PermissionFlagsBits, type ChatInputCommandInteraction, type GuildTextBasedChannel } from 'discord.js';
import type { BotContext } from '../context.js';
import { replyPrivately } from '../reply.js';
import type { CommandHandler } from '../router.js';

const NEEDED = [
  ['ViewChannel', PermissionFlagsBits.ViewChannel],
  ['SendMessages', PermissionFlagsBits.SendMessages],
  ['EmbedLinks', PermissionFlagsBits.EmbedLinks],
  ['AttachFiles', PermissionFlagsBits.AttachFiles],
  ['ReadMessageHistory', PermissionFlagsBits.ReadMessageHistory],
] as const;

export const mjupdatesCommand: CommandHandler = {
  name: 'mjupdates',
  async execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
    const guildId = interaction.guildId;
    if (!guildId) return replyPrivately(interaction, '⚠️ This command only works in a server.');
    // default_member_permissions hides the command, but server admins can override that: check again.
    if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      return replyPrivately(
        interaction,
        '🔒 Only members with the Manage Server permission can change where tasks are reported.',
      );
    }
    const sub = interaction.options.getSubcommand();
    if (sub === 'show') {
      const own = ctx.store.settings.getUpdatesChannel(guildId);
      const where = own
        ? `<#${own}> (set with /mjupdates)`
        : ctx.config.updatesChannelId
          ? `<#${ctx.config.updatesChannelId}> (UPDATES_CHANNEL_ID)`
          : 'the channel where each task is started';
      return replyPrivately(interaction, `📣 Tasks started with the bot are reported in ${where}.`);
    }
    if (sub === 'off') {
      ctx.store.settings.setUpdatesChannel(guildId, null, interaction.user.id);
      ctx.log.info(
        { event: 'settings.updates_channel', guildId, channelId: null, userId: interaction.user.id },
        'updates channel cleared',
      );
      return replyPrivately(interaction, '📣 Done: each task is now reported in the channel where it was started.');
    }
    const channel = interaction.options.getChannel('channel', true) as GuildTextBasedChannel;
    const missing = missingPermissions(interaction, channel);
    if (missing.length > 0) {
      return replyPrivately(
        interaction,
        `⚠️ I cannot use <#${channel.id}>: I am missing ${missing.join(', ')} there. Grant them and try again.`,
      );
    }
    ctx.store.settings.setUpdatesChannel(guildId, channel.id, interaction.user.id);
    ctx.log.info(
      { event: 'settings.updates_channel', guildId, channelId: channel.id, userId: interaction.user.id },
      'updates channel set',
    );
    return replyPrivately(
      interaction,
      `📣 Done: tasks started with the bot in this server are now reported in <#${channel.id}>.`,
    );
  },
};

function missingPermissions(interaction: ChatInputCommandInteraction, channel: GuildTextBasedChannel): string[] {
  const me = interaction.guild?.members.me;
  const cached = interaction.guild?.channels.cache.get(channel.id);
  if (!me || !cached) return []; // not cached: trust Discord to refuse later, the publisher stops quietly
  const perms = cached.permissionsFor(me);
  return NEEDED.filter(([, bit]) => !perms.has(bit)).map(([name]) => name);
}
