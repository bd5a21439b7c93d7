// /imagine prompt:<text> [image1…image5] [speed] [model]: what cannot be used (an empty prompt, an
// attachment that is no image or too large, an option the server lacks) is refused at once; otherwise
// deferred (ephemeral) and submitted through the path every new task takes (submit/new-task.ts), the
// images as image prompts (base64Array).
import type { ChatInputCommandInteraction } from 'discord.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { submitNewTask } from '../../submit/new-task.js';
import { imageOptionNames } from './definitions.js';
import { readAttachments, readChoices, readPrompt } from './new-task-options.js';

export async function runImagine(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const prompt = readPrompt(interaction);
  const choices = readChoices(interaction, deps);
  const attachments = readAttachments(interaction, deps, imageOptionNames(5));
  await submitNewTask(interaction, deps, {
    label: 'command.name_imagine',
    fallbackPrompt: prompt,
    action: 'IMAGINE',
    attachments,
    request: (images, callbacks, speed) =>
      deps.mj.submitImagine({
        // Without a speed of its own, the server's default as the prompt's flag.
        prompt: choices.modes ? prompt : speed.prompt(prompt),
        ...(images.length > 0 ? { base64Array: images } : {}),
        ...choices,
        ...callbacks,
      }),
  });
}
