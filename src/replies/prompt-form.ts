// The words of the pop-up prompt form and of the reply that offers it: titles, labels, hints. Pure.
import type { PromptKind } from '../render/modal-ticket.js';

/** The action's name in sentences about a prompt form that has no button label of its own. */
export function promptFormLabel(kind: PromptKind): string {
  return kind === 'zoom' ? 'Custom Zoom' : 'Remix';
}

export function promptFormTitle(kind: PromptKind, label: string): string {
  return kind === 'zoom' ? 'Custom Zoom' : `${label}: edit the prompt`;
}

export const PROMPT_INPUT_LABEL = 'Prompt';

export function promptInputHint(kind: PromptKind): { placeholder: string; description: string } {
  return kind === 'zoom'
    ? {
        placeholder: 'your prompt --ar 1:1 --zoom 1.5',
        description: 'Keep --ar; set --zoom between 1 and 2 (e.g. --zoom 1.5).',
      }
    : { placeholder: 'Leave empty to keep the original prompt', description: 'Change the prompt for the new images.' };
}

/** Title of the embed that shows the prompt in the "Edit prompt & submit" reply. */
export const EDIT_PROMPT_EMBED_TITLE = 'Prompt';
