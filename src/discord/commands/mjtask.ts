// /mjtask id:<task id> — command → fetch → render, like Midjourney's /show. A bad id, or an API that
// fails, is answered by the router (MjApiError), privately; the fetch runs before Discord is
// acknowledged (MJTASK_ANSWER_BUDGET_MS), so an error is never preceded by a public "thinking…".
import { MessageFlags, type ChatInputCommandInteraction, type InteractionReplyOptions } from 'discord.js';
import type { MjTask } from '../../mj/schema.js';
import { isTerminal } from '../../mj/task.js';
import { validateTaskId } from '../../mj/task-id.js';
import { translatorFor } from '../../i18n/index.js';
import { renderTask } from '../../render/task-message.js';
import {
  alreadyFollowedElsewhereSentence,
  taskShownBelowSentence,
  watchNotPossibleSentence,
  watchNotSavedSentence,
} from '../../replies/commands.js';
import { isStoreWriteError } from '../../store/errors.js';
import type { HandlerDeps } from '../../submit/deps.js';
import { learnOwnership } from '../../submit/may-spend.js';
import { refuseOutsideChannels } from '../../submit/server-guards.js';
import { memberT } from '../../submit/reply.js';
import { interactionRouteFor } from '../../submit/interaction-route.js';

type Fetched = { ok: true; task: MjTask } | { ok: false; err: unknown };

/** The fetch's outcome if it settles within `ms`, else null (the fetch goes on). */
function within(fetched: Promise<Fetched>, ms: number): Promise<Fetched | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([fetched, late]).finally(() => clearTimeout(timer));
}

export async function runMjtask(interaction: ChatInputCommandInteraction, deps: HandlerDeps): Promise<void> {
  // A bad id is answered at once, before any request: no "thinking…" for a typo.
  const taskId = validateTaskId(interaction.options.getString('id', true));
  // Free, but a server that keeps the bot to some channels keeps /mjtask there too.
  await refuseOutsideChannels(interaction, deps);
  // Unset means "yes while it runs": a member asking about a running task wants to see it finish.
  const watch = interaction.options.getBoolean('watch') ?? true;
  // Fetch first, acknowledge after: most answers come within the budget and are sent as they are
  // (the task in public, an error privately). A slower one gets a *private* "thinking…": the member
  // never sees a public "thinking…" that ends in a private error.
  const fetched: Promise<Fetched> = deps.mj.fetchTask(taskId).then(
    (task) => ({ ok: true, task }),
    (err: unknown) => ({ ok: false, err }),
  );
  const early = await within(fetched, deps.config.mj.answerBudgetMs);
  if (early === null) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = early ?? (await fetched);
  if (!outcome.ok) throw outcome.err; // the router answers privately (MjApiError → its sentence)
  const task = outcome.task;
  // Who may act on it comes from who started it (its signed state), never from who shows it. What is
  // learnt here only saves a later click a fetch: a database that cannot save it must not hide the task.
  try {
    await learnOwnership(deps, task);
  } catch (err) {
    if (!isStoreWriteError(err)) throw err;
  }
  const running = !isTerminal(task.status);
  const capabilities = deps.capabilities?.();
  // A public message: in the channel's language (the server's choice, else its own locale), as the
  // tracker's edits of it will be.
  const payload = renderTask(task, {
    requesterId: interaction.user.id,
    redact: deps.redact,
    t: translatorFor(await deps.channelLocaleFor(interaction.guildId ?? null, interaction.guildLocale)),
    ...(capabilities ? { capabilities } : {}),
  });
  const shown = {
    content: payload.content,
    embeds: payload.embeds,
    components: payload.components,
    allowedMentions: { parse: [], users: [] },
  };
  const replyId = interaction.deferred
    ? await showAfterPrivateWait(interaction, shown, task.id)
    : await showAtOnce(interaction, shown);
  deps.log.info(
    { event: 'mjtask.shown', taskId, status: task.status, userId: interaction.user.id, watch: running && watch },
    'task shown',
  );
  if (running && watch && replyId !== null) await watchTask(interaction, deps, task, replyId);
}

type Shown = Pick<InteractionReplyOptions, 'content' | 'embeds' | 'components' | 'allowedMentions'>;

/** The task as the interaction's first (public) response; its message id (null if Discord sent none). */
async function showAtOnce(interaction: ChatInputCommandInteraction, shown: Shown): Promise<string | null> {
  const response = await interaction.reply({ ...shown, withResponse: true });
  return response.resource?.message?.id ?? null;
}

/**
 * After a private "thinking…", the task goes public as a follow-up. A follow-up sent while the
 * "thinking…" is pending would replace it and stay private (Discord's rule), so the private reply
 * first says where the task is, and is removed once the task is posted.
 */
async function showAfterPrivateWait(
  interaction: ChatInputCommandInteraction,
  shown: Shown,
  taskId: string,
): Promise<string> {
  await interaction.editReply({
    content: taskShownBelowSentence(memberT(interaction), taskId),
    allowedMentions: { parse: [] },
  });
  const message = await interaction.followUp(shown);
  await interaction.deleteReply().catch(() => undefined);
  return message.id;
}

/**
 * Hands the reply to the tracker, which edits it through the interaction's webhook while the token
 * lives (not counted against the global limit), then through the channel, and posts the result
 * mentioning the member. Already followed elsewhere: say where.
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
    locale: await deps.channelLocaleFor(interaction.guildId ?? null, interaction.guildLocale),
  };
  // Shown at once, the reply is the interaction's @original; after a private wait it is a follow-up.
  const via = interactionRouteFor(interaction, deps, interaction.channelId, interaction.deferred ? null : replyId);
  try {
    const { messageId } = await deps.tracker.follow(task.id, target, task, via);
    if (messageId && messageId !== replyId) {
      await interaction.followUp({
        content: alreadyFollowedElsewhereSentence(memberT(interaction)),
        flags: MessageFlags.Ephemeral,
      });
    }
  } catch (err) {
    deps.log.warn({ event: 'mjtask.watch_failed', taskId: task.id, err }, 'could not follow the task');
    const content = isStoreWriteError(err)
      ? watchNotSavedSentence(memberT(interaction))
      : watchNotPossibleSentence(memberT(interaction));
    await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  }
}
