// /blend image1 image2 [image3…image5] [dimensions] [speed] [model]: 2–5 images checked from their
// metadata, downloaded after the guards and sent as /submit/blend {base64Array, dimensions}, which every
// server has (mj-servers.md §4.2); the result is a grid followed like any task.
import type { ChatInputCommandInteraction } from 'discord.js';
import type { BlendDimensions } from '../../mj/api.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { submitNewTask } from '../../submit/new-task.js';
import { imageOptionNames } from './definitions.js';
import { inputRefusal, readAttachments, readChoices } from './new-task-options.js';

const DIMENSIONS: readonly BlendDimensions[] = ['PORTRAIT', 'SQUARE', 'LANDSCAPE'];

export async function runBlend(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const choices = readChoices(interaction, deps);
  const attachments = readAttachments(interaction, deps, imageOptionNames(5));
  if (attachments.length < 2) throw inputRefusal({ reason: 'too_few_images', given: attachments.length, min: 2 });
  const asked = interaction.options.getString('dimensions');
  const dimensions = DIMENSIONS.find((d) => d === asked) ?? 'SQUARE';
  await submitNewTask(interaction, deps, {
    label: 'command.name_blend',
    fallbackPrompt: '',
    action: 'BLEND',
    attachments,
    request: (images, callbacks, speed) =>
      deps.mj.submitBlend({ base64Array: images, dimensions, ...speed.choices(choices), ...callbacks }),
  });
}
