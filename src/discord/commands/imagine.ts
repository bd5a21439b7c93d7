// /imagine prompt:<text> — submits a new task and reports it like a click: ephemeral answer, a
// progress message (mentioning the member) in the updates channel, and the same rate limit and
// running cap (there is no task to own yet, so no click policy).
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { submitCallbacks } from '../../submit/message-facts.js';
import { emptyPromptSentence } from '../../submit/messages.js';
import { interpretSubmit } from '../../submit/submit-outcome.js';
import { runSubmit, type ActionDeps } from '../components/submit-flow.js';
import type { BotContext } from '../context.js';
import { replyPrivately } from '../reply.js';
import type { CommandHandler } from '../router.js';

export const IMAGINE_LABEL = '/imagine';

export function createImagineCommand(deps: ActionDeps): CommandHandler {
  return {
    name: 'imagine',
    async execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void> {
      const prompt = interaction.options.getString('prompt', true).trim();
      if (prompt === '') return replyPrivately(interaction, emptyPromptSentence());
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await runSubmit(
        {
          label: IMAGINE_LABEL,
          origin: 'imagine',
          button: null,
          budget: 'full',
          promptKind: 'prompt',
          fallbackPrompt: prompt,
          submit: async () => {
            const result = await ctx.mj.submitImagine({
              prompt,
              ...submitCallbacks(ctx.config.webhook?.notifyHookUrl, interaction.guildId, interaction.user.id),
            });
            return { outcome: interpretSubmit(result, { route: 'imagine', label: IMAGINE_LABEL }) };
          },
        },
        interaction,
        ctx,
        deps,
      );
    },
  };
}
