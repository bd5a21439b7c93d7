// The server's default speed (/mjsettings speed) on every new paid task that can carry one, unless the
// member chose a speed. Where it goes depends on what the task is:
// - a prompt that becomes a picture (/imagine, and the bot's own /imagine of a Describe or Shorten line):
//   the --relax… flag, which every server passes on (novicezk sends the prompt to Midjourney as is; the
//   fork reads it as the task's mode, Midjourney.API/Controllers/SubmitController.cs L1274-1292);
// - a task without such a prompt (/describe, /blend, /shorten, the bot's 🔄 describe): accountFilter.modes
//   where the server takes it (the fork: NewTaskDoFilter, L1262-1299 on describe L334, shorten L371,
//   blend L421). novicezk's DTOs have no such field, new-api deletes it unless its admin enabled it
//   (Calcium-Ion/new-api service/midjourney.go L171-173), plus documents none: there the account's own
//   speed applies. A shortened text keeps the member's words: no flag is added to it.
// Clicks on the server's own buttons carry none on any server: the fork's SubmitActionDTO has no
// accountFilter (Midjourney.Base/Dto/SubmitActionDTO.cs L33-64) and takes the mode from the path alone
// (SubmitController.cs L1059-1060), novicezk's /submit/change has no mode, new-api relays the body.
import type { NewTaskChoices } from '../mj/api.js';
import { CAPABILITIES } from '../mj/capabilities.js';
import type { Speed } from '../server-settings.js';
import type { HandlerDeps } from './deps.js';
import type { ActionInteraction } from './interaction-reader.js';
import { withDefaultSpeed } from './server-rules.js';

/** The member's speed option and the server's default, as the API names them. */
export const SPEED_MODES = { fast: 'FAST', relax: 'RELAX', turbo: 'TURBO' } as const satisfies Record<Speed, string>;

export interface DefaultSpeed {
  /** A prompt that becomes a picture, with the default's flag unless it names a speed. */
  prompt(prompt: string): string;
  /** The choices of a task without such a prompt, with the default as accountFilter.modes where the server takes it. */
  choices(choices: NewTaskChoices): NewTaskChoices;
}

export async function defaultSpeedFor(interaction: ActionInteraction, deps: HandlerDeps): Promise<DefaultSpeed> {
  const speed = interaction.guildId ? (await deps.settings.effective(interaction.guildId)).defaultSpeed : null;
  const takesModes = (deps.capabilities?.() ?? CAPABILITIES.unknown).newTask.speed;
  return {
    prompt: (prompt) => withDefaultSpeed(prompt, speed),
    choices: (choices) =>
      speed === null || choices.modes !== undefined || !takesModes
        ? choices
        : { ...choices, modes: [SPEED_MODES[speed]] },
  };
}
