// A paid click on a Midjourney button, after the handler deferred it (ephemeral) and knows which MJ
// customId it stands for. Reads top to bottom: guards → record → submit → follow → settle → answer.
import type { ButtonInteraction } from 'discord.js';
import { CAPABILITIES, changeActionOf, routeOf } from '../mj/capabilities.js';
import type { MjButtonKind } from '../mj/custom-id.js';
import type { MjTask, SubmitResult } from '../mj/schema.js';
import { promptFromMessage } from '../render/task-message-codec.js';
import { classifySubmit, type SubmitOutcome } from './classify-submit.js';
import { describeAgainOnClient } from './client-describe.js';
import { imagineOnClient, numberedPromptOf, tasksStartedBy, type ClientSubmit } from './client-imagine.js';
import type { HandlerDeps } from './deps.js';
import { answerOutcome, followNewTask } from './outcome.js';
import { customZoomPrefill } from './prompt.js';
import { observeRemix, remixModeShownBy } from './remix-memory.js';
import { markSourceButtonUsed } from './source-message.js';
import {
  awaitSubmit,
  buttonLockKey,
  callbacksFor,
  claimSubmit,
  refuseOverBudget,
  refuseRepeat,
  settleClick,
  withButtonLock,
  type PaidSubmit,
} from './steps.js';

export interface ButtonClick {
  /** The task of the clicked message (its footer). */
  parentTaskId: string;
  /** The MJ customId submitted. */
  customId: string;
  /** The clicked Discord custom_id (the customId itself, or its short key): the button shown as used. */
  discordCustomId: string;
  button: MjButtonKind;
  label: string;
}

/** Clicks on the same button of the same message run one at a time, so the second sees the first in the click log. */
export async function submitButtonClick(interaction: ButtonInteraction, click: ButtonClick, deps: HandlerDeps) {
  const clicked = { messageId: interaction.message.id, customId: click.customId };
  const route = routeOf(deps.capabilities?.() ?? CAPABILITIES.unknown, click.button);
  const change = route === 'change' ? changeActionOf(click.button) : null;
  const submitChange = deps.mj.submitChange?.bind(deps.mj);
  const shownPrompt = promptFromMessage(interaction.message);
  // A button this server cannot run (a message from before the bot knew its server): nothing is sent.
  if (route === 'hidden' || (route === 'change' && (change === null || submitChange === undefined)))
    return answerOutcome(interaction, deps, paidSubmitOf(click, shownPrompt), unsupportedHere(), null);
  // Done by the bot where the server's own button fails: a new task, not a child of the parent.
  const onClient: ClientSubmit | null =
    route === 'imagine'
      ? await imagineOnClient(interaction, deps, click.parentTaskId, click.button)
      : route === 'describe'
        ? await describeAgainOnClient(interaction, deps, click.parentTaskId)
        : null;
  const line = route === 'action' ? await numberedPromptOf(deps, click.parentTaskId, click.button) : null;
  const submit = paidSubmitOf(click, onClient?.prompts[0] ?? line ?? shownPrompt, onClient?.action);
  // 🎉 Imagine all starts up to four tasks: the click holds a place in the daily limits for each.
  const places = await tasksStartedBy(deps, click.parentTaskId, click.button, onClient);
  await withButtonLock(deps, buttonLockKey(clicked), async () => {
    const now = deps.clock.now();
    await refuseRepeat(interaction, deps, clicked, now);
    await refuseOverBudget(interaction, deps, now, places);
    const claim = await claimSubmit(interaction, deps, clicked, now, { repeat: true, places });
    const callbacks = callbacksFor(interaction, deps, claim.clickId);
    // nzk: /submit/change {taskId, action, index} (novicezk/midjourney-proxy controller/SubmitController.java
    // L106-150); client-side: /submit/imagine or /submit/describe; everything else: the server's own /submit/action.
    const request =
      onClient !== null
        ? onClient.run(callbacks)
        : change !== null && submitChange !== undefined
          ? submitChange({ taskId: click.parentTaskId, ...change, ...callbacks })
          : deps.mj.submitAction({ taskId: click.parentTaskId, customId: click.customId, ...callbacks });
    const result = await awaitSubmit(deps, claim, submit, request);
    const { outcome, task } =
      onClient !== null
        ? { outcome: classifySubmit(result, { route: 'imagine' }), task: null }
        : await classifyActionAnswer(deps, click, result);
    const place = await followNewTask(interaction, deps, submit, outcome, task);
    await settleClick(interaction, deps, claim, outcome, place);
    if (outcome.kind !== 'rejected') markSourceButtonUsed(interaction, click.discordCustomId, deps);
    await answerOutcome(interaction, deps, submit, outcome, place);
  });
}

/** The refusal for a button the server has no way to run; no request was made. */
function unsupportedHere(): SubmitOutcome {
  return { kind: 'rejected', reason: 'unsupported_action', code: 0, description: '', bannedWord: null };
}

function paidSubmitOf(click: ButtonClick, shownPrompt: string, action?: string): PaidSubmit {
  const zoom = click.button.family === 'custom_zoom';
  return {
    label: click.label,
    parentTaskId: click.parentTaskId,
    origin: 'click',
    promptKind: zoom ? 'zoom' : 'prompt',
    fallbackPrompt: zoom ? customZoomPrefill(shownPrompt) : shownPrompt,
    customId: click.customId,
    ...(action !== undefined && { action }),
  };
}

/** Behind an aggregator a Remix pop-up looks like code 1, so a new task that may be MODAL is fetched once. */
async function classifyActionAnswer(deps: HandlerDeps, click: ButtonClick, result: SubmitResult) {
  const context = { route: 'action' as const, parentTaskId: click.parentTaskId };
  let outcome = classifySubmit(result, context);
  let task: MjTask | null = null;
  if (outcome.kind === 'accepted' && result.code === 1 && click.button.modal !== 'never') {
    task = await deps.mj.fetchTask(outcome.taskId).catch(() => null);
    if (task) outcome = classifySubmit(result, { ...context, newTask: task });
  }
  const confirmed = task !== null || result.code === 22;
  observeRemix(deps.remix, click.button, remixModeShownBy({ action: outcome, confirmed }));
  return { outcome, task };
}
