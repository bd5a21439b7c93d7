// Slash command definitions, apart from their handlers, so the deploy script and the
// start-up registration read them without loading any handler. Every command is for servers only
// (contexts [Guild]): the bot spends a server's Midjourney money, so it offers nothing in DMs.
import {
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';

export const mjtaskDefinition = new SlashCommandBuilder()
  .setName('mjtask')
  .setDescription('Show a Midjourney task: its image, status and buttons')
  .addStringOption((o) =>
    o
      .setName('id')
      .setDescription('The task ID, e.g. 1730621826053455')
      .setRequired(true)
      .setMinLength(1)
      .setMaxLength(64),
  )
  .setContexts(InteractionContextType.Guild)
  .addBooleanOption((o) =>
    o.setName('watch').setDescription('Keep this message updated until the task finishes (default: yes while it runs)'),
  )
  .toJSON();

/** Image options a command offers: image1…imageN, the first `required` of them required. */
export const imageOptionNames = (count: number) => Array.from({ length: count }, (_, i) => `image${i + 1}`);

/** `speed` and `model`: where the server cannot take them, the handler refuses them with a sentence. */
function addNewTaskChoices<T extends Pick<SlashCommandBuilder, 'addStringOption'>>(command: T): T {
  command
    .addStringOption((o) =>
      o
        .setName('speed')
        .setDescription('Fast, Relax or Turbo for this task (where the server lets the bot choose)')
        .addChoices(
          { name: 'fast', value: 'fast' },
          { name: 'relax', value: 'relax' },
          { name: 'turbo', value: 'turbo' },
        ),
    )
    .addStringOption((o) =>
      o
        .setName('model')
        .setDescription('Midjourney or niji・journey (where the server lets the bot choose)')
        .addChoices({ name: 'midjourney', value: 'midjourney' }, { name: 'niji', value: 'niji' }),
    );
  return command;
}

const imagineBuilder = new SlashCommandBuilder()
  .setName('imagine')
  .setDescription('Create images with Midjourney from a prompt, and optionally images')
  .addStringOption((o) =>
    o
      .setName('prompt')
      .setDescription('What to imagine, with Midjourney parameters, e.g. a red fox --ar 3:2')
      .setRequired(true)
      .setMinLength(1)
      .setMaxLength(4000),
  )
  .setContexts(InteractionContextType.Guild);
for (const name of imageOptionNames(5))
  imagineBuilder.addAttachmentOption((o) =>
    o.setName(name).setDescription('An image prompt: PNG, JPEG, WebP or GIF (the images go before the text)'),
  );
export const imagineDefinition = addNewTaskChoices(imagineBuilder).toJSON();

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

export const commandDefinitions: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  mjtaskDefinition,
  imagineDefinition,
  mjupdatesDefinition,
];
