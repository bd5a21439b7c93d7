// The end of every paid submit: follow the task it started, then tell the member what happened.
import type { MjTask } from '../mj/schema.js';
import { submittedTask } from '../mj/task.js';
import type { Place } from '../replies/reasons.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import { isStoreWriteError } from '../store/errors.js';
import {
  acceptedSentence,
  existingSentence,
  followFailedSentence,
  needsPromptSentence,
  noNewTaskSentence,
  promptNotAppliedSentence,
  rejectionSentence,
} from '../replies/submit.js';
import type { SubmitOutcome } from './classify-submit.js';
import type { HandlerDeps } from './deps.js';
import { originChannelId, type ActionInteraction } from './interaction-reader.js';
import { customZoomPrefill } from './prompt.js';
import { buildEditPromptReply } from './prompt-modal.js';
import { answerBeforeFollowUp, memberT, replyPrivately, type PrivateReply } from './reply.js';
import { interactionRouteFor } from './interaction-route.js';
import type { PaidSubmit } from './steps.js';
import type { TaskTarget } from '../store/tracked-tasks.js';

function updatesChannelOf(interaction: ActionInteraction, deps: HandlerDeps): Promise<string> {
  return deps.updatesChannelFor(interaction.guildId ?? null, originChannelId(interaction));
}

/** Where a submit's tasks are followed, and as whose: read before anything is stored. */
async function followTargetOf(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  submit: PaidSubmit,
): Promise<TaskTarget> {
  const guildId = interaction.guildId ?? null;
  const channelId = await updatesChannelOf(interaction, deps);
  return {
    guildId,
    channelId,
    messageId: null,
    requesterId: interaction.user.id,
    origin: submit.origin,
    locale: await deps.channelLocaleFor(guildId, interaction.guildLocale),
    submittedCustomId: submit.customId ?? null,
    // Its progress may be a follow-up of this interaction: killed after Discord makes it, the next
    // process finds it by this id rather than post a second one (tracking/lost-progress.ts).
    progressInteractionId: interactionRouteFor(interaction, deps, channelId, null)?.interactionId ?? null,
  };
}

/**
 * Posts the progress message of a prepared task through the tracker; null when the bot could not
 * post it. Without a fetched state the message starts from what the submit told: accepted, with the
 * member's prompt. Shown in the interaction's channel, the progress message is a follow-up of the
 * member's interaction, updated through its webhook while the token lives; `answerFirst` gives the
 * private answer (without the link yet) so that follow-up can be public, and says whether it could.
 */
async function postProgressMessage(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  submit: PaidSubmit,
  taskId: string,
  target: TaskTarget,
  task?: MjTask | null,
  answerFirst?: (place: Place) => Promise<boolean>,
): Promise<Place | null> {
  const { guildId, channelId } = target;
  try {
    const known = task && task.id === taskId ? task : submittedTask(taskId, submit.fallbackPrompt, submit.action);
    let via = interactionRouteFor(interaction, deps, channelId, null);
    // An early answer that fails leaves the "thinking…" pending: the channel routes show the task then.
    const answered =
      via && answerFirst && (await answerFirst({ guildId, channelId, messageId: null }).catch(() => false));
    if (!answered) via = undefined;
    const { messageId } = await deps.tracker.follow(taskId, target, known, via);
    return { guildId, channelId, messageId };
  } catch (err) {
    // Paid for already: a database that refuses the write must not read as "could not post here".
    if (isStoreWriteError(err)) throw notSavedAfterSubmit(submit, taskId);
    deps.log.warn({ event: 'click.follow_failed', taskId, channelId, err }, 'task submitted but could not be followed');
    return null;
  }
}

function notSavedAfterSubmit(submit: PaidSubmit, taskId: string): UserFacingError {
  return new UserFacingError({ reason: 'store_unavailable_after_submit', label: submit.label, taskId });
}

/** The tasks an answer gives the bot to follow: the one it started (or found), then FORK's "imagine all" extras. */
function tasksToFollow(outcome: SubmitOutcome): string[] {
  if (outcome.kind === 'accepted') return [outcome.taskId, ...outcome.moreTaskIds];
  return outcome.kind === 'existing' ? [outcome.taskId] : [];
}

/**
 * Follows the task a submit started (or found already done): where its progress message is, or null
 * when there is no task to follow or the message could not be posted. Extra tasks (FORK's "imagine
 * all") are followed too. Every task is stored (tracker.prepare) first, before its owner and before
 * anything is said: between the API's answer and that row an instance that dies leaves a paid task
 * nobody finishes, so only the reads of where to show it (the server's settings) come before it. The
 * owner is known from the task's signed state meanwhile (may-spend.ts).
 */
export async function followNewTask(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  submit: PaidSubmit,
  outcome: SubmitOutcome,
  task?: MjTask | null,
): Promise<Place | null> {
  const taskIds = tasksToFollow(outcome);
  if (taskIds.length === 0) {
    await recordOwnersAfterSubmit(interaction, deps, submit, outcome);
    return null;
  }
  const target = await followTargetOf(interaction, deps, submit);
  const prepared: string[] = [];
  for (const taskId of taskIds) {
    try {
      // In the store before anything is said: killed from here on, the task is still someone's to finish.
      await deps.tracker.prepare(taskId, target);
      prepared.push(taskId);
    } catch (err) {
      if (isStoreWriteError(err)) throw notSavedAfterSubmit(submit, taskId);
      deps.log.warn({ event: 'click.follow_failed', taskId, err }, 'task submitted but could not be followed');
    }
  }
  await recordOwnersAfterSubmit(interaction, deps, submit, outcome);
  // The answer as it will read, naming the channel (answerOutcome adds the message's link); given
  // once, so the extra tasks' progress messages are follow-ups too.
  let answered: Promise<boolean> | null = null;
  const answerFirst = (place: Place) =>
    (answered ??= sentenceFor(interaction, deps, submit, outcome, place).then((reply) =>
      answerBeforeFollowUp(interaction, reply, deps.redact),
    ));
  // Each prepared task is followed, whatever happened to the one before: a prepared task waits for
  // its follow() before it posts anything.
  let place: Place | null = null;
  for (const taskId of prepared) {
    const posted = await postProgressMessage(interaction, deps, submit, taskId, target, task, answerFirst);
    if (taskId === taskIds[0]) place = posted; // the task the answer is about; the rest are its extras
  }
  return place;
}

/** recordOwners for a paid submit: a database that refuses the write reads as "saved nowhere", with the task's id. */
async function recordOwnersAfterSubmit(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  submit: PaidSubmit,
  outcome: SubmitOutcome,
): Promise<void> {
  try {
    await recordOwners(interaction, deps, outcome, submit.fallbackPrompt);
  } catch (err) {
    if (isStoreWriteError(err) && 'taskId' in outcome) throw notSavedAfterSubmit(submit, outcome.taskId);
    throw err;
  }
}

/**
 * The tasks a submit started belong to the member who submitted (a child task to the member whose
 * click started it), recorded before anything follows them. An "existing" task keeps its starter.
 */
export async function recordOwners(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  outcome: SubmitOutcome,
  prompt?: string,
): Promise<void> {
  if (outcome.kind !== 'accepted' && outcome.kind !== 'needs_modal') return;
  const ids = outcome.kind === 'accepted' ? [outcome.taskId, ...outcome.moreTaskIds] : [outcome.taskId];
  const guildId = interaction.guildId ?? null;
  for (const taskId of ids)
    await deps.owners.record({ taskId, guildId, userId: interaction.user.id, ...(prompt !== undefined && { prompt }) });
}

async function sentenceFor(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  submit: PaidSubmit,
  outcome: SubmitOutcome,
  place: Place | null,
): Promise<PrivateReply> {
  const { label } = submit;
  const t = memberT(interaction);
  switch (outcome.kind) {
    case 'rejected':
      return { content: rejectionSentence(t, outcome, label) };
    case 'needs_modal': {
      // FORK's finalPrompt for Custom Zoom lacks --zoom; the prefill adds it (and keeps --ar).
      const prompt = outcome.finalPrompt ?? submit.fallbackPrompt;
      const prefill = submit.promptKind === 'zoom' ? customZoomPrefill(prompt) : prompt;
      return {
        content: needsPromptSentence(t, label),
        ...buildEditPromptReply(t, submit.promptKind, outcome.taskId, deps.redact(prefill)),
      };
    }
    case 'no_new_task':
      return { content: noNewTaskSentence(t, label) };
    case 'existing':
    case 'accepted':
      if (place === null)
        return { content: followFailedSentence(t, label, outcome.taskId, await updatesChannelOf(interaction, deps)) };
      if (outcome.kind === 'existing') return { content: existingSentence(t, { label, place }) };
      if (outcome.promptNotApplied === true)
        return { content: promptNotAppliedSentence(t, label, place, outcome.taskId) };
      return {
        content: acceptedSentence(t, {
          label,
          taskId: outcome.taskId,
          queuePosition: outcome.queuePosition,
          moreTaskCount: outcome.moreTaskIds.length,
          place,
        }),
      };
  }
}

/** The one answer for a submit's outcome, replacing the "thinking…" placeholder. */
export async function answerOutcome(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  submit: PaidSubmit,
  outcome: SubmitOutcome,
  place: Place | null,
): Promise<void> {
  const taskId = 'taskId' in outcome ? outcome.taskId : undefined;
  deps.log.info(
    {
      event: 'click.outcome',
      label: submit.label,
      outcome: outcome.kind,
      taskId,
      parentTaskId: submit.parentTaskId,
      userId: interaction.user.id,
    },
    'submit answered',
  );
  const reply = await sentenceFor(interaction, deps, submit, outcome, place);
  await replyPrivately(interaction, { embeds: [], components: [], ...reply }, deps.redact);
}
