// A click on a Midjourney button the bot rebuilt (custom_id `MJ::…`, or an `mjk:` short key). The MJ
// customId comes from the custom_id and the task id from the message footer, so a click works after a
// restart with an empty store.
//
// Acknowledgement within 3 s on every path:
// - Vary (Region) and Bookmark are answered at once (nothing is submitted).
// - Custom Zoom answers with the pop-up form as its first response: only local checks run before it
//   (no request), and the prompt comes from the message embed rather than a fetch. So do V/🔄/Pan/
//   Vary once the API has shown that its account is in Remix mode (remix-memory.ts).
// - Everything else is deferred (ephemeral) before any request. When the API then asks for a prompt,
//   a deferred interaction can no longer show a form; the answer offers "Edit prompt & submit"
//   (edit-prompt-button.ts), whose form sends the prompt (prompt-form.ts).
import { MessageFlags, type ButtonInteraction, type Message } from 'discord.js';
import { parseMjCustomId, type MjButtonKind } from '../../mj/custom-id.js';
import type { ComponentIdOf } from '../../render/custom-ids.js';
import type { PromptKind } from '../../render/modal-ticket.js';
import { promptFromMessage, readTaskIdFromMessage } from '../../render/task-message-codec.js';
import { UserFacingError } from '../../replies/user-facing-error.js';
import { submitButtonClick } from '../../submit/button-click.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { buttonLabelOf } from '../../submit/interaction-reader.js';
import { customZoomPrefill } from '../../submit/prompt.js';
import { buildPromptModal } from '../../submit/prompt-modal.js';
import { memberT } from '../../submit/reply.js';
import { ensureMaySpend } from '../../submit/may-spend.js';
import { resolveButtonRef } from '../../submit/button-ref.js';
import { refuseOverBudget, refuseRepeat } from '../../submit/steps.js';

export async function clickMjButton(
  interaction: ButtonInteraction,
  id: ComponentIdOf<'mj-button'>,
  deps: HandlerDeps,
): Promise<void> {
  const known = id.customId !== null ? parseMjCustomId(id.customId) : null;
  if (known !== null) refuseUnservable(known);
  if (known?.family === 'custom_zoom')
    return openPromptForm(interaction, deps, buttonLabelOf(interaction, known), 'zoom');
  if (known?.modal === 'remix' && deps.remix.isOn())
    return openPromptForm(interaction, deps, buttonLabelOf(interaction, known), 'prompt');

  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const parentTaskId = footerTaskId(interaction.message);
  await ensureMaySpend(interaction, deps, { taskId: parentTaskId, message: interaction.message });
  // A short key: the task's buttons say which customId it stands for.
  const customId = id.customId ?? (await resolveButtonRef(deps, parentTaskId, id.discordCustomId));
  const button = known ?? parseMjCustomId(customId);
  refuseUnservable(button);
  const label = buttonLabelOf(interaction, button);
  await submitButtonClick(
    interaction,
    { parentTaskId, customId, discordCustomId: id.discordCustomId, button, label },
    deps,
  );
}

/** Buttons a bot cannot serve: Vary (Region) needs a mask, Bookmark exists only on Midjourney's side. */
function refuseUnservable(button: MjButtonKind): void {
  if (button.maskRequired) throw new UserFacingError({ reason: 'vary_region' });
  if (button.family === 'bookmark') throw new UserFacingError({ reason: 'bookmark' });
}

function footerTaskId(message: Message): string {
  const taskId = readTaskIdFromMessage(message);
  if (taskId === null) throw new UserFacingError({ reason: 'no_task_id' });
  return taskId;
}

/** Custom Zoom, or a Remix action: checks that need no request, then the form as the first response. */
async function openPromptForm(
  interaction: ButtonInteraction,
  deps: HandlerDeps,
  label: string,
  kind: PromptKind,
): Promise<void> {
  const message = interaction.message;
  const parentTaskId = footerTaskId(message);
  await ensureMaySpend(interaction, deps, { taskId: parentTaskId, message });
  const now = deps.clock.now();
  await refuseRepeat(interaction, deps, { messageId: message.id, customId: interaction.customId }, now);
  await refuseOverBudget(interaction, deps, now);
  const ticket = { kind, parentTaskId, childTaskId: null, buttonRef: interaction.customId };
  const shownPrompt = promptFromMessage(message);
  const prefill = kind === 'zoom' ? customZoomPrefill(shownPrompt) : shownPrompt;
  await interaction.showModal(buildPromptModal(memberT(interaction), ticket, prefill, label));
}
