// Builders for the pop-up form and for the "Edit prompt & submit" reply. Pure JSON, so tests check
// Discord's limits directly (title ≤ 45, custom_id ≤ 100, value ≤ 4000).
import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIEmbed,
  APIModalInteractionResponseCallbackData,
} from 'discord-api-types/v10';
import {
  EDIT_PROMPT_LABEL,
  encodeEditPromptId,
  encodeModalTicket,
  type ModalTicket,
  type PromptKind,
} from '../../render/modal-ticket.js';
import { fitTextInput } from '../../submit/prompt.js';
import {
  EMBED_DESCRIPTION_MAX,
  MODAL_TITLE_MAX,
  TEXT_INPUT_PLACEHOLDER_MAX,
  TEXT_INPUT_VALUE_MAX,
  cutAt,
  truncate,
} from '../../render/limits.js';
import { escapeAndFit } from '../../render/task-message.js';

/** custom_id of the prompt text input inside every form. */
export const PROMPT_INPUT_ID = 'prompt';

const COMPONENT_BUTTON = 2;
const COMPONENT_ROW = 1;
const COMPONENT_TEXT_INPUT = 4;
const COMPONENT_LABEL_WRAPPER = 18;
const TEXT_INPUT_PARAGRAPH = 2;

function titleFor(kind: PromptKind, label: string): string {
  return truncate(kind === 'zoom' ? 'Custom Zoom' : `${label}: edit the prompt`, MODAL_TITLE_MAX);
}

/**
 * The form a member fills in. Custom Zoom requires a prompt with `--zoom`; a Remix prompt may be left
 * empty (the API then keeps the original prompt). The text input sits in a Label, as Discord now
 * recommends (discord.md §3.3); discord.js reads it back with fields.getTextInputValue.
 */
export function buildPromptModal(
  ticket: ModalTicket,
  prefill: string,
  label: string,
): APIModalInteractionResponseCallbackData {
  const zoom = ticket.kind === 'zoom';
  const value = fitTextInput(prefill.trim());
  const input = {
    type: COMPONENT_TEXT_INPUT,
    custom_id: PROMPT_INPUT_ID,
    style: TEXT_INPUT_PARAGRAPH,
    required: zoom,
    max_length: TEXT_INPUT_VALUE_MAX,
    placeholder: cutAt(
      zoom ? 'your prompt --ar 1:1 --zoom 1.5' : 'Leave empty to keep the original prompt',
      TEXT_INPUT_PLACEHOLDER_MAX,
    ),
    ...(value !== '' ? { value } : {}),
  };
  return {
    custom_id: encodeModalTicket(ticket),
    title: titleFor(ticket.kind, label),
    components: [
      {
        type: COMPONENT_LABEL_WRAPPER,
        label: 'Prompt',
        description: zoom
          ? 'Keep --ar; set --zoom between 1 and 2 (e.g. --zoom 1.5).'
          : 'Change the prompt for the new images.',
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
  kind: PromptKind,
  childTaskId: string,
  prompt: string,
): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  // Escaped like a task message, so promptFromMessage reads both the same way.
  const shown = escapeAndFit(prompt.trim(), EMBED_DESCRIPTION_MAX);
  return {
    embeds: [
      { title: 'Prompt', ...(shown !== '' ? { description: shown } : {}), footer: { text: `Task ${childTaskId}` } },
    ],
    components: [
      {
        type: COMPONENT_ROW,
        components: [
          {
            type: COMPONENT_BUTTON,
            style: 1,
            custom_id: encodeEditPromptId(kind, childTaskId),
            label: EDIT_PROMPT_LABEL,
          },
        ],
      },
    ],
  };
}
