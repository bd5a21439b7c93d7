// The server's own rules (/mjsettings, checked by server-rules.ts) on the guard path every paid entry
// takes: ensureMaySpend asks for the channel and the role, refuseOverBudget for the daily quota and
// budget (an early answer from reads), then reserveDailyPlace holds the submit's place in them (the
// check that counts: atomic across instances, see store/usage.ts). Each refusal of a guard is written
// to the usage log with its rule, and each submit the API answered settles its place as started
// (counted against the quota) or rejected, so /mjusage can say who spent what and why they were
// refused. Usage bookkeeping never costs the member their answer: a failed write of it is dropped.
import { utcDayOf } from '../days.js';
import { parseMjCustomId } from '../mj/custom-id.js';
import { parseComponentId } from '../render/custom-ids.js';
import type { GuardRefusal } from '../replies/reasons.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import { isStoreWriteError } from '../store/errors.js';
import type { UsageEvent } from '../store/usage.js';
import type { UsageOutcome } from '../usage-summary.js';
import type { SubmitOutcome } from './classify-submit.js';
import type { HandlerDeps } from './deps.js';
import { clickerOf, type ActionInteraction } from './interaction-reader.js';
import {
  checkChannel,
  checkClickRole,
  checkDailyLimits,
  checkStartRole,
  dailyLimitRefusal,
  type InteractionPlace,
} from './server-rules.js';

/** What a paid entry does: start a task (a command) or act on one (a button, a form). */
export type EntryKind = 'start' | 'click';

/** What the member asked for, as the usage log names it: the command, or the button's family. */
export function actionOf(interaction: ActionInteraction): string {
  if (interaction.isChatInputCommand()) return interaction.commandName;
  const id = parseComponentId(interaction.customId);
  if (id?.kind === 'mj-button') return id.customId !== null ? parseMjCustomId(id.customId).family : 'button';
  if (id?.kind === 'prompt-form') {
    const ref = id.ticket.buttonRef;
    if (ref !== null && ref.startsWith('MJ::')) return parseMjCustomId(ref).family;
    return id.ticket.kind === 'zoom' ? 'custom_zoom' : 'remix';
  }
  return id?.kind === 'edit-prompt' ? 'remix' : 'unknown';
}

function placeOf(interaction: ActionInteraction): InteractionPlace {
  const channel = interaction.channel as { isThread?: () => boolean; parentId?: string | null } | null;
  const parentChannelId = channel?.isThread?.() === true ? (channel.parentId ?? null) : null;
  return { channelId: interaction.channelId ?? '', parentChannelId };
}

function usageEvent(interaction: ActionInteraction, deps: HandlerDeps, outcome: UsageOutcome, rule = '') {
  const guildId = interaction.guildId;
  if (!guildId) return null;
  const at = deps.clock.now();
  return { guildId, userId: interaction.user.id, at, action: actionOf(interaction), outcome, rule };
}

/** Runs a usage write; a storage fault drops it (the member's answer matters more). */
async function keepAnswering(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (err) {
    if (!isStoreWriteError(err)) throw err;
  }
}

async function logUsage(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  outcome: UsageOutcome,
  rule = '',
): Promise<void> {
  const event = usageEvent(interaction, deps, outcome, rule);
  if (event) await keepAnswering(() => deps.usage.record(event));
}

/** Logs the refusal with its rule, then throws it for the router to word. */
export async function refuse(interaction: ActionInteraction, deps: HandlerDeps, refusal: GuardRefusal): Promise<never> {
  await logUsage(interaction, deps, 'refused', refusal.reason);
  throw new UserFacingError(refusal);
}

/** The channels the bot may be used in, and the roles that may start (commands) or click (buttons, forms). */
export async function refuseByServerRules(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  entry: EntryKind,
): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId) return;
  const rules = await deps.settings.effective(guildId);
  const channel = checkChannel(rules, placeOf(interaction));
  if (!channel.ok) await refuse(interaction, deps, channel);
  const clicker = clickerOf(interaction);
  const role = entry === 'start' ? checkStartRole(rules, clicker) : checkClickRole(rules, clicker);
  if (!role.ok) await refuse(interaction, deps, role);
}

/** The channel rule alone, for what is free but still kept to the server's channels (/mjtask). */
export async function refuseOutsideChannels(interaction: ActionInteraction, deps: HandlerDeps): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId) return;
  const verdict = checkChannel(await deps.settings.effective(guildId), placeOf(interaction));
  if (!verdict.ok) throw new UserFacingError(verdict);
}

/**
 * The server's daily budget and the member's daily quota, in tasks the API accepted today (UTC), with
 * room for the `places` tasks this submit starts.
 */
export async function refuseOverDailyLimits(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  now: number,
  places = 1,
): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId) return;
  const rules = await deps.settings.effective(guildId);
  if (rules.memberDailyQuota === null && rules.serverDailyBudget === null) return;
  const day = utcDayOf(now);
  const started = {
    member: await deps.usage.startedOn(guildId, day, interaction.user.id),
    server: await deps.usage.startedOn(guildId, day),
  };
  const verdict = checkDailyLimits(rules, clickerOf(interaction), started, now, places);
  if (!verdict.ok) await refuse(interaction, deps, verdict);
}

/**
 * Holds this submit's places in today's budget and quota (a manager has no quota), one per task it
 * starts (`places`), or refuses it when fewer are left: the check and the hold are one step, so of two
 * submits at once (on any instances) only those with room pass. The limits it checks are read in
 * that step, as stored now: the settings `deps.settings` gives are this instance's copy
 * (store/settings-cache.ts; another instance's change drops it as it commits) and only say whether
 * the server sets any limit. Returns the hold to settle once the API answers; null when the server
 * sets no daily limit. The hold names `clickId`, so the look that finds a task whose answer never
 * came can drop it.
 */
export async function reserveDailyPlace(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  now: number,
  places = 1,
  clickId: number | null = null,
): Promise<number | null> {
  const guildId = interaction.guildId;
  if (!guildId) return null;
  const rules = await deps.settings.effective(guildId);
  if (rules.memberDailyQuota === null && rules.serverDailyBudget === null) return null;
  const quotaExempt = clickerOf(interaction).canManageGuild;
  const hold = { guildId, userId: interaction.user.id, at: now, quotaExempt, places, clickId };
  const reserved = await deps.usage.reserve(hold);
  if (reserved.kind === 'reserved') return reserved.id;
  return refuse(interaction, deps, dailyLimitRefusal(reserved.limit, reserved.allowed, reserved.left, places, now));
}

/** The submit failed before the API took it: its place is free again. */
export async function releaseDailyPlace(deps: HandlerDeps, reservationId: number | null): Promise<void> {
  if (reservationId !== null) await keepAnswering(() => deps.usage.settle(reservationId, []));
}

/**
 * The API's answer to a counted submit, recorded (and its held places dropped) in one step: each new
 * task it started (a MODAL task waiting for its prompt included: it runs once the prompt is sent) is
 * one started task; a refusal is logged with the API's reason. An existing task or no new task starts
 * nothing. Places held for tasks that did not start (an Imagine all of which some were refused) are
 * free again with the rest. The click's tasks are counted once: when the answer comes so late that
 * the look for it (submit/recovery.ts) has counted them already, nothing more is recorded.
 */
export async function settleUsage(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  claim: { clickId: number; reservationId: number | null },
  outcome: SubmitOutcome,
): Promise<void> {
  const events = usageEventsOf(interaction, deps, outcome);
  // Nothing to record and no hold to drop (no limits here, and no new task or a DM): no statement.
  if (claim.reservationId === null && events.length === 0) return;
  await keepAnswering(() => deps.usage.settle(claim.reservationId, events, claim.clickId));
}

function usageEventsOf(interaction: ActionInteraction, deps: HandlerDeps, outcome: SubmitOutcome): UsageEvent[] {
  if (outcome.kind === 'rejected') {
    const refused = usageEvent(interaction, deps, 'rejected', outcome.reason);
    return refused ? [refused] : [];
  }
  const started = usageEvent(interaction, deps, 'started');
  const tasks = outcome.kind === 'accepted' ? 1 + outcome.moreTaskIds.length : outcome.kind === 'needs_modal' ? 1 : 0;
  return started ? Array.from({ length: tasks }, () => started) : [];
}
