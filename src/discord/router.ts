// The one way in for interactions: commands by name, buttons and modal submits by custom_id pattern
// (as the AI Horde bot does), so buttons keep working after a restart with no in-memory state.
import type { ButtonInteraction, ChatInputCommandInteraction, Interaction, ModalSubmitInteraction } from 'discord.js';
import type { BotContext } from './context.js';
import { taskIdOfInteraction } from './components/interaction-facts.js';
import { replyPrivately } from './reply.js';

export interface CommandHandler {
  name: string;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
}

export interface ComponentHandler<T> {
  /** Tested against custom_id; the first handler that matches takes the interaction. */
  matches(customId: string): boolean;
  execute(interaction: T, ctx: BotContext): Promise<void>;
}

export interface InteractionHandlers {
  commands: CommandHandler[];
  buttons: ComponentHandler<ButtonInteraction>[];
  modals: ComponentHandler<ModalSubmitInteraction>[];
}

const UNEXPECTED =
  '⚠️ Something went wrong on the bot side. Nothing was charged twice; try again, and tell an admin if it keeps happening.';

export function createInteractionRouter(
  handlers: InteractionHandlers,
  ctx: BotContext,
): (interaction: Interaction) => Promise<void> {
  const commands = new Map(handlers.commands.map((c) => [c.name, c]));
  return async (interaction) => {
    const started = ctx.clock.now();
    const taskId = taskIdOfInteraction(interaction);
    try {
      if (interaction.isChatInputCommand()) {
        const command = commands.get(interaction.commandName);
        if (!command) return await replyPrivately(interaction, '⚠️ This command is not known to the bot any more.');
        ctx.log.info(
          { event: 'interaction', type: 'command', name: interaction.commandName, taskId, userId: interaction.user.id },
          'command',
        );
        await command.execute(interaction, ctx);
      } else if (interaction.isButton()) {
        const handler = handlers.buttons.find((h) => h.matches(interaction.customId));
        ctx.log.info(
          { event: 'interaction', type: 'button', customId: interaction.customId, taskId, userId: interaction.user.id },
          'button',
        );
        if (!handler)
          return await replyPrivately(
            interaction,
            '⚠️ This button is not one the bot knows. It may come from an older version.',
          );
        await handler.execute(interaction, ctx);
      } else if (interaction.isModalSubmit()) {
        const handler = handlers.modals.find((h) => h.matches(interaction.customId));
        ctx.log.info(
          { event: 'interaction', type: 'modal', customId: interaction.customId, taskId, userId: interaction.user.id },
          'modal',
        );
        if (!handler) return await replyPrivately(interaction, '⚠️ This form is not one the bot knows any more.');
        await handler.execute(interaction, ctx);
      }
    } catch (err) {
      ctx.log.error(
        { event: 'interaction.error', taskId, err, elapsedMs: ctx.clock.now() - started },
        'interaction handler failed',
      );
      if (interaction.isRepliable()) {
        await replyPrivately(interaction as Parameters<typeof replyPrivately>[0], UNEXPECTED).catch(
          (replyErr: unknown) =>
            ctx.log.warn(
              { event: 'interaction.error_reply_failed', err: replyErr },
              'could not tell the member about the error',
            ),
        );
      }
    }
  };
}
