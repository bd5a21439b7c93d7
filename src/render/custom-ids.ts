// Every custom_id the bot mints or accepts, in one place. Each namespace carries all a handler needs,
// so a component works after a restart with an empty store:
//
//   MJ::…                         a Midjourney button, its MJ customId verbatim (at most 100 characters)
//   mjk:<16 hex>                  a Midjourney button whose customId does not fit: resolved against the task's buttons
//   mjedit:<z|p>:<childTaskId>    "Edit prompt & submit" for a task waiting for its prompt (MODAL)
//   mjmodal:<z|p>:<parent>:<child>:<buttonRef>   the pop-up prompt form (modal-ticket.ts)
//   mjseed:<taskId>               the bot's own Seed button under a result (servers with /image-seed)
//   mjdetails:<taskId>            the bot's own "Show details" under a Shorten: its analysis, privately
//
// parseComponentId decodes a custom_id once into a discriminated union; the router dispatches on its
// kind. Pure.
import { discordCustomIdFor, isMjCustomId, SHORT_BUTTON_KEY_PREFIX } from '../mj/custom-id.js';
import { isValidTaskId } from '../mj/task-id.js';
import { CUSTOM_ID_MAX } from './limits.js';
import {
  decodeModalTicket,
  encodeModalTicket,
  MODAL_ID_PREFIX,
  promptKindCode,
  promptKindOf,
  type ModalTicket,
  type PromptKind,
} from './modal-ticket.js';

const EDIT_PROMPT_ID_PREFIX = 'mjedit:';
const EDIT_PROMPT_PATTERN = /^mjedit:([zp]):([A-Za-z0-9_-]{1,64})$/;
const SEED_ID_PREFIX = 'mjseed:';
const SEED_ID_PATTERN = /^mjseed:([A-Za-z0-9_-]{1,64})$/;
const DETAILS_ID_PREFIX = 'mjdetails:';
const DETAILS_ID_PATTERN = /^mjdetails:([A-Za-z0-9_-]{1,64})$/;

export type ComponentId =
  /**
   * A Midjourney button. `customId` is the MJ customId, or null for a short key: the task's buttons
   * say which customId it stands for.
   */
  | { kind: 'mj-button'; discordCustomId: string; customId: string | null }
  /** "Edit prompt & submit": opens the form for a task waiting for its prompt. */
  | { kind: 'edit-prompt'; promptKind: PromptKind; childTaskId: string }
  /** A filled-in prompt form. */
  | { kind: 'prompt-form'; ticket: ModalTicket }
  /** Seed: shows the task's seed privately (free: nothing is submitted). */
  | { kind: 'seed'; taskId: string }
  /** Show details: a Shorten's analysis of the prompt, privately (free: nothing is submitted). */
  | { kind: 'details'; taskId: string }
  /** One of the bot's own ids that no longer carries what its handler needs. */
  | { kind: 'expired'; namespace: 'edit-prompt' | 'prompt-form' | 'seed' | 'details' };

export type ComponentKind = ComponentId['kind'];
export type ComponentIdOf<K extends ComponentKind> = Extract<ComponentId, { kind: K }>;

/** The Discord custom_id of a Midjourney button: the customId itself when it fits, else its `mjk:` key. */
export function encodeMjButtonId(customId: string): string {
  return discordCustomIdFor(customId);
}

/** custom_id of the "Edit prompt & submit" button for a MODAL task. */
export function encodeEditPromptId(kind: PromptKind, childTaskId: string): string {
  if (!isValidTaskId(childTaskId)) throw new Error('edit prompt id: invalid task id');
  const id = `${EDIT_PROMPT_ID_PREFIX}${promptKindCode(kind)}:${childTaskId}`;
  if (id.length > CUSTOM_ID_MAX) throw new Error('edit prompt id: too long');
  return id;
}

/** custom_id of the Seed button of a task (throws on an id that is not a task id). */
export function encodeSeedId(taskId: string): string {
  if (!isValidTaskId(taskId)) throw new Error('seed id: invalid task id');
  const id = `${SEED_ID_PREFIX}${taskId}`;
  if (id.length > CUSTOM_ID_MAX) throw new Error('seed id: too long');
  return id;
}

/** custom_id of a Shorten's Show details button (throws on an id that is not a task id). */
export function encodeDetailsId(taskId: string): string {
  if (!isValidTaskId(taskId)) throw new Error('details id: invalid task id');
  const id = `${DETAILS_ID_PREFIX}${taskId}`;
  if (id.length > CUSTOM_ID_MAX) throw new Error('details id: too long');
  return id;
}

/** custom_id of a prompt form (throws when the ticket cannot be submitted). */
export function encodePromptFormId(ticket: ModalTicket): string {
  return encodeModalTicket(ticket);
}

function parseEditPromptId(customId: string): ComponentIdOf<'edit-prompt'> | null {
  const m = EDIT_PROMPT_PATTERN.exec(customId);
  const promptKind = promptKindOf(m?.[1]);
  if (!m?.[2] || promptKind === null) return null;
  return { kind: 'edit-prompt', promptKind, childTaskId: m[2] };
}

/** What a custom_id is, or null when it is not one the bot minted (or it no longer carries enough). */
export function parseComponentId(customId: string): ComponentId | null {
  if (isMjCustomId(customId)) return { kind: 'mj-button', discordCustomId: customId, customId };
  // Any `mjk:` id goes to the button handler, which answers that it matches none of the task's buttons.
  if (customId.startsWith(SHORT_BUTTON_KEY_PREFIX))
    return { kind: 'mj-button', discordCustomId: customId, customId: null };
  if (customId.startsWith(EDIT_PROMPT_ID_PREFIX))
    return parseEditPromptId(customId) ?? { kind: 'expired', namespace: 'edit-prompt' };
  if (customId.startsWith(SEED_ID_PREFIX)) {
    const taskId = SEED_ID_PATTERN.exec(customId)?.[1];
    return taskId !== undefined ? { kind: 'seed', taskId } : { kind: 'expired', namespace: 'seed' };
  }
  if (customId.startsWith(DETAILS_ID_PREFIX)) {
    const taskId = DETAILS_ID_PATTERN.exec(customId)?.[1];
    return taskId !== undefined ? { kind: 'details', taskId } : { kind: 'expired', namespace: 'details' };
  }
  if (customId.startsWith(MODAL_ID_PREFIX)) {
    const ticket = decodeModalTicket(customId);
    return ticket ? { kind: 'prompt-form', ticket } : { kind: 'expired', namespace: 'prompt-form' };
  }
  return null;
}

/** The task a component is about, when its custom_id says (for log lines). */
export function taskIdOfComponent(id: ComponentId): string | null {
  switch (id.kind) {
    case 'mj-button':
      return null;
    case 'edit-prompt':
      return id.childTaskId;
    case 'prompt-form':
      return id.ticket.childTaskId ?? id.ticket.parentTaskId;
    case 'seed':
    case 'details':
      return id.taskId;
    case 'expired':
      return null;
  }
}
