// "✏️ Edit prompt & submit" (custom_id `mjedit:<z|p>:<taskId>`): shown when the API asked for a
// prompt only after the click was deferred (see mj-button.ts). The form must be the first response,
// so its starting text is read from the message the button sits on, never fetched.
import type { ButtonInteraction } from 'discord.js';
import type { ComponentIdOf } from '../../render/custom-ids.js';
import { promptFromMessage } from '../../render/task-message-codec.js';
import { promptFormLabel } from '../../replies/prompt-form.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { buildPromptModal } from '../../submit/prompt-modal.js';
import { ensureMaySpend } from '../../submit/may-spend.js';
import { memberT } from '../../submit/reply.js';

export async function openEditPromptForm(
  interaction: ButtonInteraction,
  id: ComponentIdOf<'edit-prompt'>,
  deps: HandlerDeps,
): Promise<void> {
  const message = interaction.message;
  // The same checks on the member's own ephemeral reply: the task's owner decides, not who sees it.
  await ensureMaySpend(interaction, deps, { taskId: id.childTaskId, message });
  const ticket = { kind: id.promptKind, parentTaskId: null, childTaskId: id.childTaskId, buttonRef: null };
  const t = memberT(interaction);
  await interaction.showModal(
    buildPromptModal(t, ticket, promptFromMessage(message), promptFormLabel(t, id.promptKind)),
  );
}
