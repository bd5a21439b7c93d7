// Describe's 1️⃣–4️⃣ and 🎉, and Shorten's prompts, where the server's own button fails (see
// src/mj/capabilities.ts): the prompts are text the finished task already holds, so the bot submits
// /submit/imagine of the chosen one (or of each, for 🎉), which every server has.
import { classOf } from '../mj/capabilities.js';
import type { MjButtonKind } from '../mj/custom-id.js';
import type { SubmitResult } from '../mj/schema.js';
import { numberedPrompts, promptsFor } from '../mj/text-results.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import { defaultSpeedFor } from './default-speed.js';
import type { HandlerDeps } from './deps.js';
import type { ActionInteraction } from './interaction-reader.js';
import type { SubmitCallbackOptions } from '../mj/api.js';

/**
 * The line a Describe or Shorten button stands for, where the server's own button runs it and asks for
 * the prompt first (plus: a MODAL task, code 21 without finalPrompt): the form starts from that line
 * rather than from the message's title. Null for any other button, or when the task no longer says.
 */
export async function numberedPromptOf(
  deps: HandlerDeps,
  parentTaskId: string,
  button: MjButtonKind,
): Promise<string | null> {
  if ((button.family !== 'pic_reader' && button.family !== 'prompt_analyzer') || button.index === undefined)
    return null;
  const task = await deps.mj.fetchTask(parentTaskId).catch(() => null);
  return task === null ? null : (promptsFor(button, task)[0] ?? null);
}

/** The lines the fork's own 🎉 Imagine all makes a task of (trueai-org TaskService.cs L1817-1876: 1️⃣–4️⃣). */
const SERVER_IMAGINE_ALL_LINES = [1, 2, 3, 4] as const;

/**
 * How many tasks a click starts, so it holds as many places in the daily limits: one per prompt the
 * bot imagines itself (the prompts its run submits); for 🎉 Imagine all on the server's own button
 * (the fork), one per line 1️⃣–4️⃣ of the Describe, as the server reads them (all four when the parent
 * cannot be read now: the most it starts); any other button, one.
 */
export async function tasksStartedBy(
  deps: HandlerDeps,
  parentTaskId: string,
  button: MjButtonKind,
  onClient: ClientSubmit | null,
): Promise<number> {
  if (onClient !== null) return onClient.prompts.length;
  if (classOf(button) !== 'pic_reader_all') return 1;
  const task = await deps.mj.fetchTask(parentTaskId).catch(() => null);
  if (task === null) return SERVER_IMAGINE_ALL_LINES.length;
  const lines = numberedPrompts(task);
  return Math.max(1, SERVER_IMAGINE_ALL_LINES.filter((n) => lines.has(n)).length);
}

/** A submit the bot makes itself for a button: the prompts it stands for, the new task's action, the paid request. */
export interface ClientSubmit {
  prompts: string[];
  /** The new task's action until its first poll, when it is no imagine (DESCRIBE). */
  action?: string;
  /** Pays for it, with the submit's callbacks (its state names the click: callbacksFor). */
  run: (callbacks: SubmitCallbackOptions) => Promise<SubmitResult>;
}

/**
 * /submit/imagine of each prompt, answered as one submit: the ids of those accepted (in order), or the
 * first refusal when none was. A parent without the prompt is refused before anything is paid for.
 */
export async function imagineOnClient(
  interaction: ActionInteraction,
  deps: HandlerDeps,
  parentTaskId: string,
  button: MjButtonKind,
): Promise<ClientSubmit> {
  const prompts = promptsFor(button, await deps.mj.fetchTask(parentTaskId));
  if (prompts.length === 0) throw new UserFacingError({ reason: 'button_not_on_task' });
  const speed = await defaultSpeedFor(interaction, deps);
  const run = async (callbacks: SubmitCallbackOptions): Promise<SubmitResult> => {
    const ids: string[] = [];
    let first: SubmitResult | null = null;
    for (const prompt of prompts) {
      const answer = await deps.mj.submitImagine({ prompt: speed.prompt(prompt), ...callbacks });
      first ??= answer;
      const id = answer.result;
      if ((answer.code === 1 || answer.code === 22) && typeof id === 'string' && id !== '') ids.push(id);
    }
    if (ids.length === 0 || first === null) return first ?? { code: 4, description: '', result: null, properties: {} };
    return { ...first, result: ids };
  };
  return { prompts, run };
}
