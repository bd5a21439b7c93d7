// /shorten prompt:<text> [speed] [model]: where the server has /submit/shorten (fork, plus, new-api:
// capabilities' offers.shorten) the prompt goes through the path every new task takes
// (submit/new-task.ts); the result shows the shortened prompts, each a button that imagines it, and
// "Show details" for the analysis. A server without it (nzk) is refused at once, before anything is paid.
import type { ChatInputCommandInteraction } from 'discord.js';
import { CAPABILITIES } from '../../mj/capabilities.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { submitNewTask } from '../../submit/new-task.js';
import { inputRefusal, readChoices, readPrompt } from './new-task-options.js';

export async function runShorten(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const caps = deps.capabilities?.() ?? CAPABILITIES.unknown;
  if (!caps.offers.shorten)
    throw inputRefusal({ reason: 'command_unsupported', command: '/shorten', server: caps.newTask.serverName });
  const prompt = readPrompt(interaction);
  const choices = readChoices(interaction, deps);
  await submitNewTask(interaction, deps, {
    label: 'command.name_shorten',
    fallbackPrompt: prompt,
    action: 'SHORTEN',
    attachments: [],
    request: (_images, callbacks, speed) => deps.mj.submitShorten({ prompt, ...speed.choices(choices), ...callbacks }),
  });
}
