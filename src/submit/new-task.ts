// The one path of every new paid entry (/imagine, /describe, /blend, /shorten), once its handler has
// refused what cannot be used without a request: deferred privately, then the same checks as a click (ensureMaySpend: there is no task to own yet, so only the
// pause), the rate limit and running cap, the click record, then the images the member attached
// (downloaded only now, after the guards, so a refused member costs no download), the submit, the
// owner record, the progress message the tracker follows to a result that mentions the member, and
// the private answer.
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { MessageKey } from '../i18n/index.js';
import type { SubmitCallbackOptions } from '../mj/api.js';
import type { SubmitResult } from '../mj/schema.js';
import type { AttachmentInfo } from '../media/attachment-check.js';
import { classifySubmit } from './classify-submit.js';
import { defaultSpeedFor, type DefaultSpeed } from './default-speed.js';
import type { HandlerDeps } from './deps.js';
import { downloadAll } from './downloads.js';
import { ensureMaySpend } from './may-spend.js';
import { answerOutcome, followNewTask } from './outcome.js';
import { memberT } from './reply.js';
import { awaitSubmit, callbacksFor, claimSubmit, refuseOverBudget, settleClick, type PaidSubmit } from './steps.js';

export interface NewTaskEntry {
  /** The command's name in the member's sentences ("/imagine", "/描述"…). */
  label: Extract<MessageKey, `command.name_${string}`>;
  /** What the progress message shows until the first poll. */
  fallbackPrompt: string;
  /** The task's action as the API will name it (IMAGINE, DESCRIBE, BLEND), for the same message. */
  action: string;
  /** Images accepted by their metadata (checkAttachment), in option order. */
  attachments: readonly AttachmentInfo[];
  /**
   * The paid request, given the attachments as data URLs (same order), the callbacks and the server's
   * default speed (for the entry to apply where its task can carry one, see ./default-speed.ts).
   */
  request(images: string[], callbacks: SubmitCallbackOptions, speed: DefaultSpeed): Promise<SubmitResult>;
}

export async function submitNewTask(
  interaction: ChatInputCommandInteraction,
  deps: HandlerDeps,
  entry: NewTaskEntry,
): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const submit: PaidSubmit = {
    label: memberT(interaction)(entry.label),
    origin: 'imagine',
    promptKind: 'prompt',
    fallbackPrompt: entry.fallbackPrompt,
    action: entry.action,
  };
  await ensureMaySpend(interaction, deps, null);
  const now = deps.clock.now();
  await refuseOverBudget(interaction, deps, now);
  const claim = await claimSubmit(interaction, deps, null, now);
  const speed = await defaultSpeedFor(interaction, deps);
  // A failed download frees the click and its daily place (abandonClick): nothing was sent to the API.
  const request = downloadAll(deps, entry.attachments).then((images) =>
    entry.request(images, callbacksFor(interaction, deps, claim.clickId), speed),
  );
  const outcome = classifySubmit(await awaitSubmit(deps, claim, submit, request), { route: 'imagine' });
  const place = await followNewTask(interaction, deps, submit, outcome);
  await settleClick(interaction, deps, claim, outcome, place);
  await answerOutcome(interaction, deps, submit, outcome, place);
}
