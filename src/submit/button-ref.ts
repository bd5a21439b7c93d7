// Which MJ customId a button reference stands for, before anything is paid: a click carries the
// customId itself or (when it was too long for Discord's 100 characters) a short key that only the
// parent task's buttons can resolve; a form carries the same reference and must name a button of its
// task. Refusals are UserFacingErrors ('button_not_on_task').
import { discordCustomIdFor, resolveButtonCustomId, SHORT_BUTTON_KEY_PREFIX } from '../mj/custom-id.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import type { HandlerDeps } from './deps.js';
import { customIdsOnMessage, type MessageWithComponents } from './interaction-reader.js';

/**
 * The MJ customId behind a button reference: an MJ customId is itself; a short key needs the parent
 * task's buttons (one fetch), and is refused when none of them has that key.
 */
export async function resolveButtonRef(deps: HandlerDeps, parentTaskId: string, buttonRef: string): Promise<string> {
  if (!buttonRef.startsWith(SHORT_BUTTON_KEY_PREFIX)) return buttonRef;
  const customId = resolveButtonCustomId(buttonRef, await deps.mj.fetchTask(parentTaskId));
  if (customId === null) throw new UserFacingError({ reason: 'button_not_on_task' });
  return customId;
}

/**
 * The MJ customId a form's button reference stands for, refused (before any submit) unless it is one
 * of the task's buttons: on the form's source message as the bot rendered it, or, for a form with no
 * message, among the task's buttons as the API lists them (one fetch).
 */
export async function resolveButtonOnTask(
  deps: HandlerDeps,
  parentTaskId: string,
  buttonRef: string,
  message: MessageWithComponents | null,
): Promise<string> {
  if (message) {
    const customId = await resolveButtonRef(deps, parentTaskId, buttonRef);
    if (!customIdsOnMessage(message).includes(discordCustomIdFor(customId)))
      throw new UserFacingError({ reason: 'button_not_on_task' });
    return customId;
  }
  const task = await deps.mj.fetchTask(parentTaskId);
  const customId = buttonRef.startsWith(SHORT_BUTTON_KEY_PREFIX)
    ? resolveButtonCustomId(buttonRef, task)
    : task.buttons.some((b) => b.customId === buttonRef)
      ? buttonRef
      : null;
  if (customId === null) throw new UserFacingError({ reason: 'button_not_on_task' });
  return customId;
}
