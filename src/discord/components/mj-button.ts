// A click on a Midjourney button the bot rebuilt (custom_id `MJ::…`, or an `mjk:` short key). The MJ
// customId comes from the custom_id and the task id from the message footer, so a click works after a
// restart with an empty store.
//
// Acknowledgement within 3 s on every path:
// - Vary (Region) and Bookmark are answered at once (nothing is submitted).
// - Custom Zoom answers with the pop-up form as its first response: only local checks run before it
//   (no request), and the prompt comes from the message embed rather than a fetch. So do V/🔄/Pan/
//   Vary once the API has shown that its account is in Remix mode (remix-memory.ts).
// - Everything else is deferred (ephemeral) before any request. When the API then asks for a prompt
//   (Remix mode: code 21 "confirm", or a new task in status MODAL), a deferred interaction can no
//   longer show a form; the reply offers an "Edit prompt & submit" button whose click opens it
//   (edit-prompt-button.ts) and whose form submits /submit/modal for that MODAL task (modal-submit.ts).
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { checkClickAllowed, checkSubmitBudget, findDoubleClick } from '../../submit/guards.js';
import { requesterFromMessage, submitCallbacks } from '../../submit/message-facts.js';
import {
  bookmarkSentence,
  buttonNotOnTaskSentence,
  doubleClickSentence,
  noTaskIdSentence,
  varyRegionSentence,
} from '../../submit/messages.js';
import type { PromptKind } from '../../render/modal-ticket.js';
import { customZoomPrefill, promptFromMessage } from '../../submit/prompt.js';
import { interpretSubmit, type SubmitOutcome } from '../../submit/submit-outcome.js';
import {
  isMjCustomId,
  parseMjCustomId,
  resolveButtonCustomId,
  SHORT_BUTTON_KEY_PREFIX,
  type MjButtonKind,
} from '../../mj/custom-id.js';
import { isMjApiError } from '../../mj/errors.js';
import type { MjTask } from '../../mj/schema.js';
import { describeMjError } from '../../render/error-message.js';
import { readTaskIdFromMessage } from '../../render/task-message.js';
import type { BotContext } from '../context.js';
import { replyPrivately } from '../reply.js';
import type { ComponentHandler } from '../router.js';
import { clickerOf, markSourceButtonUsed } from './interaction-facts.js';
import { buildPromptModal } from './prompt-modal.js';
import { runSubmit, type ActionDeps } from './submit-flow.js';

/** The label a member sees on the button, or the catalog's name for an emoji-only button. */
function labelOf(interaction: ButtonInteraction, kind: MjButtonKind): string {
  const label = (interaction.component as { label?: string | null } | null)?.label?.trim();
  return label ? label : kind.fallbackLabel;
}

async function editReply(interaction: ButtonInteraction, content: string): Promise<void> {
  await interaction.editReply({ content, allowedMentions: { parse: [] } });
}

/** Custom Zoom, or a Remix action: checks that need no request, then the form as the first response. */
async function openPromptForm(
  interaction: ButtonInteraction,
  ctx: BotContext,
  deps: ActionDeps,
  label: string,
  kind: PromptKind,
): Promise<void> {
  const message = interaction.message;
  const parentTaskId = readTaskIdFromMessage(message);
  if (parentTaskId === null) return replyPrivately(interaction, noTaskIdSentence());
  const allowed = checkClickAllowed(ctx.config.guards, clickerOf(interaction), requesterFromMessage(message));
  if (!allowed.ok) return replyPrivately(interaction, allowed.message);
  const now = ctx.clock.now();
  const previous = findDoubleClick(
    deps.clickLog,
    message.id,
    interaction.customId,
    now,
    ctx.config.guards.doubleClickWindowMs,
  );
  if (previous) {
    const place = previous.followChannelId
      ? { guildId: interaction.guildId, channelId: previous.followChannelId, messageId: previous.followMessageId }
      : null;
    return replyPrivately(
      interaction,
      doubleClickSentence({ userId: previous.userId, at: previous.at, place, taskId: previous.childTaskId }),
    );
  }
  const budget = checkSubmitBudget(
    deps.clickLog,
    ctx.config.guards,
    interaction.user.id,
    now,
    ctx.tracking.runningCountFor(interaction.user.id),
  );
  if (!budget.ok) return replyPrivately(interaction, budget.message);
  const ticket = { kind, parentTaskId, childTaskId: null, buttonRef: interaction.customId };
  const shownPrompt = promptFromMessage(message);
  await interaction.showModal(
    buildPromptModal(ticket, kind === 'zoom' ? customZoomPrefill(shownPrompt) : shownPrompt, label),
  );
}

/** Asks the API; behind an aggregator a Remix pop-up looks like code 1, so a new task that may be MODAL is fetched once. */
async function submitClick(
  ctx: BotContext,
  deps: ActionDeps,
  interaction: ButtonInteraction,
  parentTaskId: string,
  customId: string,
  kind: MjButtonKind,
  label: string,
) {
  const result = await ctx.mj.submitAction({
    taskId: parentTaskId,
    customId,
    ...submitCallbacks(ctx.config.webhook?.notifyHookUrl, interaction.guildId, interaction.user.id),
  });
  const context = { route: 'action' as const, label, parentTaskId };
  let outcome: SubmitOutcome = interpretSubmit(result, context);
  let task: MjTask | null = null;
  if (outcome.kind === 'accepted' && result.code === 1 && kind.modal !== 'never') {
    task = await ctx.mj.fetchTask(outcome.taskId).catch(() => null);
    if (task) outcome = interpretSubmit(result, { ...context, newTask: task });
  }
  if (kind.modal === 'remix') {
    if (outcome.kind === 'needs_modal') deps.remix.learn(true);
    else if (outcome.kind === 'accepted' && (task !== null || result.code === 22)) deps.remix.learn(false);
  }
  return { outcome, task };
}

export function createMjButtonHandler(deps: ActionDeps): ComponentHandler<ButtonInteraction> {
  return {
    matches: (customId) => isMjCustomId(customId) || customId.startsWith(SHORT_BUTTON_KEY_PREFIX),
    async execute(interaction, ctx) {
      const discordCustomId = interaction.customId;
      let kind = isMjCustomId(discordCustomId) ? parseMjCustomId(discordCustomId) : null;
      if (kind?.maskRequired) return replyPrivately(interaction, varyRegionSentence());
      if (kind?.family === 'bookmark') return replyPrivately(interaction, bookmarkSentence());
      if (kind?.family === 'custom_zoom')
        return openPromptForm(interaction, ctx, deps, labelOf(interaction, kind), 'zoom');
      if (kind?.modal === 'remix' && deps.remix.isOn())
        return openPromptForm(interaction, ctx, deps, labelOf(interaction, kind), 'prompt');

      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const message = interaction.message;
      const parentTaskId = readTaskIdFromMessage(message);
      if (parentTaskId === null) return editReply(interaction, noTaskIdSentence());
      const allowed = checkClickAllowed(ctx.config.guards, clickerOf(interaction), requesterFromMessage(message));
      if (!allowed.ok) return editReply(interaction, allowed.message);

      let customId = discordCustomId;
      if (kind === null) {
        // A short key: the task's buttons say which customId it stands for.
        let parent: MjTask;
        try {
          parent = await ctx.mj.fetchTask(parentTaskId);
        } catch (err) {
          if (!isMjApiError(err)) throw err;
          return editReply(
            interaction,
            describeMjError(err, { taskId: parentTaskId, timeoutMs: ctx.config.mj.timeoutMs }),
          );
        }
        const resolved = resolveButtonCustomId(discordCustomId, parent);
        if (resolved === null) return editReply(interaction, buttonNotOnTaskSentence());
        customId = resolved;
        kind = parseMjCustomId(customId);
        if (kind.maskRequired) return editReply(interaction, varyRegionSentence());
        if (kind.family === 'bookmark') return editReply(interaction, bookmarkSentence());
      }
      const buttonKind = kind;
      const label = labelOf(interaction, buttonKind);
      const shownPrompt = promptFromMessage(message);
      const zoom = buttonKind.family === 'custom_zoom';
      await runSubmit(
        {
          label,
          parentTaskId,
          origin: 'click',
          button: { messageId: message.id, customId },
          budget: 'full',
          promptKind: zoom ? 'zoom' : 'prompt',
          fallbackPrompt: zoom ? customZoomPrefill(shownPrompt) : shownPrompt,
          submit: () => submitClick(ctx, deps, interaction, parentTaskId, customId, buttonKind, label),
          afterSubmit: () => markSourceButtonUsed(interaction, discordCustomId, ctx),
        },
        interaction,
        ctx,
        deps,
      );
    },
  };
}
