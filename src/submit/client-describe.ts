// Describe's 🔄 where the server's own MJ::Picread::Retry does not run (src/mj/capabilities.ts: nzk sends
// no buttons, new-api answers unknown_action): the bot describes the same image again with
// /submit/describe, which every server has. The image is the one the finished task shows (its imageUrl:
// novicezk DescribeSuccessHandler.java L64-67 keeps the uploaded image there, the fork's Retry reads the
// same field, SubmitController.cs L673-677), downloaded only once the click's guards passed.
import type { SubmitResult } from '../mj/schema.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import { defaultSpeedFor } from './default-speed.js';
import type { HandlerDeps } from './deps.js';
import { downloadTaskImage } from './downloads.js';
import type { ClientSubmit } from './client-imagine.js';
import type { ActionInteraction } from './interaction-reader.js';
import type { SubmitCallbackOptions } from '../mj/api.js';

// No botType is sent: neither server on this route says which bot described the image (novicezk has no
// such field; new-api's fetch builds its answer without one, Calcium-Ion/new-api relay/relay-mj.go
// coverMidjourneyTaskDto L106-140, and its model/midjourney.go stores none), so the account's default does.

/** The parent must be a finished Describe (a 🔄 on anything else is no Describe's); `run` pays for it. */
export async function describeAgainOnClient(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  parentTaskId: string,
): Promise<ClientSubmit> {
  const parent = await deps.mj.fetchTask(parentTaskId);
  if (parent.action.trim().toUpperCase() !== 'DESCRIBE') throw new UserFacingError({ reason: 'button_not_on_task' });
  const speed = await defaultSpeedFor(interaction, deps);
  const run = async (callbacks: SubmitCallbackOptions): Promise<SubmitResult> => {
    const base64 = await downloadTaskImage(deps, parent.imageUrl);
    return deps.mj.submitDescribe({ base64, ...speed.choices({}), ...callbacks });
  };
  // No prompt: the progress message reads "Describe" until the first poll, as /describe's does.
  return { prompts: [''], action: 'DESCRIBE', run };
}
