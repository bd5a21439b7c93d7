// The one write to the message a member clicked: its button shown as used.
import { ComponentType, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import type { Logger } from '../log.js';
import type { Publisher } from '../tracking/types.js';
import { markButtonUsed } from '../render/task-message-codec.js';
import { isEphemeralMessage } from './interaction-reader.js';

/**
 * Shows the clicked button as used (Primary) on the source message, as Midjourney does. Edits via the
 * channel route with the bot token (works after the 15-minute interaction token expires), re-using the
 * message's own components; the task is not refetched. The edit counts against Discord's global limit
 * and the channel's bucket, so it waits its turn in the publisher's gate like every channel request;
 * nobody waits for it. Best effort: a failure is logged, never shown.
 */
export function markSourceButtonUsed(
  interaction: ButtonInteraction | ModalSubmitInteraction,
  discordCustomId: string,
  deps: { log: Logger; messages: Pick<Publisher, 'editMessage'> },
): void {
  const message = interaction.message;
  if (!message || isEphemeralMessage(message)) return;
  try {
    const rows = message.components.map((c) => c.toJSON()) as Array<{ type: number }>;
    if (rows.some((row) => row.type !== Number(ComponentType.ActionRow))) return; // not a message this bot renders
    const updated = markButtonUsed(rows as APIActionRowComponent<APIComponentInMessageActionRow>[], discordCustomId);
    if (updated === null) return;
    // A refused edit is logged by the publisher (publisher.edit_failed).
    void deps.messages.editMessage(message.channelId, message.id, { components: updated });
  } catch (err) {
    deps.log.warn(
      { event: 'click.mark_used_failed', messageId: message.id, err },
      'could not mark the clicked button as used',
    );
  }
}
