// /mjtask id:<task id> — command → fetch → render, like Midjourney's /show.
import type { ChatInputCommandInteraction } from 'discord.js';
import { isMjApiError, MjApiError } from '../../mj/errors.js';
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
    await interaction.deferReply();
    try {
      const task = await ctx.mj.fetchTask(taskId);
      const payload = renderTask(task, { requesterId: interaction.user.id });
      await interaction.editReply({
        content: payload.content,
        embeds: payload.embeds,
        components: payload.components,
        allowedMentions: { parse: [], users: [] },
      });
      ctx.log.info({ event: 'mjtask.shown', taskId, status: task.status, userId: interaction.user.id }, 'task shown');
    } catch (err) {
      const mjError = toMjError(err);
      ctx.log.warn({ event: 'mjtask.failed', taskId, kind: mjError.kind, err: mjError }, 'task fetch failed');
      await replyPrivately(interaction, describeMjError(mjError, { taskId, timeoutMs: ctx.config.mj.timeoutMs }));
    }
  },
};

function toMjError(err: unknown): MjApiError {
  if (isMjApiError(err)) return err;
  throw err;
}
