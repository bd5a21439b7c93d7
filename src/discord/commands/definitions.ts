// Slash command definitions, apart from their handlers (as in Yuudachi), so the deploy script and the
// start-up registration read them without loading any handler.
import { SlashCommandBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

export const mjtaskDefinition = new SlashCommandBuilder()
  .setName('mjtask')
  .setDescription('Show a Midjourney task: its image, status and buttons')
  .addStringOption((o) =>
    o.setName('id').setDescription('The task ID, e.g. 1730621826053455').setRequired(true).setMinLength(1).setMaxLength(64),
  )
  .toJSON();

export const imagineDefinition = new SlashCommandBuilder()
  .setName('imagine')
  .setDescription('Create images with Midjourney from a prompt')
  .addStringOption((o) =>
    o.setName('prompt').setDescription('What to imagine, with Midjourney parameters, e.g. a red fox --ar 3:2').setRequired(true).setMinLength(1).setMaxLength(4000),
  )
  .toJSON();

export const commandDefinitions: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [mjtaskDefinition, imagineDefinition];
