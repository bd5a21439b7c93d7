// The server's own rules (/mjsettings, checked by server-rules.ts) on the guard path every paid entry
// takes: ensureMaySpend asks for the channel and the role, refuseOverBudget for the daily quota and
// budget. Each refusal of a guard is written to the usage log with its rule, and each submit the API
// answered is logged as started (counted against the quota) or rejected, so /mjusage can say who spent
// what and why they were refused. Usage bookkeeping never costs the member their answer: a failed
// write of it is dropped.
import { utcDayOf } from '../days.js';
import { parseMjCustomId } from '../mj/custom-id.js';
import { parseComponentId } from '../render/custom-ids.js';
import type { GuardRefusal } from '../replies/reasons.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import { isStoreWriteError } from '../store/errors.js';
import type { UsageOutcome } from '../usage-summary.js';
import type { SubmitOutcome } from './classify-submit.js';
import type { HandlerDeps } from './deps.js';
import { clickerOf, type ActionInteraction } from './interaction-reader.js';
import {
  checkChannel,
  checkClickRole,
  checkDailyLimits,
  checkStartRole,
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

async function logUsage(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  outcome: UsageOutcome,
  rule = '',
): Promise<void> {
  const guildId = interaction.guildId;
  if (!guildId) return;
  try {
    const event = { guildId, userId: interaction.user.id, at: deps.clock.now(), action: actionOf(interaction) };
    await deps.usage.record({ ...event, outcome, rule });
  } catch (err) {
    if (!isStoreWriteError(err)) throw err;
  }
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

/** The server's daily budget and the member's daily quota, in tasks the API accepted today (UTC). */
export async function refuseOverDailyLimits(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  now: number,
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
  const verdict = checkDailyLimits(rules, clickerOf(interaction), started, now);
  if (!verdict.ok) await refuse(interaction, deps, verdict);
}

/**
 * The API's answer to a counted submit: each new task it started (a MODAL task waiting for its
 * prompt included: it runs once the prompt is sent) is one started task; a refusal is logged with the
 * API's reason. An existing task or no new task starts nothing.
 */
export async function logSubmitOutcome(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  outcome: SubmitOutcome,
): Promise<void> {
  if (outcome.kind === 'rejected') return logUsage(interaction, deps, 'rejected', outcome.reason);
  if (outcome.kind === 'needs_modal') return logUsage(interaction, deps, 'started');
  if (outcome.kind !== 'accepted') return;
  for (let i = 0; i < 1 + outcome.moreTaskIds.length; i++) await logUsage(interaction, deps, 'started');
}
