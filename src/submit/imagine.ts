// /imagine prompt:<text>, after the handler deferred it (ephemeral): the same checks as a click
// (ensureMaySpend: there is no task to own yet, so only the pause), rate limit and running cap, then
// the answer and a progress message in the updates channel.
import type { ChatInputCommandInteraction } from 'discord.js';
import { classifySubmit } from './classify-submit.js';
import type { HandlerDeps } from './deps.js';
import { ensureMaySpend } from './may-spend.js';
import { answerOutcome, followNewTask } from './outcome.js';
import { awaitSubmit, callbacksFor, recordClick, refuseOverBudget, settleClick, type PaidSubmit } from './steps.js';

export const IMAGINE_LABEL = '/imagine';

export async function submitImagine(interaction: ChatInputCommandInteraction, prompt: string, deps: HandlerDeps) {
  const submit: PaidSubmit = { label: IMAGINE_LABEL, origin: 'imagine', promptKind: 'prompt', fallbackPrompt: prompt };
  await ensureMaySpend(interaction, deps, null);
  const now = deps.clock.now();
  refuseOverBudget(interaction, deps, now);
  const clickId = recordClick(interaction, deps, null, now);
  const request = deps.mj.submitImagine({ prompt, ...callbacksFor(interaction, deps) });
  const outcome = classifySubmit(await awaitSubmit(deps, clickId, submit, request), { route: 'imagine' });
  const place = await followNewTask(interaction, deps, submit, outcome);
  settleClick(interaction, deps, clickId, outcome, place);
  await answerOutcome(interaction, deps, submit, outcome, place);
}
