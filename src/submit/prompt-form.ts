// A filled-in pop-up form, after the handler deferred it (ephemeral) and checked the prompt. Two cases:
// - A MODAL task already exists (Remix, via "Edit prompt & submit"): only /submit/modal; the click
//   that created it was already counted, so only the running cap applies.
// - Custom Zoom opened straight from the image (no task yet): /submit/action, then /submit/modal
//   {taskId: the id the action returned, prompt}. Same guards and click log as a button click.
import type { ModalSubmitInteraction } from 'discord.js';
import { parseMjCustomId, type MjButtonKind } from '../mj/custom-id.js';
import { encodeMjButtonId } from '../render/custom-ids.js';
import type { ModalTicket, PromptKind } from '../render/modal-ticket.js';
import { promptFormLabel } from '../replies/prompt-form.js';
import { memberT } from './reply.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import { classifySubmit, type SubmitOutcome } from './classify-submit.js';
import type { HandlerDeps } from './deps.js';
import { answerOutcome, followNewTask, recordOwners } from './outcome.js';
import { observeRemix, remixModeShownBy } from './remix-memory.js';
import { markSourceButtonUsed } from './source-message.js';
import {
  awaitSubmit,
  buttonLockKey,
  callbacksFor,
  claimSubmit,
  refuseOverBudget,
  refuseOverRunningCap,
  refuseRepeat,
  settleClick,
  withButtonLock,
  type PaidClaim,
  type PaidSubmit,
} from './steps.js';
import { resolveButtonOnTask } from './button-ref.js';

export async function submitPromptForm(
  interaction: ModalSubmitInteraction,
  ticket: ModalTicket,
  prompt: string,
  deps: HandlerDeps,
): Promise<void> {
  if (ticket.childTaskId !== null)
    return submitPromptForTask(interaction, ticket.kind, ticket.childTaskId, prompt, deps);
  if (ticket.parentTaskId === null || ticket.buttonRef === null) throw new UserFacingError({ reason: 'form_expired' });
  const customId = await resolveButtonOnTask(deps, ticket.parentTaskId, ticket.buttonRef, interaction.message);
  return submitActionWithPrompt(
    interaction,
    { kind: ticket.kind, parentTaskId: ticket.parentTaskId, customId },
    prompt,
    deps,
  );
}

/** Only a MODAL task's prompt is left to send. */
async function submitPromptForTask(
  interaction: ModalSubmitInteraction,
  kind: PromptKind,
  childTaskId: string,
  prompt: string,
  deps: HandlerDeps,
): Promise<void> {
  const label = promptFormLabel(memberT(interaction), kind);
  const submit: PaidSubmit = {
    label,
    parentTaskId: childTaskId,
    origin: 'click',
    promptKind: kind,
    fallbackPrompt: prompt,
  };
  await withButtonLock(deps, `modal|${childTaskId}`, async () => {
    await refuseOverRunningCap(interaction, deps, childTaskId);
    const request = deps.mj.submitModal({ taskId: childTaskId, prompt, ...callbacksFor(interaction, deps) });
    const outcome = classifySubmit(await awaitSubmit(deps, null, submit, request), { route: 'modal' });
    const place = await followNewTask(interaction, deps, submit, outcome);
    await settleClick(interaction, deps, null, outcome, place);
    await answerOutcome(interaction, deps, submit, outcome, place);
  });
}

/** Action, then the prompt for the MODAL task it created. */
async function submitActionWithPrompt(
  interaction: ModalSubmitInteraction,
  action: { kind: PromptKind; parentTaskId: string; customId: string },
  prompt: string,
  deps: HandlerDeps,
): Promise<void> {
  const { parentTaskId, customId } = action;
  const button = parseMjCustomId(customId);
  const clicked = interaction.message ? { messageId: interaction.message.id, customId } : null;
  const submit: PaidSubmit = {
    label: button.fallbackLabel,
    parentTaskId,
    origin: 'click',
    promptKind: action.kind,
    fallbackPrompt: prompt,
  };
  await withButtonLock(deps, clicked ? buttonLockKey(clicked) : null, async () => {
    const now = deps.clock.now();
    if (clicked) await refuseRepeat(interaction, deps, clicked, now);
    await refuseOverBudget(interaction, deps, now);
    const claim = await claimSubmit(interaction, deps, clicked, now);
    const request = deps.mj.submitAction({
      taskId: parentTaskId,
      customId,
      ...callbacksFor(interaction, deps, claim.clickId),
    });
    const first = classifySubmit(await awaitSubmit(deps, claim, submit, request), { route: 'action', parentTaskId });
    const outcome = await sendPromptAfterAction(interaction, deps, { submit, claim, button, first, prompt });
    const place = await followNewTask(interaction, deps, submit, outcome);
    await settleClick(interaction, deps, claim, outcome, place);
    if (outcome.kind !== 'rejected') markSourceButtonUsed(interaction, encodeMjButtonId(customId), deps);
    await answerOutcome(interaction, deps, submit, outcome, place);
  });
}

/**
 * /submit/modal for the task the action created, only when it waits for one: the answer said so (21),
 * or the new task is MODAL. The fork never checks (trueai-org/midjourney-proxy
 * src/Midjourney.API/Controllers/SubmitController.cs L700-773) and would drop the prompt silently, so a
 * task that already runs is followed and the member told their prompt could not apply. A status ""
 * (new-api has not polled its upstream yet, Calcium-Ion/new-api relay/relay-mj.go L529-547) says
 * nothing, so the prompt is sent.
 */
async function sendPromptAfterAction(
  interaction: ModalSubmitInteraction,
  deps: HandlerDeps,
  step: { submit: PaidSubmit; claim: PaidClaim; button: MjButtonKind; first: SubmitOutcome; prompt: string },
): Promise<SubmitOutcome> {
  const { first } = step;
  if (first.kind !== 'needs_modal' && first.kind !== 'accepted') return first;
  // The task the action created is the clicker's, whatever the prompt's answer.
  await recordOwners(interaction, deps, first);
  if (first.kind === 'accepted') {
    const child = await deps.mj.fetchTask(first.taskId).catch(() => null);
    if (child === null || (child.status !== 'MODAL' && child.status !== '')) {
      observeRemix(deps.remix, step.button, remixModeShownBy({ action: first, confirmed: child !== null }));
      return { ...first, promptNotApplied: true };
    }
  }
  const request = deps.mj.submitModal({
    taskId: first.taskId,
    prompt: step.prompt,
    ...callbacksFor(interaction, deps, step.claim.clickId),
  });
  const second = classifySubmit(await awaitSubmit(deps, step.claim, step.submit, request), { route: 'modal' });
  observeRemix(deps.remix, step.button, remixModeShownBy({ action: first, confirmed: true, prompt: second }));
  const startedDirectly =
    first.kind === 'accepted' && second.kind === 'rejected' && second.reason === 'already_submitted';
  return startedDirectly ? { ...first, promptNotApplied: true } : second;
}
