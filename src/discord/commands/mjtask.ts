// /mjtask id:<task id> — command → fetch → render, like Midjourney's /show.
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { isMjApiError, type MjApiError } from '../../mj/errors.js';
import type { MjTask } from '../../mj/schema.js';
import { isTerminal } from '../../mj/task.js';
import { validateTaskId } from '../../mj/task-id.js';
import { describeMjError } from '../../render/error-message.js';
import { renderTask } from '../../render/task-message.js';
import type { BotContext } from '../context.js';
import { replyPrivately } from '../reply.js';
import type { CommandHandler } from '../router.js';

export const mjtaskCommand: CommandHandler = {
  name: 'mjtask',
  async execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
    const raw = interaction.options.getString('id', true);
    let taskId: string;
    try {
      // A bad id is answered at once, before any request: no "thinking…" for a typo.
      taskId = validateTaskId(raw);
    } catch (err) {
      await replyPrivately(interaction, describeMjError(toMjError(err)));
      return;
    }
    // Unset means "yes while it runs": a member asking about a running task wants to see it finish.
    const watch = interaction.options.getBoolean('watch') ?? true;
    await interaction.deferReply();
    try {
      const task = await ctx.mj.fetchTask(taskId);
      const running = !isTerminal(task.status);
      const payload = renderTask(task, { requesterId: interaction.user.id });
      const reply = await interaction.editReply({
        content: payload.content,
        embeds: payload.embeds,
        components: payload.components,
        allowedMentions: { parse: [], users: [] },
      });
      ctx.log.info(
        { event: 'mjtask.shown', taskId, status: task.status, userId: interaction.user.id, watch: running && watch },
        'task shown',
      );
      if (running && watch) await watchTask(interaction, ctx, task, reply.id);
    } catch (err) {
      const mjError = toMjError(err);
      ctx.log.warn({ event: 'mjtask.failed', taskId, kind: mjError.kind, err: mjError }, 'task fetch failed');
      await replyPrivately(interaction, describeMjError(mjError, { taskId, timeoutMs: ctx.config.mj.timeoutMs }));
    }
  },
};

/**
 * Hands the reply to the tracker, which edits it through the channel (the interaction token dies
 * after 15 minutes) and posts the result mentioning the member. Already followed elsewhere: say where.
 */
async function watchTask(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
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
    const { messageId } = await ctx.tracking.follow(task.id, target, task);
    if (messageId && messageId !== replyId) {
      await interaction.followUp({
        content: `👀 This task is already followed in another message; its result will be posted there.`,
        flags: MessageFlags.Ephemeral,
      });
    }
  } catch (err) {
    ctx.log.warn({ event: 'mjtask.watch_failed', taskId: task.id, err }, 'could not follow the task');
    await interaction.followUp({
      content: '⚠️ I cannot post in this channel, so this message will not update by itself. Run /mjtask again later.',
      flags: MessageFlags.Ephemeral,
    });
  }
}

function toMjError(err: unknown): MjApiError {
  if (isMjApiError(err)) return err;
  throw err;
}
