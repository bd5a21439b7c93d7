// The paid part shared by button clicks, pop-up forms and /imagine, after the interaction has been
// acknowledged with an ephemeral "thinking…": guards, click log, the submit itself, then one
// ephemeral answer for the outcome and, when a task runs, a progress message that follows it.
import type { ClickLog } from '../../store/clicks.js';
import { checkRunningCap, checkSubmitBudget, findDoubleClick, type GuardVerdict } from '../../submit/guards.js';
import type { KeyedLock } from '../../submit/keyed-lock.js';
import {
  acceptedSentence,
  doubleClickSentence,
  existingSentence,
  followFailedSentence,
  needsPromptSentence,
  noNewTaskSentence,
} from '../../submit/messages.js';
import type { PromptKind } from '../../render/modal-ticket.js';
import type { RemixMemory } from '../../submit/remix-memory.js';
import { customZoomPrefill } from '../../submit/prompt.js';
import type { SubmitOutcome } from '../../submit/submit-outcome.js';
import { configSecrets } from '../../config/load.js';
import { redactSecrets } from '../../log.js';
import { isMjApiError } from '../../mj/errors.js';
import type { MjTask } from '../../mj/schema.js';
import { submittedTask } from '../../mj/task.js';
import { describeMjError } from '../../render/error-message.js';
import type { TrackOrigin } from '../../store/tracked-tasks.js';
import type { BotContext } from '../context.js';
import { originChannelId, type ActionInteraction } from './interaction-facts.js';
import { buildEditPromptReply } from './prompt-modal.js';

/** What the click handlers share: the click log, one lock per (message, button), and what the API showed of Remix mode. */
export interface ActionDeps {
  clickLog: ClickLog;
  lock: KeyedLock;
  remix: RemixMemory;
}

export interface SubmitAttempt {
  /** Readable name in every sentence: "U1", "Custom Zoom", "/imagine". */
  label: string;
  /** The task the action applies to (clicked message, or the MODAL task a prompt is for); for log lines. */
  parentTaskId?: string;
  origin: Extract<TrackOrigin, 'click' | 'imagine'>;
  /** The source message and MJ customId (double-click key); null for /imagine and a MODAL prompt. */
  button: { messageId: string; customId: string } | null;
  /** Serialises attempts without a button (a MODAL task's prompt: the child task id). */
  lockKey?: string;
  /** 'full': rate limit, running cap, click log. 'running_cap': a MODAL task's prompt, its click already counted. */
  budget: 'full' | 'running_cap';
  /**
   * The MODAL task a prompt is for. When the bot already follows it for this member (behind an
   * aggregator it looked like a normal start), it is one of their running tasks already and must not
   * block its own prompt under MAX_RUNNING_TASKS_PER_MEMBER.
   */
  promptTaskId?: string;
  /** For a MODAL outcome: which form to offer and its starting text when the API sends no finalPrompt. */
  promptKind: PromptKind;
  /** That starting text; also the prompt the new task's message shows until the first poll. */
  fallbackPrompt: string;
  /** Calls the API and interprets the answer; `task` is the new task when it was fetched. Throws MjApiError. */
  submit(): Promise<{ outcome: SubmitOutcome; task?: MjTask | null }>;
  /** Runs once a submit took (task started, found, or waiting for its prompt): marks the button used. */
  afterSubmit?(): Promise<void>;
}

type Place = { guildId: string | null; channelId: string; messageId: string | null };

/**
 * The one way a submit's outcome reaches the member. Rejection sentences quote the API's description,
 * and a careless proxy may echo the request in it (auth header with the key, notifyHook with the
 * webhook secret), so every secret the bot holds is redacted here, whatever the sentence.
 */
async function answer(
  interaction: ActionInteraction,
  ctx: BotContext,
  content: string,
  extra: { embeds?: unknown[]; components?: unknown[] } = {},
): Promise<void> {
  await interaction.editReply({
    content: redactSecrets(content, configSecrets(ctx.config)).slice(0, 2000),
    embeds: (extra.embeds ?? []) as never[],
    components: (extra.components ?? []) as never[],
    allowedMentions: { parse: [] },
  });
}

/**
 * Posts the progress message through the tracker; null when the bot could not post it. Without a
 * fetched state the message starts from what the submit told: accepted, with the member's prompt.
 */
async function follow(
  interaction: ActionInteraction,
  ctx: BotContext,
  taskId: string,
  attempt: SubmitAttempt,
  task?: MjTask | null,
): Promise<Place | null> {
  const guildId = interaction.guildId ?? null;
  const channelId = ctx.updatesChannelFor(guildId, originChannelId(interaction));
  try {
    const target = { guildId, channelId, messageId: null, requesterId: interaction.user.id, origin: attempt.origin };
    const known = task && task.id === taskId ? task : submittedTask(taskId, attempt.fallbackPrompt);
    const { messageId } = await ctx.tracking.follow(taskId, target, known);
    return { guildId, channelId, messageId };
  } catch (err) {
    ctx.log.warn({ event: 'click.follow_failed', taskId, channelId, err }, 'task submitted but could not be followed');
    return null;
  }
}

function guardsFor(
  attempt: SubmitAttempt,
  interaction: ActionInteraction,
  ctx: BotContext,
  deps: ActionDeps,
  now: number,
): GuardVerdict {
  const running = ctx.tracking.runningCountFor(interaction.user.id);
  if (attempt.budget === 'running_cap') {
    const own = attempt.promptTaskId !== undefined ? ctx.store.tracked.get(attempt.promptTaskId) : undefined;
    const countedAlready = own?.phase === 'active' && own.requesterId === interaction.user.id ? 1 : 0;
    return checkRunningCap(running - countedAlready, ctx.config.guards.maxRunningTasksPerMember);
  }
  return checkSubmitBudget(deps.clickLog, ctx.config.guards, interaction.user.id, now, running);
}

async function submitOnce(
  attempt: SubmitAttempt,
  interaction: ActionInteraction,
  ctx: BotContext,
  deps: ActionDeps,
): Promise<void> {
  const now = ctx.clock.now();
  const log = deps.clickLog;
  if (attempt.button) {
    const previous = findDoubleClick(
      log,
      attempt.button.messageId,
      attempt.button.customId,
      now,
      ctx.config.guards.doubleClickWindowMs,
    );
    if (previous) {
      const place = previous.followChannelId
        ? {
            guildId: interaction.guildId ?? null,
            channelId: previous.followChannelId,
            messageId: previous.followMessageId,
          }
        : null;
      return answer(
        interaction,
        ctx,
        doubleClickSentence({ userId: previous.userId, at: previous.at, place, taskId: previous.childTaskId }),
      );
    }
  }
  const verdict = guardsFor(attempt, interaction, ctx, deps, now);
  if (!verdict.ok) return answer(interaction, ctx, verdict.message);

  // Recorded before the request: a click arriving meanwhile sees it and submits nothing.
  const recordId =
    attempt.budget === 'full'
      ? log.record({
          messageId: attempt.button?.messageId ?? null,
          customId: attempt.button?.customId ?? 'imagine',
          userId: interaction.user.id,
          at: now,
        })
      : null;
  let result: Awaited<ReturnType<SubmitAttempt['submit']>>;
  try {
    result = await attempt.submit();
  } catch (err) {
    // A timeout may still have reached the API (and been paid for): keep blocking a repeat then.
    if (recordId !== null && !(isMjApiError(err) && err.kind === 'timeout')) log.fail(recordId);
    if (!isMjApiError(err)) throw err;
    ctx.log.warn(
      { event: 'click.submit_failed', label: attempt.label, parentTaskId: attempt.parentTaskId, kind: err.kind, err },
      'submit failed',
    );
    return answer(interaction, ctx, describeMjError(err, { timeoutMs: ctx.config.mj.timeoutMs }));
  }
  await report(attempt, interaction, ctx, deps, result, recordId);
}

async function report(
  attempt: SubmitAttempt,
  interaction: ActionInteraction,
  ctx: BotContext,
  deps: ActionDeps,
  { outcome, task }: Awaited<ReturnType<SubmitAttempt['submit']>>,
  recordId: number | null,
): Promise<void> {
  const log = deps.clickLog;
  const done = (childTaskId: string, place: Place | null) =>
    recordId !== null &&
    log.complete(recordId, {
      childTaskId,
      followChannelId: place?.channelId ?? null,
      followMessageId: place?.messageId ?? null,
    });
  const taskId = 'taskId' in outcome ? outcome.taskId : undefined;
  ctx.log.info(
    {
      event: 'click.outcome',
      label: attempt.label,
      outcome: outcome.kind,
      taskId,
      parentTaskId: attempt.parentTaskId,
      userId: interaction.user.id,
    },
    'submit answered',
  );

  switch (outcome.kind) {
    case 'rejected':
      if (recordId !== null) log.fail(recordId);
      return answer(interaction, ctx, outcome.message);
    case 'needs_modal': {
      done(outcome.taskId, null);
      await attempt.afterSubmit?.();
      // FORK's finalPrompt for Custom Zoom lacks --zoom; the prefill adds it (and keeps --ar).
      const prompt =
        attempt.promptKind === 'zoom'
          ? customZoomPrefill(outcome.finalPrompt ?? attempt.fallbackPrompt)
          : (outcome.finalPrompt ?? attempt.fallbackPrompt);
      return answer(
        interaction,
        ctx,
        needsPromptSentence(attempt.label),
        buildEditPromptReply(attempt.promptKind, outcome.taskId, prompt),
      );
    }
    case 'no_new_task':
      done(outcome.taskId, null);
      await attempt.afterSubmit?.();
      return answer(interaction, ctx, noNewTaskSentence(attempt.label));
    case 'existing':
    case 'accepted': {
      const place = await follow(interaction, ctx, outcome.taskId, attempt, task);
      done(outcome.taskId, place);
      await attempt.afterSubmit?.();
      if (place === null)
        return answer(
          interaction,
          ctx,
          followFailedSentence(
            attempt.label,
            outcome.taskId,
            ctx.updatesChannelFor(interaction.guildId ?? null, originChannelId(interaction)),
          ),
        );
      if (outcome.kind === 'existing')
        return answer(interaction, ctx, existingSentence({ label: attempt.label, place }));
      for (const extraId of outcome.moreTaskIds) await follow(interaction, ctx, extraId, attempt);
      return answer(
        interaction,
        ctx,
        acceptedSentence({
          label: attempt.label,
          taskId: outcome.taskId,
          queuePosition: outcome.queuePosition,
          moreTaskCount: outcome.moreTaskIds.length,
          place,
        }),
      );
    }
  }
}

/**
 * Guards, click log and submit for an interaction already deferred (ephemeral). Clicks on the same
 * button of the same message run one at a time, so the second sees the first in the click log.
 */
export async function runSubmit(
  attempt: SubmitAttempt,
  interaction: ActionInteraction,
  ctx: BotContext,
  deps: ActionDeps,
): Promise<void> {
  const key = attempt.button ? `${attempt.button.messageId}|${attempt.button.customId}` : attempt.lockKey;
  if (key === undefined) return submitOnce(attempt, interaction, ctx, deps);
  return deps.lock.run(key, () => submitOnce(attempt, interaction, ctx, deps));
}
