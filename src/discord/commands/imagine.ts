// /imagine prompt:<text>: an empty prompt is refused before anything else; otherwise deferred
// (ephemeral) and submitted like a click (submit/imagine.ts).
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { UserFacingError } from '../../replies/user-facing-error.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { submitImagine } from '../../submit/imagine.js';

export async function runImagine(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  const prompt = interaction.options.getString('prompt', true).trim();
  if (prompt === '') throw new UserFacingError({ reason: 'empty_prompt' });
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await submitImagine(interaction, prompt, deps);
}
