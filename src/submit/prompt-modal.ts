// Builders for the pop-up form and for the "Edit prompt & submit" reply. Pure JSON, so tests check
// Discord's limits directly (title ≤ 45, custom_id ≤ 100, value ≤ 4000).
import {
  ButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import { encodeEditPromptId, encodePromptFormId } from '../render/custom-ids.js';
import {
  EMBED_DESCRIPTION_MAX,
  MODAL_TITLE_MAX,
  TEXT_INPUT_PLACEHOLDER_MAX,
  TEXT_INPUT_VALUE_MAX,
  cutAt,
  truncate,
} from '../render/limits.js';
import type { ModalTicket, PromptKind } from '../render/modal-ticket.js';
import { escapeAndFit, taskFooter } from '../render/task-message-codec.js';
import type { Translate } from '../i18n/index.js';
import {
  editPromptButtonLabel,
  editPromptEmbedTitle,
  promptFormTitle,
  promptInputHint,
  promptInputLabel,
} from '../replies/prompt-form.js';
import { fitTextInput } from './prompt.js';

/** custom_id of the prompt text input inside every form. */
export const PROMPT_INPUT_ID = 'prompt';

/**
 * The form a member fills in. Custom Zoom requires a prompt with `--zoom`; a Remix prompt may be left
 * empty (the API then keeps the original prompt). The text input sits in a Label, as Discord now
 * recommends; discord.js reads it back with fields.getTextInputValue.
 */
export function buildPromptModal(
  t: Translate,
  ticket: ModalTicket,
  prefill: string,
  label: string,
): APIModalInteractionResponseCallbackData {
  const zoom = ticket.kind === 'zoom';
  const hint = promptInputHint(t, ticket.kind);
  const value = fitTextInput(prefill.trim());
  const input = {
    type: ComponentType.TextInput,
    custom_id: PROMPT_INPUT_ID,
    style: TextInputStyle.Paragraph,
    required: zoom,
    max_length: TEXT_INPUT_VALUE_MAX,
    placeholder: cutAt(hint.placeholder, TEXT_INPUT_PLACEHOLDER_MAX),
    ...(value !== '' ? { value } : {}),
  };
  return {
    custom_id: encodePromptFormId(ticket),
    title: truncate(promptFormTitle(t, ticket.kind, label), MODAL_TITLE_MAX),
    components: [
      {
        type: ComponentType.Label,
        label: promptInputLabel(t),
        description: hint.description,
        component: input,
      },
    ] as APIModalInteractionResponseCallbackData['components'],
  };
}

/**
 * The ephemeral reply for a MODAL task found after submitting (Remix mode): the prompt in an embed
 * (where the button's handler reads it back, since it must show the form before any request) and the
 * button that opens the form.
 */
export function buildEditPromptReply(
  t: Translate,
  kind: PromptKind,
  childTaskId: string,
  prompt: string,
): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  // Escaped like a task message, so promptFromMessage reads both the same way.
  const shown = escapeAndFit(prompt.trim(), EMBED_DESCRIPTION_MAX);
  return {
    embeds: [
      {
        title: editPromptEmbedTitle(t),
        ...(shown !== '' ? { description: shown } : {}),
        footer: { text: taskFooter(childTaskId, t) },
      },
    ],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            style: ButtonStyle.Primary,
            custom_id: encodeEditPromptId(kind, childTaskId),
            label: editPromptButtonLabel(t),
          },
        ],
      },
    ],
  };
}
