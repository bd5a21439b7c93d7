// A filled-in pop-up form (custom_id `mjmodal:…`, see render/modal-ticket.ts): deferred at once, the
// prompt checked, the paid-entry checks (ensureMaySpend) applied, then the submit (submit/prompt-form.ts).
import { MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import type { ComponentIdOf } from '../../render/custom-ids.js';
import { UserFacingError } from '../../replies/user-facing-error.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { isValidCustomZoomPrompt } from '../../submit/prompt.js';
import { submitPromptForm } from '../../submit/prompt-form.js';
import { PROMPT_INPUT_ID } from '../../submit/prompt-modal.js';
import { ensureMaySpend } from '../../submit/may-spend.js';

function promptOf(interaction: ModalSubmitInteraction): string {
  try {
    return interaction.fields.getTextInputValue(PROMPT_INPUT_ID).trim();
  } catch {
    return '';
  }
}

export async function receivePromptForm(
  interaction: ModalSubmitInteraction,
  id: ComponentIdOf<'prompt-form'>,
  deps: HandlerDeps,
): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const prompt = promptOf(interaction);
  if (id.ticket.kind === 'zoom' && !isValidCustomZoomPrompt(prompt))
    throw new UserFacingError({ reason: 'custom_zoom_prompt', prompt });
  // The form's source is the task message (Custom Zoom) or the member's own ephemeral reply (Remix);
  // a form with no message runs the same checks against the task its ticket names.
  const taskId = id.ticket.childTaskId ?? id.ticket.parentTaskId;
  if (taskId === null) throw new UserFacingError({ reason: 'form_expired' });
  await ensureMaySpend(interaction, deps, { taskId, message: interaction.message ?? null });
  await submitPromptForm(interaction, id.ticket, prompt, deps);
}
