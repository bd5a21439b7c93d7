// The small steps every paid submit shares (button click, prompt form, /imagine). Each flow calls them
// in the open, top to bottom: guards → record the click → submit → follow → settle → answer. A step
// that refuses throws a UserFacingError; the router answers the member with its sentence. Steps that
// act for an interaction take (interaction, deps, …); the others take deps first.
import { isMjApiError } from '../mj/errors.js';
import { isStoreWriteError } from '../store/errors.js';
import { submitCallbacks } from '../mj/submit-state.js';
import type { PromptKind } from '../render/modal-ticket.js';
import type { Place } from '../replies/reasons.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import type { TrackOrigin } from '../store/tracked-tasks.js';
import type { HandlerDeps } from './deps.js';
import { checkRunningCap, checkSubmitBudget, findDoubleClick, firstClickRules, rateLimited } from './guards.js';
import type { ClickRecord } from '../store/clicks.js';
import { originChannelId, type ActionInteraction } from './interaction-reader.js';
import type { SubmitOutcome } from './classify-submit.js';
import {
  actionOf,
  refuse,
  refuseOverDailyLimits,
  releaseDailyPlace,
  reserveDailyPlace,
  settleUsage,
} from './server-guards.js';

/** What is being paid for, as the member's sentences and the progress message need it. */
export interface PaidSubmit {
  /** Readable name in every sentence: "U1", "Custom Zoom", "/imagine". */
  label: string;
  /** The task the action applies to, for log lines. */
  parentTaskId?: string;
  origin: Extract<TrackOrigin, 'click' | 'imagine'>;
  /** Which form to offer when the API asks for a prompt. */
  promptKind: PromptKind;
  /** The form's starting text when the API sends no finalPrompt; also what the new task shows until its first poll. */
  fallbackPrompt: string;
  /** The new task's action until its first poll (DESCRIBE shows "Describe", not an empty prompt). */
  action?: string;
  /** The MJ customId a click submitted: the new task keeps it (an upscale's "Image #N" on every server). */
  customId?: string;
}

/** A button of a message: the double-click key. */
export interface ClickedButton {
  messageId: string;
  customId: string;
}

/** Refuses a click that repeats one just made on the same button, pointing at what the first one started. */
export async function refuseRepeat(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  button: ClickedButton,
  now: number,
): Promise<void> {
  const { clickLog, config } = deps;
  const previous = await findDoubleClick(
    clickLog,
    button.messageId,
    button.customId,
    now,
    config.guards.doubleClickWindowMs,
  );
  if (previous) throw await repeatRefusal(interaction, deps, previous);
}

/**
 * Where the first click's task shows its result, once posted: its progress message (what the click
 * log names) is deleted then, and a link to it would lead nowhere. Unknown, or a database that
 * cannot say, links to the progress message as before.
 */
async function resultOf(
  deps: HandlerDeps,
  taskId: string | null,
): Promise<{ channelId: string; messageId: string } | null> {
  if (taskId === null) return null;
  const followed = await deps.followed.get(taskId).catch(() => null);
  return followed?.resultMessageId ? { channelId: followed.channelId, messageId: followed.resultMessageId } : null;
}

async function repeatRefusal(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  previous: ClickRecord,
): Promise<UserFacingError> {
  const result = await resultOf(deps, previous.childTaskId);
  const place = result
    ? { guildId: interaction.guildId, ...result }
    : previous.followChannelId
      ? { guildId: interaction.guildId, channelId: previous.followChannelId, messageId: previous.followMessageId }
      : null;
  return new UserFacingError({
    reason: 'repeat_click',
    userId: previous.userId,
    at: previous.at,
    place,
    taskId: previous.childTaskId,
  });
}

/**
 * CLICKS_PER_MINUTE, MAX_RUNNING_TASKS_PER_MEMBER, then the server's daily budget and the member's
 * daily quota (/mjsettings), with room for the `places` tasks the submit starts: every new paid submit
 * passes them all. Refusals are logged with their rule.
 */
export async function refuseOverBudget(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  now: number,
  places = 1,
): Promise<void> {
  const userId = interaction.user.id;
  const running = deps.tracker.runningCountFor(userId);
  const verdict = await checkSubmitBudget(deps.clickLog, deps.config.guards, userId, now, running);
  if (!verdict.ok) await refuse(interaction, deps, verdict);
  await refuseOverDailyLimits(interaction, deps, now, places);
}

/**
 * The prompt for a task that already waits for it: its click was counted, so only the running cap
 * applies. When the bot already follows that task for this member (behind an aggregator it looked
 * like a normal start), it is one of their running tasks and must not block its own prompt.
 */
export async function refuseOverRunningCap(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  promptTaskId: string,
): Promise<void> {
  const userId = interaction.user.id;
  const own = deps.tracker.isRunningFor(promptTaskId, userId) ? 1 : 0;
  const verdict = checkRunningCap(
    deps.tracker.runningCountFor(userId) - own,
    deps.config.guards.maxRunningTasksPerMember,
  );
  if (!verdict.ok) await refuse(interaction, deps, verdict);
}

/** Runs `work` alone for this key (a button of a message, or a task's prompt); no key: at once. */
export function withButtonLock<T>(deps: HandlerDeps, key: string | null, work: () => Promise<T>): Promise<T> {
  return key === null ? work() : deps.lock.run(key, work);
}

export function buttonLockKey(button: ClickedButton): string {
  return `${button.messageId}|${button.customId}`;
}

/** What a counted submit holds while its request is out: its click record and its places in the daily limits. */
export interface PaidClaim {
  clickId: number;
  /** The places held in today's quota and budget; null when the server sets none. */
  reservationId: number | null;
}

/** How a submit is claimed: `repeat` checks the button's double-click window; `places`: the tasks it starts (default 1). */
export interface ClaimOptions {
  repeat?: boolean;
  places?: number;
}

/**
 * Recorded before the request: a click arriving meanwhile sees it and submits nothing. The record
 * checks CLICKS_PER_MINUTE again, and with `repeat` the button's double-click window, in the same
 * step as it writes; then the submit takes its places in the day's budget and quota (`places`, one
 * per task it starts), checked in the same step as they are held (refuseRepeat and refuseOverBudget
 * answered earlier from reads): another submit, here or on an instance sharing the database, may have
 * been counted since. A click refused there is marked failed: it submitted nothing.
 */
export async function claimSubmit(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  button: ClickedButton | null,
  now: number,
  { repeat = false, places = 1 }: ClaimOptions = {},
): Promise<PaidClaim> {
  const attempt = {
    messageId: button?.messageId ?? null,
    customId: button?.customId ?? 'imagine',
    userId: interaction.user.id,
    at: now,
    // Where the task is shown if its answer never comes and it is found again (submit/recovery.ts).
    guildId: interaction.guildId ?? null,
    channelId: originChannelId(interaction) || null,
    guildLocale: interaction.guildLocale ?? null,
    // …what the usage log calls it, to count the task found then, and how many of those may be counted.
    action: actionOf(interaction),
    places,
    // …and who sends it: should this instance die before the answer, the others look for it at once.
    madeBy: deps.config.instance.id,
  };
  const first = await deps.clickLog.recordFirst(attempt, firstClickRules(deps.config.guards, repeat, now));
  if (first.kind === 'repeat') throw await repeatRefusal(interaction, deps, first.previous);
  if (first.kind === 'rate_limited')
    return refuse(interaction, deps, rateLimited(deps.config.guards.clicksPerMinute, first.oldest, now));
  try {
    return { clickId: first.id, reservationId: await reserveDailyPlace(interaction, deps, now, places, first.id) };
  } catch (err) {
    await deps.clickLog.fail(first.id);
    throw err;
  }
}

/**
 * The API answered: a refusal frees the click (nothing was spent), a banned prompt is counted against
 * the member (see ensureMaySpend); anything else records its task. The answer settles the submit's
 * place in the daily limits (./server-guards.ts). No claim (a prompt for a task that waits for it):
 * only the banned prompt is counted.
 */
export async function settleClick(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  claim: PaidClaim | null,
  outcome: SubmitOutcome,
  place: Place | null,
): Promise<void> {
  try {
    if (outcome.kind === 'rejected' && outcome.reason === 'banned_prompt') {
      const now = deps.clock.now();
      await deps.bannedPrompts.record(interaction.user.id, interaction.guildId ?? null, now);
      // Only the window counts: older records are dropped as new ones come, so the table stays small.
      await deps.bannedPrompts.prune(now - deps.config.guards.bannedPromptWindowMs);
    }
    if (claim === null) return;
    // Only a counted submit (it has a claim) is usage: a prompt for a waiting task was counted by its click.
    await settleUsage(interaction, deps, claim, outcome);
    if (outcome.kind === 'rejected') return await deps.clickLog.fail(claim.clickId);
    await deps.clickLog.complete(claim.clickId, {
      childTaskId: outcome.taskId,
      followChannelId: place?.channelId ?? null,
      followMessageId: place?.messageId ?? null,
    });
  } catch (err) {
    // The member's answer matters more than the bookkeeping: a pending click keeps blocking a repeat.
    if (!isStoreWriteError(err)) throw err;
  }
}

/**
 * The submit threw. A timeout may still have reached the API (and been paid for), so it keeps
 * blocking a repeat and keeps its place in the daily limits until the hold expires; any other
 * failure frees both. The error goes on to the router.
 */
export async function abandonClick(
  deps: HandlerDeps,
  claim: PaidClaim | null,
  submit: PaidSubmit,
  err: unknown,
): Promise<void> {
  const mjError = isMjApiError(err) ? err : null;
  if (claim !== null && mjError?.kind !== 'timeout') {
    await deps.clickLog.fail(claim.clickId);
    await releaseDailyPlace(deps, claim.reservationId);
  }
  if (mjError === null) return;
  deps.log.warn(
    { event: 'click.submit_failed', label: submit.label, parentTaskId: submit.parentTaskId, kind: mjError.kind, err },
    'submit failed',
  );
}

/**
 * notifyHook (when the receiver is configured) and the signed state that ties the task to this member
 * and, for a counted submit, to its click record: the task can be found again by it when the answer
 * never arrives (submit/recovery.ts).
 */
export function callbacksFor(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  clickId?: number | null,
): { notifyHook?: string; state: string } {
  const { guildId, user } = interaction;
  return submitCallbacks(deps.config.webhook?.notifyHookUrl, deps.stateKey, guildId, user.id, clickId);
}

/** Waits for the submit request; when it throws, the claim is abandoned (see abandonClick) and the error rethrown. */
export async function awaitSubmit<T>(
  deps: HandlerDeps,
  claim: PaidClaim | null,
  submit: PaidSubmit,
  request: Promise<T>,
): Promise<T> {
  try {
    return await request;
  } catch (err) {
    await abandonClick(deps, claim, submit, err);
    throw err;
  }
}
