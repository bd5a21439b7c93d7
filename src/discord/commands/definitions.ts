// Slash command definitions, apart from their handlers, so the deploy script and the
// start-up registration read them without loading any handler. Every command is for servers only
// (contexts [Guild]): the bot spends a server's Midjourney money, so it offers nothing in DMs.
// Written in English; every other language's names and descriptions are added by localize.ts.
import {
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { COMMAND_TEXTS, LANGUAGE_CODES, LANGUAGES } from '../../i18n/index.js';
import { localizeCommand } from './localize.js';
import {
  blendDefinition,
  describeDefinition,
  imagineDefinition,
  shortenDefinition,
  SPEED_CHOICES,
} from './new-task-definitions.js';

export { imageOptionNames, imagineDefinition } from './new-task-definitions.js';

export const mjtaskDefinition = new SlashCommandBuilder()
  .setName('mjtask')
  .setDescription('Show a Midjourney task: its image, status and buttons')
  .addStringOption((o) =>
    o
      .setName('id')
      .setDescription('The task ID, e.g. 1730621826053455 (type to pick one of your recent tasks)')
      .setRequired(true)
      .setAutocomplete(true)
      .setMinLength(1)
      .setMaxLength(64),
  )
  .setContexts(InteractionContextType.Guild)
  .addBooleanOption((o) =>
    o.setName('watch').setDescription('Keep this message updated until the task finishes (default: yes while it runs)'),
  )
  .toJSON();

/** Admin-only (Manage Server): where this server's tasks are reported automatically. */
export const mjupdatesDefinition = new SlashCommandBuilder()
  .setName('mjupdates')
  .setDescription('Choose the channel where Midjourney tasks started with the bot are reported')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('set')
      .setDescription('Report tasks in this channel')
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('A text channel the bot can post in')
          .setRequired(true)
          .addChannelTypes(ChannelType.GuildText),
      ),
  )
  .addSubcommand((s) => s.setName('off').setDescription('Report each task in the channel where it was started'))
  .addSubcommand((s) => s.setName('show').setDescription('Show where tasks are reported now'))
  .toJSON();

/** Channel kinds a member can use the bot in (threads count as their channel). */
const MEMBER_CHANNEL_TYPES = [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] as const;

/** Admin-only (Manage Server): every per-server setting, stored and audited. */
export const mjsettingsDefinition = new SlashCommandBuilder()
  .setName('mjsettings')
  .setDescription("Show or change this server's settings for the Midjourney bot")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => s.setName('show').setDescription('Show every setting and the latest changes'))
  .addSubcommand((s) =>
    s
      .setName('channels')
      .setDescription('Choose the channels where members may use the bot')
      .addStringOption((o) =>
        o
          .setName('action')
          .setDescription('Add or remove a channel, or allow every channel')
          .setRequired(true)
          .addChoices(
            { name: 'add', value: 'add' },
            { name: 'remove', value: 'remove' },
            { name: 'every channel', value: 'everywhere' },
          ),
      )
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('The channel to add or remove')
          .addChannelTypes(...MEMBER_CHANNEL_TYPES),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('roles')
      .setDescription('Choose the roles that may start tasks or use their buttons')
      .addStringOption((o) =>
        o
          .setName('right')
          .setDescription('Starting tasks (/imagine…) or using task buttons and forms')
          .setRequired(true)
          .addChoices({ name: 'start tasks', value: 'start' }, { name: 'use buttons', value: 'click' }),
      )
      .addStringOption((o) =>
        o
          .setName('action')
          .setDescription('Add or remove a role, or let everyone')
          .setRequired(true)
          .addChoices(
            { name: 'add', value: 'add' },
            { name: 'remove', value: 'remove' },
            { name: 'everyone', value: 'everyone' },
          ),
      )
      .addRoleOption((o) => o.setName('role').setDescription('The role to add or remove')),
  )
  .addSubcommand((s) =>
    s
      .setName('quota')
      .setDescription('Daily limits in tasks: per member and for the whole server (0 = no limit)')
      .addIntegerOption((o) =>
        o
          .setName('member_per_day')
          .setDescription('Tasks each member may start per day (0 = no limit)')
          .setMinValue(0)
          .setMaxValue(100_000),
      )
      .addIntegerOption((o) =>
        o
          .setName('server_per_day')
          .setDescription('Tasks the whole server may start per day (0 = no limit)')
          .setMinValue(0)
          .setMaxValue(1_000_000),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('speed')
      .setDescription('The speed of new tasks that name none')
      .addStringOption((o) =>
        o
          .setName('mode')
          .setDescription('fast, relax or turbo; or the account default')
          .setRequired(true)
          .addChoices(...SPEED_CHOICES, { name: "the account's default", value: 'account' }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('updates')
      .setDescription('The channel where tasks are reported (none: where each was started)')
      .addChannelOption((o) =>
        o
          .setName('channel')
          .setDescription('A text channel the bot can post in; leave empty for the starting channel')
          .addChannelTypes(ChannelType.GuildText),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('language')
      .setDescription('The language of messages the bot posts in channels')
      .addStringOption((o) =>
        o
          .setName('value')
          .setDescription("One of the bot's languages, or the server's own")
          .setRequired(true)
          .addChoices({ name: "the server's language", value: 'server' }, ...languageChoices()),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('reset')
      .setDescription('Put every setting back to its default')
      .addBooleanOption((o) => o.setName('confirm').setDescription('True to reset').setRequired(true)),
  )
  .toJSON();

/** Everyone: a member sees their own usage and quota, a server manager the whole server's. */
export const mjusageDefinition = new SlashCommandBuilder()
  .setName('mjusage')
  .setDescription('Who started how many Midjourney tasks here, and what is left of your daily quota')
  .setContexts(InteractionContextType.Guild)
  .addStringOption((o) =>
    o
      .setName('period')
      .setDescription('Today, the last 7 days (default) or the last 30 days')
      .addChoices(
        { name: 'today', value: '1' },
        { name: 'last 7 days', value: '7' },
        { name: 'last 30 days', value: '30' },
      ),
  )
  .addUserOption((o) => o.setName('member').setDescription("One member's usage (Manage Server for others)"))
  .toJSON();

/** What is registered: every command, localized in every language (localize.ts). */
export const commandDefinitions: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  mjtaskDefinition,
  imagineDefinition,
  describeDefinition,
  blendDefinition,
  shortenDefinition,
  mjupdatesDefinition,
  mjsettingsDefinition,
  mjusageDefinition,
].map(localizeCommand);

/**
 * One choice per language the bot speaks, named in its own words (English, 简体中文) in every client:
 * a language's name is not translated, so a new language file needs no text in the others.
 */
function languageChoices(): Array<{ name: string; value: string; name_localizations: Record<string, string> }> {
  return LANGUAGE_CODES.map((code) => {
    const name = LANGUAGES[code]['language.name'];
    return {
      name,
      value: code,
      name_localizations: Object.fromEntries(Object.keys(COMMAND_TEXTS).map((locale) => [locale, name])),
    };
  });
}
