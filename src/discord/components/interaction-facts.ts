// Facts the click flows read from discord.js objects: who clicked (roles, Manage Guild), where, and
// the source message. Kept apart so the flows read as the steps of the issue.
import {
  MessageFlags,
  PermissionFlagsBits,
  Routes,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import type { Clicker } from '../../submit/guards.js';
import { markButtonUsed } from '../../submit/message-facts.js';
import { decodeEditPromptId, decodeModalTicket } from '../../render/modal-ticket.js';
import { isValidTaskId } from '../../mj/task-id.js';
import { readTaskIdFromMessage } from '../../render/task-message.js';
import type { BotContext } from '../context.js';

export type ActionInteraction = ButtonInteraction | ModalSubmitInteraction | ChatInputCommandInteraction;

/** Role ids of the member: a cached GuildMember, or the raw API member (roles: string[]) of an uncached guild. */
function roleIdsOf(member: ActionInteraction['member']): string[] {
  if (!member) return [];
  const roles = (member as { roles?: unknown }).roles;
  if (Array.isArray(roles)) return roles.filter((r): r is string => typeof r === 'string');
  const cache = (roles as { cache?: Map<string, unknown> } | undefined)?.cache;
  return cache ? [...cache.keys()] : [];
}

export function clickerOf(interaction: ActionInteraction): Clicker {
  return {
    userId: interaction.user.id,
    roleIds: roleIdsOf(interaction.member),
    canManageGuild: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) === true,
  };
}

/** The channel the interaction came from (the fallback place to report a task). */
export function originChannelId(interaction: ActionInteraction): string {
  if (interaction.channelId) return interaction.channelId;
  const message = 'message' in interaction ? interaction.message : null;
  return message?.channelId ?? '';
}

/**
 * The task an interaction is about, for its log line: /mjtask's id option, the task id of the clicked
 * message (footer), or the task a form or "Edit prompt" button carries in its custom_id.
 */
export function taskIdOfInteraction(interaction: Interaction): string | undefined {
  if (interaction.isChatInputCommand()) {
    const id = interaction.options.get('id')?.value;
    return typeof id === 'string' && isValidTaskId(id.trim()) ? id.trim() : undefined;
  }
  if (interaction.isButton()) {
    return (
      decodeEditPromptId(interaction.customId)?.childTaskId ?? readTaskIdFromMessage(interaction.message) ?? undefined
    );
  }
  if (interaction.isModalSubmit()) {
    const ticket = decodeModalTicket(interaction.customId);
    return (
      ticket?.childTaskId ??
      ticket?.parentTaskId ??
      (interaction.message ? readTaskIdFromMessage(interaction.message) : null) ??
      undefined
    );
  }
  return undefined;
}

export function isEphemeralMessage(message: Pick<Message, 'flags'> | null | undefined): boolean {
  return message?.flags?.has(MessageFlags.Ephemeral) === true;
}

/**
 * Shows the clicked button as used (Primary) on the source message, as Midjourney does. Edits via the
 * channel route with the bot token (works after the 15-minute interaction token expires), re-using the
 * message's own components; the task is not refetched. Best effort: a failure is logged, never shown.
 */
export async function markSourceButtonUsed(
  interaction: ButtonInteraction | ModalSubmitInteraction,
  discordCustomId: string,
  ctx: BotContext,
): Promise<void> {
  const message = interaction.message;
  if (!message || isEphemeralMessage(message)) return;
  try {
    const rows = message.components.map((c) => c.toJSON()) as Array<{ type: number }>;
    if (rows.some((row) => row.type !== 1)) return; // not a message this bot renders
    const updated = markButtonUsed(rows as APIActionRowComponent<APIComponentInMessageActionRow>[], discordCustomId);
    if (updated === null) return;
    await interaction.client.rest.patch(Routes.channelMessage(message.channelId, message.id), {
      body: { components: updated },
    });
  } catch (err) {
    ctx.log.warn(
      { event: 'click.mark_used_failed', messageId: message.id, err },
      'could not mark the clicked button as used',
    );
  }
}
