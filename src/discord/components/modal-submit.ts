// A filled-in pop-up form (custom_id `mjmodal:…`, see actions/modal-ticket.ts). Two cases:
// - Custom Zoom opened straight from the image (no task yet): /submit/action, then /submit/modal
//   {taskId: the id the action returned, prompt}. Same guards and click log as a button click.
// - A MODAL task already exists (Remix, via "Edit prompt & submit"): only /submit/modal; the click
//   that created it was already counted, so only the running cap applies.
import { MessageFlags, type ModalSubmitInteraction } from 'discord.js';
import { checkClickAllowed } from '../../submit/guards.js';
import { requesterFromMessage, submitCallbacks } from '../../submit/message-facts.js';
import { buttonNotOnTaskSentence, customZoomPromptSentence, formExpiredSentence } from '../../submit/messages.js';
import { decodeModalTicket, MODAL_ID_PREFIX, type ModalTicket } from '../../render/modal-ticket.js';
import { isValidCustomZoomPrompt } from '../../submit/prompt.js';
import { interpretSubmit, type SubmitOutcome } from '../../submit/submit-outcome.js';
import {
  discordCustomIdFor,
  parseMjCustomId,
  resolveButtonCustomId,
  SHORT_BUTTON_KEY_PREFIX,
} from '../../mj/custom-id.js';
import { isMjApiError } from '../../mj/errors.js';
import { describeMjError } from '../../render/error-message.js';
import type { BotContext } from '../context.js';
import type { ComponentHandler } from '../router.js';
import { clickerOf, isEphemeralMessage, markSourceButtonUsed } from './interaction-facts.js';
import { PROMPT_INPUT_ID } from './prompt-modal.js';
import { runSubmit, type ActionDeps } from './submit-flow.js';

async function editReply(interaction: ModalSubmitInteraction, content: string): Promise<void> {
  await interaction.editReply({ content, allowedMentions: { parse: [] } });
}

function promptOf(interaction: ModalSubmitInteraction): string {
  try {
    return interaction.fields.getTextInputValue(PROMPT_INPUT_ID).trim();
  } catch {
    return '';
  }
}

/** The MJ customId behind the ticket's button reference (a short key needs the parent task's buttons). */
async function resolveCustomId(ctx: BotContext, parentTaskId: string, buttonRef: string): Promise<string | null> {
  if (!buttonRef.startsWith(SHORT_BUTTON_KEY_PREFIX)) return buttonRef;
  return resolveButtonCustomId(buttonRef, await ctx.mj.fetchTask(parentTaskId));
}

/** Only a MODAL task's prompt is left to send. */
async function submitPromptForTask(
  interaction: ModalSubmitInteraction,
  ctx: BotContext,
  deps: ActionDeps,
  ticket: ModalTicket,
  childTaskId: string,
  prompt: string,
) {
  const label = ticket.kind === 'zoom' ? 'Custom Zoom' : 'Remix';
  await runSubmit(
    {
      label,
      parentTaskId: childTaskId,
      origin: 'click',
      button: null,
      lockKey: `modal|${childTaskId}`,
      budget: 'running_cap',
      promptTaskId: childTaskId,
      promptKind: ticket.kind,
      fallbackPrompt: prompt,
      submit: async () => {
        const result = await ctx.mj.submitModal({
          taskId: childTaskId,
          prompt,
          ...submitCallbacks(ctx.config.webhook?.notifyHookUrl, interaction.guildId, interaction.user.id),
        });
        return { outcome: interpretSubmit(result, { route: 'modal', label }) };
      },
    },
    interaction,
    ctx,
    deps,
  );
}

/** Action, then the prompt for the MODAL task it created. */
async function submitActionWithPrompt(
  interaction: ModalSubmitInteraction,
  ctx: BotContext,
  deps: ActionDeps,
  ticket: ModalTicket,
  parentTaskId: string,
  buttonRef: string,
  prompt: string,
) {
  let customId: string | null;
  try {
    customId = await resolveCustomId(ctx, parentTaskId, buttonRef);
  } catch (err) {
    if (!isMjApiError(err)) throw err;
    return editReply(interaction, describeMjError(err, { taskId: parentTaskId, timeoutMs: ctx.config.mj.timeoutMs }));
  }
  if (customId === null) return editReply(interaction, buttonNotOnTaskSentence());
  const actionCustomId = customId;
  const label = parseMjCustomId(actionCustomId).fallbackLabel;
  const callbacks = submitCallbacks(ctx.config.webhook?.notifyHookUrl, interaction.guildId, interaction.user.id);
  const source = interaction.message;
  await runSubmit(
    {
      label,
      parentTaskId,
      origin: 'click',
      button: source ? { messageId: source.id, customId: actionCustomId } : null,
      budget: 'full',
      promptKind: ticket.kind,
      fallbackPrompt: prompt,
      submit: async () => {
        const first = interpretSubmit(
          await ctx.mj.submitAction({ taskId: parentTaskId, customId: actionCustomId, ...callbacks }),
          {
            route: 'action',
            label,
            parentTaskId,
          },
        );
        // Accepted too: aggregators rewrite the MODAL answer (21) to 1 for some actions.
        if (first.kind !== 'needs_modal' && first.kind !== 'accepted') return { outcome: first };
        const second = await ctx.mj.submitModal({ taskId: first.taskId, prompt, ...callbacks });
        const outcome: SubmitOutcome = interpretSubmit(second, { route: 'modal', label });
        const remixCapable = parseMjCustomId(actionCustomId).modal === 'remix';
        // The action already started a normal task (no pop-up on this API): follow that one.
        if (first.kind === 'accepted' && outcome.kind === 'rejected' && outcome.reason === 'already_submitted') {
          if (remixCapable) deps.remix.learn(false);
          return { outcome: first };
        }
        if (remixCapable && (first.kind === 'needs_modal' || outcome.kind !== 'rejected')) deps.remix.learn(true);
        return { outcome };
      },
      afterSubmit: () => markSourceButtonUsed(interaction, discordCustomIdFor(actionCustomId), ctx),
    },
    interaction,
    ctx,
    deps,
  );
}

export function createModalSubmitHandler(deps: ActionDeps): ComponentHandler<ModalSubmitInteraction> {
  return {
    matches: (customId) => customId.startsWith(MODAL_ID_PREFIX),
    async execute(interaction, ctx) {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const ticket = decodeModalTicket(interaction.customId);
      if (ticket === null) return editReply(interaction, formExpiredSentence());
      const prompt = promptOf(interaction);
      if (ticket.kind === 'zoom' && !isValidCustomZoomPrompt(prompt))
        return editReply(interaction, customZoomPromptSentence(prompt));

      // The form's source is the task message (Custom Zoom) or the member's own ephemeral reply (Remix).
      const source = interaction.message;
      if (source && !isEphemeralMessage(source)) {
        const allowed = checkClickAllowed(ctx.config.guards, clickerOf(interaction), requesterFromMessage(source));
        if (!allowed.ok) return editReply(interaction, allowed.message);
      }
      if (ticket.childTaskId !== null)
        return submitPromptForTask(interaction, ctx, deps, ticket, ticket.childTaskId, prompt);
      if (ticket.parentTaskId !== null && ticket.buttonRef !== null) {
        return submitActionWithPrompt(interaction, ctx, deps, ticket, ticket.parentTaskId, ticket.buttonRef, prompt);
      }
      return editReply(interaction, formExpiredSentence());
    },
  };
}
