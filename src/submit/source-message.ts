// The one write to the message a member clicked: its button shown as used.
import { ComponentType, Routes, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import type { Logger } from '../log.js';
import { markButtonUsed } from '../render/task-message-codec.js';
import { isEphemeralMessage } from './interaction-reader.js';

/**
 * Shows the clicked button as used (Primary) on the source message, as Midjourney does. Edits via the
 * channel route with the bot token (works after the 15-minute interaction token expires), re-using the
 * message's own components; the task is not refetched. Best effort: a failure is logged, never shown.
 */
export async function markSourceButtonUsed(
  interaction: ButtonInteraction | ModalSubmitInteraction,
  discordCustomId: string,
  log: Logger,
): Promise<void> {
  const message = interaction.message;
  if (!message || isEphemeralMessage(message)) return;
  try {
    const rows = message.components.map((c) => c.toJSON()) as Array<{ type: number }>;
    if (rows.some((row) => row.type !== Number(ComponentType.ActionRow))) return; // not a message this bot renders
    const updated = markButtonUsed(rows as APIActionRowComponent<APIComponentInMessageActionRow>[], discordCustomId);
    if (updated === null) return;
    await interaction.client.rest.patch(Routes.channelMessage(message.channelId, message.id), {
      body: { components: updated },
    });
  } catch (err) {
    log.warn(
      { event: 'click.mark_used_failed', messageId: message.id, err },
      'could not mark the clicked button as used',
    );
  }
}
