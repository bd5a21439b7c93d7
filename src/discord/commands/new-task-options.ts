// What /imagine, /describe and /blend read from their options before anything is deferred: the
// attached images (checked from Discord's metadata, so a wrong one is refused at once, before any
// download) and the speed and model choices (refused where the server cannot take them).
import type { ChatInputCommandInteraction } from 'discord.js';
import { firstAttachmentProblem, type AttachmentInfo } from '../../media/attachment-check.js';
import type { NewTaskChoices } from '../../mj/api.js';
import { CAPABILITIES } from '../../mj/capabilities.js';
import type { NewTaskInputProblem } from '../../replies/reasons.js';
import { UserFacingError } from '../../replies/user-facing-error.js';
import { SPEED_MODES } from '../../submit/default-speed.js';
import type { HandlerDeps } from '../../submit/deps.js';

/** The member's refusal for an input that cannot be used; nothing was paid for. */
export const inputRefusal = (problem: NewTaskInputProblem) =>
  new UserFacingError({ reason: 'new_task_input', problem });

/** The `prompt` option, trimmed; refused when nothing is left. */
export function readPrompt(interaction: ChatInputCommandInteraction): string {
  const prompt = interaction.options.getString('prompt', true).trim();
  if (prompt === '') throw new UserFacingError({ reason: 'empty_prompt' });
  return prompt;
}

/** The attachments given under these option names, in that order; refused when one cannot be used. */
export function readAttachments(
  interaction: ChatInputCommandInteraction,
  deps: HandlerDeps,
  names: readonly string[],
): AttachmentInfo[] {
  const infos: AttachmentInfo[] = [];
  for (const option of names) {
    const a = interaction.options.getAttachment(option);
    if (a) infos.push({ option, filename: a.name, url: a.url, contentType: a.contentType, size: a.size });
  }
  const rules = { maxBytes: deps.config.media.attachmentMaxBytes, origins: deps.config.media.attachmentOrigins };
  const problem = firstAttachmentProblem(infos, rules);
  if (problem) throw inputRefusal(problem);
  return infos;
}

const BOTS = { midjourney: 'MID_JOURNEY', niji: 'NIJI_JOURNEY' } as const;

/** `speed` and `model` as the API names them; either is refused where the server cannot take it. */
export function readChoices(interaction: ChatInputCommandInteraction, deps: HandlerDeps): NewTaskChoices {
  const caps = (deps.capabilities?.() ?? CAPABILITIES.unknown).newTask;
  const speed = interaction.options.getString('speed');
  const model = interaction.options.getString('model');
  const refuse = (option: string) => inputRefusal({ reason: 'option_unsupported', option, server: caps.serverName });
  if (speed !== null && !caps.speed) throw refuse('speed');
  if (model !== null && !caps.model) throw refuse('model');
  const mode =
    speed !== null && Object.hasOwn(SPEED_MODES, speed) ? SPEED_MODES[speed as keyof typeof SPEED_MODES] : undefined;
  const bot = model !== null && Object.hasOwn(BOTS, model) ? BOTS[model as keyof typeof BOTS] : undefined;
  return { ...(mode ? { modes: [mode] } : {}), ...(bot ? { botType: bot } : {}) };
}
