// The definitions of the commands that start a paid task (/imagine, /describe, /blend, /shorten), apart
// from definitions.ts so each stays short. Written in English; localize.ts adds every other language.
import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { SPEEDS } from '../../server-settings.js';

/** Image options a command offers: image1…imageN, the first `required` of them required. */
export const imageOptionNames = (count: number) => Array.from({ length: count }, (_, i) => `image${i + 1}`);

/** fast, relax, turbo as a command's choices: the member's speed and the server's default. */
export const SPEED_CHOICES = SPEEDS.map((speed) => ({ name: speed, value: speed }));

/** `speed` and `model`: where the server cannot take them, the handler refuses them with a sentence. */
function addNewTaskChoices<T extends Pick<SlashCommandBuilder, 'addStringOption'>>(command: T): T {
  command
    .addStringOption((o) =>
      o
        .setName('speed')
        .setDescription('Fast, Relax or Turbo for this task (where the server lets the bot choose)')
        .addChoices(...SPEED_CHOICES),
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

export const describeDefinition = addNewTaskChoices(
  new SlashCommandBuilder()
    .setName('describe')
    .setDescription('Four prompts Midjourney would write for an image, each a button to imagine it')
    .setContexts(InteractionContextType.Guild)
    .addAttachmentOption((o) => o.setName('image').setDescription('The image: PNG, JPEG, WebP or GIF'))
    .addStringOption((o) =>
      o
        .setName('url')
        .setDescription('Or a link to the image (https), instead of attaching it')
        .setMinLength(8)
        .setMaxLength(1000),
    ),
).toJSON();

const blendBuilder = new SlashCommandBuilder()
  .setName('blend')
  .setDescription('Blend 2 to 5 images into a new one with Midjourney')
  .setContexts(InteractionContextType.Guild);
for (const [i, name] of imageOptionNames(5).entries())
  blendBuilder.addAttachmentOption((o) =>
    o
      .setName(name)
      .setDescription('An image to blend: PNG, JPEG, WebP or GIF')
      .setRequired(i < 2),
  );
blendBuilder.addStringOption((o) =>
  o
    .setName('dimensions')
    .setDescription('The shape of the result (default square)')
    .addChoices(
      { name: 'portrait (2:3)', value: 'PORTRAIT' },
      { name: 'square (1:1)', value: 'SQUARE' },
      { name: 'landscape (3:2)', value: 'LANDSCAPE' },
    ),
);
export const blendDefinition = addNewTaskChoices(blendBuilder).toJSON();

export const shortenDefinition = addNewTaskChoices(
  new SlashCommandBuilder()
    .setName('shorten')
    .setDescription('Shorter versions of a long prompt, each a button to imagine it, and what matters in it')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) =>
      o
        .setName('prompt')
        .setDescription('The prompt to analyse and shorten')
        .setRequired(true)
        .setMinLength(1)
        .setMaxLength(4000),
    ),
).toJSON();
