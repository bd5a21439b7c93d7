// The one way the bot answers a member privately, whatever state the interaction is in. Errors are
// ephemeral, like Midjourney's own: a public "thinking…" placeholder is removed and the answer sent
// privately instead. A sentence may quote the API (a careless proxy echoes the request, with the key
// or the webhook secret), so every configured secret is redacted here, whatever the sentence.
import type { APIActionRowComponent, APIButtonComponent, APIEmbed } from 'discord-api-types/v10';
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { translatorFor, type Translate } from '../i18n/index.js';

export type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction;

export interface PrivateReply {
  content: string;
  embeds?: APIEmbed[];
  components?: APIActionRowComponent<APIButtonComponent>[];
}

const CONTENT_MAX = 2000;

/** The member's language: private answers follow the Discord `locale` of the member who acted. */
export function memberT(interaction: RepliableInteraction): Translate {
  return translatorFor(interaction.locale);
}

export async function replyPrivately(
  interaction: RepliableInteraction,
  reply: string | PrivateReply,
  redact: (text: string) => string,
): Promise<void> {
  const { content, ...rest } = typeof reply === 'string' ? { content: reply } : reply;
  const body = {
    content: redact(content).slice(0, CONTENT_MAX),
    ...rest,
    allowedMentions: { parse: [] },
  };
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral) {
    await interaction.editReply(body);
  } else {
    if (interaction.deferred && !interaction.replied) await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  }
}

/**
 * Replaces a private "thinking…" with the answer before the answer is final, through the webhook
 * (discord.js's `replied` stays false, so replyPrivately still edits the same message afterwards).
 * A follow-up sent while the "thinking…" is pending would replace it and be private too: this lets the
 * task's public progress message be a follow-up. False when the interaction is in no such state.
 */
export async function answerBeforeFollowUp(
  interaction: RepliableInteraction,
  reply: PrivateReply,
  redact: (text: string) => string,
): Promise<boolean> {
  if (!interaction.deferred || interaction.replied || !interaction.ephemeral) return false;
  const { content, ...rest } = reply;
  await interaction.webhook.editMessage('@original', {
    content: redact(content).slice(0, CONTENT_MAX),
    embeds: [],
    components: [],
    ...rest,
    allowedMentions: { parse: [] },
  });
  return true;
}
