// "Show details" under a Shorten (custom_id `mjdetails:<taskId>`): the analysis of the prompt, told
// privately to whoever asks, like Midjourney's own Show Details. A look-up, not a submit: it spends
// nothing, so no guard applies; the task is fetched (deferred first) because the message shows only
// the shortened prompts.
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { shortenAnalysis } from '../../mj/text-results.js';
import type { ComponentIdOf } from '../../render/custom-ids.js';
import { shortenDetailsReply } from '../../replies/shorten.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { memberT, replyPrivately } from '../../submit/reply.js';

export async function showShortenDetails(
  interaction: ButtonInteraction,
  id: ComponentIdOf<'details'>,
  deps: HandlerDeps,
): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const task = await deps.mj.fetchTask(id.taskId);
  const analysis = shortenAnalysis(task);
  deps.log.info({ event: 'shorten.details', taskId: id.taskId, found: analysis !== null }, 'shorten details asked');
  await replyPrivately(
    interaction,
    shortenDetailsReply(memberT(interaction), id.taskId, analysis, deps.redact),
    deps.redact,
  );
}
