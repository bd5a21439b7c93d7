// The one way in for interactions: commands by name, buttons and forms by the kind of their custom_id,
// decoded once (render/custom-ids.ts), so buttons keep working after a restart with no in-memory state.
// Refusals (UserFacingError) and Midjourney API failures are answered here, privately, for every handler.
import type { AutocompleteInteraction, ButtonInteraction, Interaction, ModalSubmitInteraction } from 'discord.js';
import { DiscordAPIError } from 'discord.js';
import { discordUnreachable } from './unreachable.js';
import { isMjApiError } from '../mj/errors.js';
import { isStoreWriteError } from '../store/errors.js';
import { isValidTaskId } from '../mj/task-id.js';
import { parseComponentId, taskIdOfComponent, type ComponentId, type ComponentKind } from '../render/custom-ids.js';
import { readTaskIdFromMessage } from '../render/task-message-codec.js';
import { unexpectedFailureSentence } from '../replies/commands.js';
import { describeMjError } from '../replies/mj-error.js';
import { refusalSentence } from '../replies/refusals.js';
import { isUserFacingError } from '../replies/user-facing-error.js';
import type { Refusal } from '../replies/reasons.js';
import type { HandlerDeps } from '../submit/deps.js';
import { customIdsOnMessage } from '../submit/interaction-reader.js';
import { memberT, replyPrivately, type RepliableInteraction } from '../submit/reply.js';
import { autocompletes, commands, COMPONENT_SOURCES, components, type ComponentHandler } from './interactions.js';

type ComponentInteraction = ButtonInteraction | ModalSubmitInteraction;

/** The task an interaction is about, for its log line: /mjtask's id, the custom_id's task, or the clicked message's footer. */
function taskIdOf(interaction: RepliableInteraction, id: ComponentId | null): string | undefined {
  if (interaction.isChatInputCommand()) {
    const raw = interaction.options.get('id')?.value;
    return typeof raw === 'string' && isValidTaskId(raw.trim()) ? raw.trim() : undefined;
  }
  const fromId = id !== null ? taskIdOfComponent(id) : null;
  return fromId ?? (interaction.message ? readTaskIdFromMessage(interaction.message) : null) ?? undefined;
}

/** TypeScript cannot tie the interaction's type to the id's kind; dispatch checked it (COMPONENT_SOURCES). */
function runComponent<K extends ComponentKind>(
  interaction: ComponentInteraction,
  id: ComponentId & { kind: K },
  deps: HandlerDeps,
): Promise<void> {
  const handler = components[id.kind] as ComponentHandler<K>;
  return handler(interaction as Parameters<ComponentHandler<K>>[0], id as Parameters<ComponentHandler<K>>[1], deps);
}

/**
 * Where the bot works: never in direct messages, and only in ALLOWED_GUILD_IDS when it names servers.
 * Checked before anything else, so another server's members reach no handler and no API request.
 */
function placeRefusal(interaction: Pick<Interaction, 'guildId'>, allowedGuildIds: readonly string[]): Refusal | null {
  const guildId = interaction.guildId;
  if (!guildId) return { reason: 'dm_not_supported' };
  if (allowedGuildIds.length > 0 && !allowedGuildIds.includes(guildId)) return { reason: 'guild_not_allowed' };
  return null;
}

/** A click can only carry a custom_id of the message it was made on (as the bot rendered it); any other was crafted. */
function isCraftedClick(interaction: ButtonInteraction): boolean {
  return !customIdsOnMessage(interaction.message).includes(interaction.customId);
}

async function dispatch(
  interaction: RepliableInteraction,
  id: ComponentId | null,
  deps: HandlerDeps,
  taskId: string | undefined,
): Promise<void> {
  const userId = interaction.user.id;
  const t = memberT(interaction);
  // Which server and shard: with several instances, the log says which one took an interaction.
  const where = { interactionId: interaction.id, guildId: interaction.guildId, shard: interaction.guild?.shardId };
  const outside = placeRefusal(interaction, deps.config.allowedGuildIds);
  if (outside) {
    deps.log.info(
      { event: 'interaction.refused_place', reason: outside.reason, guildId: interaction.guildId, userId },
      'refused',
    );
    return replyPrivately(interaction, refusalSentence(t, outside), deps.redact);
  }
  if (interaction.isChatInputCommand()) {
    const name = interaction.commandName;
    deps.log.info({ event: 'interaction', type: 'command', name, taskId, userId, ...where }, 'command');
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!command) return replyPrivately(interaction, refusalSentence(t, { reason: 'unknown_command' }), deps.redact);
    return command(interaction, deps);
  }
  const source = interaction.isButton() ? 'button' : 'modal';
  const customId = interaction.customId;
  deps.log.info({ event: 'interaction', type: source, customId, taskId, userId, ...where }, source);
  if (id === null || !COMPONENT_SOURCES[id.kind].includes(source)) {
    const refusal = source === 'button' ? ('unknown_button' as const) : ('unknown_form' as const);
    return replyPrivately(interaction, refusalSentence(t, { reason: refusal }), deps.redact);
  }
  if (interaction.isButton() && isCraftedClick(interaction))
    return replyPrivately(interaction, refusalSentence(t, { reason: 'button_not_on_task' }), deps.redact);
  return runComponent(interaction, id, deps);
}

/** Turns what a handler threw into the member's private answer, and logs what was not a refusal. */
async function answerFailure(
  interaction: RepliableInteraction,
  deps: HandlerDeps,
  err: unknown,
  context: { taskId?: string; started: number; kind: ComponentKind | null },
) {
  const { taskId } = context;
  if (isUnknownInteraction(err)) {
    // Discord no longer takes an answer (the 3 s acknowledgement was missed, or the token is past its
    // 15 min): every further reply would be refused the same way, and under a flood of late
    // interactions those refusals only add to the load that made them late.
    const elapsedMs = deps.clock.now() - context.started;
    deps.log.warn({ event: 'interaction.expired', taskId, elapsedMs }, 'interaction answered too late; not answered');
    return;
  }
  const t = memberT(interaction);
  let sentence: string;
  if (isUserFacingError(err)) {
    sentence = refusalSentence(t, err.refusal);
  } else if (isStoreWriteError(err)) {
    deps.log.warn({ event: 'interaction.store_unavailable', taskId, reason: err.reason, err }, 'database write failed');
    sentence = refusalSentence(t, { reason: 'store_unavailable' });
  } else if (isMjApiError(err)) {
    deps.log.warn({ event: 'interaction.mj_error', taskId, kind: err.kind, err }, 'Midjourney API request failed');
    const lookup = isLookup(interaction, context.kind);
    sentence = describeMjError(t, err, { ...(taskId ? { taskId } : {}), timeoutMs: deps.config.mj.timeoutMs, lookup });
  } else {
    const elapsedMs = deps.clock.now() - context.started;
    const unreachable = discordUnreachable(err);
    if (unreachable)
      deps.log.warn(
        { event: 'interaction.discord_unreachable', taskId, kind: unreachable, err, elapsedMs },
        'Discord did not answer the bot',
      );
    else deps.log.error({ event: 'interaction.error', taskId, err, elapsedMs }, 'interaction handler failed');
    sentence = unexpectedFailureSentence(t);
  }
  await replyPrivately(interaction, sentence, deps.redact).catch((replyErr: unknown) =>
    deps.log.warn(
      { event: 'interaction.error_reply_failed', err: replyErr },
      'could not tell the member about the error',
    ),
  );
}

/** Interactions that only read a task (they spend nothing): /mjtask, ✉️ Seed and Show details. */
function isLookup(interaction: RepliableInteraction, kind: ComponentKind | null): boolean {
  if (interaction.isChatInputCommand()) return interaction.commandName === 'mjtask';
  return kind === 'seed' || kind === 'details';
}

/** Unknown Interaction (10062): Discord refuses every answer to this interaction from now on. */
const isUnknownInteraction = (err: unknown): boolean => err instanceof DiscordAPIError && err.code === 10062;

/**
 * Suggestions while a member types: answered at once (Discord waits 3 s and allows no deferral), and
 * with no suggestion at all where the bot does not work or when anything fails: typing goes on.
 */
async function answerAutocomplete(interaction: AutocompleteInteraction, deps: HandlerDeps): Promise<void> {
  const name = interaction.commandName;
  const handler = Object.hasOwn(autocompletes, name) ? autocompletes[name] : undefined;
  try {
    if (placeRefusal(interaction, deps.config.allowedGuildIds) !== null || handler === undefined)
      return await interaction.respond([]);
    await handler(interaction, deps);
  } catch (err) {
    deps.log.warn({ event: 'interaction.autocomplete_failed', name, err }, 'could not suggest');
    if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
  }
}

export function createInteractionRouter(deps: HandlerDeps): (interaction: Interaction) => Promise<void> {
  return async (interaction) => {
    if (!interaction.isChatInputCommand() && !interaction.isButton() && !interaction.isModalSubmit()) {
      if (interaction.isAutocomplete()) await answerAutocomplete(interaction, deps);
      return;
    }
    const started = deps.clock.now();
    const id = interaction.isChatInputCommand() ? null : parseComponentId(interaction.customId);
    const taskId = taskIdOf(interaction, id);
    try {
      await dispatch(interaction, id, deps, taskId);
    } catch (err) {
      await answerFailure(interaction, deps, err, { ...(taskId ? { taskId } : {}), started, kind: id?.kind ?? null });
    }
  };
}
