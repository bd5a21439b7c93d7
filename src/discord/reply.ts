// Answering an interaction whatever state it is in. Errors are ephemeral, like Midjourney's own: a
// public "thinking…" placeholder is removed and the error sent privately instead.
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';

export type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export async function replyPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  const body = { content: content.slice(0, 2000), allowedMentions: { parse: [] } };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
    await interaction.editReply(body);
  } else {
    if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  }
}
