// /mjtask id:<task id> — command → fetch → render, like Midjourney's /show. A bad id, or an API that
// fails, is answered by the router (MjApiError), privately.
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { MjTask } from '../../mj/schema.js';
import { isTerminal } from '../../mj/task.js';
import { validateTaskId } from '../../mj/task-id.js';
import { renderTask } from '../../render/task-message.js';
import {
  alreadyFollowedElsewhereSentence,
  watchNotPossibleSentence,
  watchNotSavedSentence,
} from '../../replies/commands.js';
import { isStoreWriteError } from '../../store/errors.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { learnOwnership } from '../../submit/may-spend.js';

export async function runMjtask(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  // A bad id is answered at once, before any request: no "thinking…" for a typo.
  const taskId = validateTaskId(interaction.options.getString('id', true));
  // Unset means "yes while it runs": a member asking about a running task wants to see it finish.
  const watch = interaction.options.getBoolean('watch') ?? true;
  await interaction.deferReply();
  const task = await deps.mj.fetchTask(taskId);
  // Who may act on it comes from who started it (its signed state), never from who shows it. What is
  // learnt here only saves a later click a fetch: a database that cannot save it must not hide the task.
  try {
    learnOwnership(deps, task);
  } catch (err) {
    if (!isStoreWriteError(err)) throw err;
  }
  const running = !isTerminal(task.status);
  const capabilities = deps.capabilities?.();
  const payload = renderTask(task, {
    requesterId: interaction.user.id,
    redact: deps.redact,
    ...(capabilities ? { capabilities } : {}),
  });
  const reply = await interaction.editReply({
    content: payload.content,
    embeds: payload.embeds,
    components: payload.components,
    allowedMentions: { parse: [], users: [] },
  });
  deps.log.info(
    { event: 'mjtask.shown', taskId, status: task.status, userId: interaction.user.id, watch: running && watch },
    'task shown',
  );
  if (running && watch) await watchTask(interaction, deps, task, reply.id);
}

/**
 * Hands the reply to the tracker, which edits it through the channel (the interaction token dies
 * after 15 minutes) and posts the result mentioning the member. Already followed elsewhere: say where.
 */
async function watchTask(
  interaction: ChatInputCommandInteraction,
  deps: HandlerDeps,
  task: MjTask,
  replyId: string,
): Promise<void> {
  const target = {
    guildId: interaction.guildId ?? null,
    channelId: interaction.channelId,
    messageId: replyId,
    requesterId: interaction.user.id,
    origin: 'watch' as const,
  };
  try {
    const { messageId } = await deps.tracker.follow(task.id, target, task);
    if (messageId && messageId !== replyId) {
      await interaction.followUp({ content: alreadyFollowedElsewhereSentence(), flags: MessageFlags.Ephemeral });
    }
  } catch (err) {
    deps.log.warn({ event: 'mjtask.watch_failed', taskId: task.id, err }, 'could not follow the task');
    const content = isStoreWriteError(err) ? watchNotSavedSentence() : watchNotPossibleSentence();
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  }
}
