// The words of the pop-up prompt form and of the reply that offers it: titles, labels, hints. Pure.
import type { Translate } from '../i18n/index.js';
import type { PromptKind } from '../render/modal-ticket.js';

/** The action's name in sentences about a prompt form that has no button label of its own. */
export function promptFormLabel(t: Translate, kind: PromptKind): string {
  return kind === 'zoom' ? t('form.label_zoom') : t('form.label_remix');
}

export function promptFormTitle(t: Translate, kind: PromptKind, label: string): string {
  return kind === 'zoom' ? t('form.title_zoom') : t('form.title_prompt', { label });
}

export function promptInputLabel(t: Translate): string {
  return t('form.input_label');
}

export function promptInputHint(t: Translate, kind: PromptKind): { placeholder: string; description: string } {
  return kind === 'zoom'
    ? { placeholder: t('form.zoom_placeholder'), description: t('form.zoom_description') }
    : { placeholder: t('form.prompt_placeholder'), description: t('form.prompt_description') };
}

/** Title of the embed that shows the prompt in the "Edit prompt & submit" reply. */
export function editPromptEmbedTitle(t: Translate): string {
  return t('form.embed_title');
}

/** Label of the button that opens the form for a MODAL task (ephemeral reply or task message). */
export function editPromptButtonLabel(t: Translate): string {
  return t('form.edit_prompt_button');
}
