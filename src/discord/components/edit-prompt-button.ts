// "✏️ Edit prompt & submit" (custom_id `mjedit:<z|p>:<taskId>`): shown when the API asked for a
// prompt only after the click was deferred (see mj-button.ts). The form must be the first response,
// so its starting text is read from the message the button sits on, never fetched.
import type { ButtonInteraction } from 'discord.js';
import { checkClickAllowed } from '../../submit/guards.js';
import { requesterFromMessage } from '../../submit/message-facts.js';
import { formExpiredSentence } from '../../submit/messages.js';
import { decodeEditPromptId, EDIT_PROMPT_ID_PREFIX } from '../../render/modal-ticket.js';
import { promptFromMessage } from '../../submit/prompt.js';
import { replyPrivately } from '../reply.js';
import type { ComponentHandler } from '../router.js';
import { clickerOf, isEphemeralMessage } from './interaction-facts.js';
import { buildPromptModal } from './prompt-modal.js';

export const editPromptButtonHandler: ComponentHandler<ButtonInteraction> = {
  matches: (customId) => customId.startsWith(EDIT_PROMPT_ID_PREFIX),
  async execute(interaction, ctx) {
    const parsed = decodeEditPromptId(interaction.customId);
    if (parsed === null) return replyPrivately(interaction, formExpiredSentence());
    const message = interaction.message;
    // On the member's own ephemeral reply only they can click; on a public message the policy applies.
    if (!isEphemeralMessage(message)) {
      const allowed = checkClickAllowed(ctx.config.guards, clickerOf(interaction), requesterFromMessage(message));
      if (!allowed.ok) return replyPrivately(interaction, allowed.message);
    }
    const ticket = { kind: parsed.kind, parentTaskId: null, childTaskId: parsed.childTaskId, buttonRef: null };
    await interaction.showModal(
      buildPromptModal(ticket, promptFromMessage(message), parsed.kind === 'zoom' ? 'Custom Zoom' : 'Remix'),
    );
  },
};
