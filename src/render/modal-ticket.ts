// The custom_id of the bot's own pop-up forms (a "ticket"). It carries everything the submit needs,
// so a form opened before a restart still works after it (no state). custom-ids.ts lists it with
// every other namespace the bot mints.
//
//   modal:        mjmodal:<z|p>:<parentTaskId>:<childTaskId>:<buttonRef>
//
// z = Custom Zoom (the prompt must carry --zoom 1–2), p = any other prompt. A modal either has a
// child (a MODAL task exists: only /submit/modal is left) or a parent and a button (Custom Zoom opened
// straight from the image: /submit/action, then /submit/modal). Task ids never contain ':' (see
// task-id.ts), so splitting on the first four colons is unambiguous even though customIds contain '::'.
import { isMjCustomId, SHORT_BUTTON_KEY_PREFIX, shortButtonKey } from '../mj/custom-id.js';
import { isValidTaskId } from '../mj/task-id.js';
import { MODAL_CUSTOM_ID_MAX } from './limits.js';

export const MODAL_ID_PREFIX = 'mjmodal:';

export type PromptKind = 'zoom' | 'prompt';

export interface ModalTicket {
  kind: PromptKind;
  parentTaskId: string | null;
  childTaskId: string | null;
  /** The clicked button: its MJ customId, or its `mjk:` short key when the id does not fit. */
  buttonRef: string | null;
}

const SHORT_KEY_PATTERN = /^mjk:[0-9a-f]{16}$/;

export function promptKindCode(kind: PromptKind): string {
  return kind === 'zoom' ? 'z' : 'p';
}

export function promptKindOf(code: string | undefined): PromptKind | null {
  return code === 'z' ? 'zoom' : code === 'p' ? 'prompt' : null;
}

function isButtonRef(s: string): boolean {
  return isMjCustomId(s) || SHORT_KEY_PATTERN.test(s);
}

function join(kind: PromptKind, parent: string | null, child: string | null, ref: string | null): string {
  return `${MODAL_ID_PREFIX}${promptKindCode(kind)}:${parent ?? ''}:${child ?? ''}:${ref ?? ''}`;
}

/**
 * The modal custom_id (≤ 100 characters) for `ticket`. A customId that does not fit becomes its
 * short key; with a child task the parent and button are only kept when they fit (the child is
 * all /submit/modal needs). Throws when the ticket cannot be submitted (neither child nor parent+button).
 */
export function encodeModalTicket(ticket: ModalTicket): string {
  const { kind, childTaskId: child } = ticket;
  const parent = ticket.parentTaskId !== null && isValidTaskId(ticket.parentTaskId) ? ticket.parentTaskId : null;
  const ref = ticket.buttonRef !== null && isButtonRef(ticket.buttonRef) ? ticket.buttonRef : null;
  if (child !== null && !isValidTaskId(child)) throw new Error('modal ticket: invalid child task id');
  if (child === null && (parent === null || ref === null))
    throw new Error('modal ticket: needs a child task, or a parent task and a button');
  const candidates: Array<[string | null, string | null]> = [
    [parent, ref],
    [parent, ref !== null && !ref.startsWith(SHORT_BUTTON_KEY_PREFIX) ? shortButtonKey(ref) : ref],
  ];
  if (child !== null) candidates.push([parent, null], [null, null]);
  for (const [p, r] of candidates) {
    const id = join(kind, p, child, r);
    if (id.length <= MODAL_CUSTOM_ID_MAX) return id;
  }
  throw new Error('modal ticket: does not fit in a custom_id');
}

/** The ticket in a modal custom_id, or null when it is not one of ours or cannot be submitted. */
export function decodeModalTicket(customId: string): ModalTicket | null {
  if (!customId.startsWith(MODAL_ID_PREFIX) || customId.length > MODAL_CUSTOM_ID_MAX) return null;
  const rest = customId.slice(MODAL_ID_PREFIX.length);
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < 3; i++) {
    const at = rest.indexOf(':', from);
    if (at < 0) return null;
    parts.push(rest.slice(from, at));
    from = at + 1;
  }
  parts.push(rest.slice(from));
  const [code, parent = '', child = '', ref = ''] = parts;
  const kind = promptKindOf(code);
  if (kind === null) return null;
  if (
    (parent !== '' && !isValidTaskId(parent)) ||
    (child !== '' && !isValidTaskId(child)) ||
    (ref !== '' && !isButtonRef(ref))
  )
    return null;
  const ticket: ModalTicket = {
    kind,
    parentTaskId: parent || null,
    childTaskId: child || null,
    buttonRef: ref || null,
  };
  if (ticket.childTaskId === null && (ticket.parentTaskId === null || ticket.buttonRef === null)) return null;
  return ticket;
}
