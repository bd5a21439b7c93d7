// The one decision every paid entry (button, prompt form, edit-prompt button, /imagine) asks: may this
// member spend the admin's Midjourney money on this task now? Not outside the channels the server
// allows, nor without the role it asks for starting (no task) or clicking (a task); not while paused;
// then CLICK_POLICY against the task's owner. The owner is who started the task, never who showed it:
// the store first, else the task's signed `state` (one fetch, e.g. after losing the database), and
// only for a task started outside the bot the member who showed it. The message's text (its
// mention) is never read: a prompt or action can contain any mention.
import type { MjTask } from '../mj/schema.js';
import { parseSubmitState } from '../mj/submit-state.js';
import type { TaskOwner } from '../store/task-owners.js';
import type { HandlerDeps } from './deps.js';
import { checkBannedPause, checkOwnership, verdictWithoutOwner, type TaskOwnership } from './guards.js';
import { clickerOf, isEphemeralMessage, type ActionInteraction } from './interaction-reader.js';
import { refuse, refuseByServerRules } from './server-guards.js';

/** The message a component sat on, as much of it as ownership needs. */
export interface ShownMessage {
  flags?: { has(flag: number): boolean } | null;
  interactionMetadata?: { user?: { id?: string | null } | null } | null;
}

/** What is being spent on: a task (and the message it was clicked on, if any); null for /imagine. */
export interface SpendTarget {
  taskId: string;
  message: ShownMessage | null;
}

/** Throws the refusal (UserFacingError) when this member may not spend on `target` now; each is logged with its rule. */
export async function ensureMaySpend(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  target: SpendTarget | null,
): Promise<void> {
  await refuseByServerRules(interaction, deps, target === null ? 'start' : 'click');
  await refusePaused(interaction, deps);
  if (target === null) return;
  const clicker = clickerOf(interaction);
  if (verdictWithoutOwner(deps.config.guards, clicker)?.ok === true) return;
  const shower = await showerOf(interaction, deps, target.taskId, target.message);
  const ownership = await ownershipOf(deps, target.taskId, shower);
  const verdict = checkOwnership(deps.config.guards, clicker, ownership);
  if (!verdict.ok) await refuse(interaction, deps, verdict);
}

async function refusePaused(interaction: ActionInteraction, deps: HandlerDeps): Promise<void> {
  const { bannedPromptLimit, bannedPromptWindowMs } = deps.config.guards;
  if (bannedPromptLimit <= 0) return;
  const now = deps.clock.now();
  const banned = await deps.bannedPrompts.timesSince(interaction.user.id, now - bannedPromptWindowMs + 1);
  const verdict = checkBannedPause(banned, deps.config.guards, now);
  if (!verdict.ok) await refuse(interaction, deps, verdict);
}

/**
 * Who showed the message: the member whose command posted it (a /mjtask reply), on an ephemeral
 * message the member themselves (nobody else can see it), and on a message the tracker posted for a
 * task watched with /mjtask (its progress or result) the member who watched it.
 */
async function showerOf(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  taskId: string,
  message: ShownMessage | null,
): Promise<string | null> {
  const commandUser = message?.interactionMetadata?.user?.id;
  if (typeof commandUser === 'string' && commandUser !== '') return commandUser;
  if (message && isEphemeralMessage(message)) return interaction.user.id;
  const followed = message ? await deps.followed.get(taskId) : null;
  return followed?.origin === 'watch' ? followed.requesterId : null;
}

/** The starter from the store, else from the task's signed state (one fetch, then remembered), else the shower. */
async function ownershipOf(deps: HandlerDeps, taskId: string, showerId: string | null): Promise<TaskOwnership> {
  const known = (await deps.owners.get(taskId)) ?? (await learnOwnership(deps, await deps.mj.fetchTask(taskId)));
  if (known.userId !== null) return { source: 'starter', userId: known.userId };
  return showerId !== null ? { source: 'shower', userId: showerId } : { source: 'unknown' };
}

/**
 * Records what a task read from the API says of its owner: its signed state's member, or that it
 * was started outside the bot. /mjtask calls it with the task it shows, so clicks need no fetch.
 */
export async function learnOwnership(
  deps: Pick<HandlerDeps, 'owners' | 'stateKey'>,
  task: Pick<MjTask, 'id' | 'state'> & Partial<Pick<MjTask, 'prompt'>>,
): Promise<TaskOwner> {
  const origin = parseSubmitState(task.state, deps.stateKey);
  if (origin)
    await deps.owners.record({ taskId: task.id, ...origin, ...(task.prompt !== undefined && { prompt: task.prompt }) });
  else await deps.owners.recordOwnerless(task.id);
  return (await deps.owners.get(task.id)) ?? { taskId: task.id, guildId: null, userId: origin?.userId ?? null };
}
