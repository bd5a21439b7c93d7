// ✉️ Seed (custom_id `mjseed:<taskId>`, rendered where the server has /image-seed): the task's seed,
// told privately to whoever asks, like Midjourney's ✉️ reaction. A look-up, not a submit: it spends
// nothing, so no guard but the server's own answer applies. The fork reacts on Discord and waits for
// the DM, which can take a while, hence the deferred reply.
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { CAPABILITIES } from '../../mj/capabilities.js';
import type { ComponentIdOf } from '../../render/custom-ids.js';
import { seedNotOfferedSentence, seedSentence, seedUnavailableSentence } from '../../replies/seed.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { memberT, replyPrivately } from '../../submit/reply.js';

/** A seed as Midjourney words it: digits (Midjourney's range is 0–4294967295). */
const SEED = /^\d{1,20}$/;

export async function showSeed(
  interaction: ButtonInteraction,
  id: ComponentIdOf<'seed'>,
  deps: HandlerDeps,
): Promise<void> {
  const offered = (deps.capabilities?.() ?? CAPABILITIES.unknown).offers.imageSeed;
  const fetchImageSeed = deps.mj.fetchImageSeed?.bind(deps.mj);
  if (!offered || fetchImageSeed === undefined)
    return replyPrivately(interaction, seedNotOfferedSentence(memberT(interaction)), deps.redact);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const answer = await fetchImageSeed(id.taskId);
  const seed = typeof answer.result === 'string' ? answer.result.trim() : '';
  const found = answer.code === 1 && SEED.test(seed);
  deps.log.info(
    { event: 'seed.shown', taskId: id.taskId, code: answer.code, found, userId: interaction.user.id },
    'seed asked',
  );
  const sentence = found
    ? seedSentence(memberT(interaction), id.taskId, seed)
    : seedUnavailableSentence(memberT(interaction), answer.code, answer.description);
  await replyPrivately(interaction, sentence, deps.redact);
}
