// Describe's 1️⃣–4️⃣ and 🎉, and Shorten's prompts, where the server's own button fails (see
// src/mj/capabilities.ts): the prompts are text the finished task already holds, so the bot submits
// /submit/imagine of the chosen one (or of each, for 🎉), which every server has.
import type { MjButtonKind } from '../mj/custom-id.js';
import type { MjTask, SubmitResult } from '../mj/schema.js';
import { UserFacingError } from '../replies/user-facing-error.js';
import { withoutKeycap } from './classify-submit.js';
import type { HandlerDeps } from './deps.js';
import type { ActionInteraction } from './interaction-reader.js';
import { callbacksFor } from './steps.js';

const KEYCAP_LINE = /^\s*([0-9])\uFE0F?\u20E3\s*(.+)$/u;

/**
 * The numbered prompts of a Describe or Shorten result, by number: "1️⃣ …" lines of finalPrompt (the
 * fork's Describe: src/Midjourney.Services/DiscordWebSocketService.cs L2632-2647), else of description
 * (its Shorten: L2705-2714), else of promptEn.
 */
export function numberedPrompts(task: Pick<MjTask, 'properties' | 'description' | 'promptEn'>): Map<number, string> {
  const finalPrompt = task.properties['finalPrompt'];
  for (const text of [typeof finalPrompt === 'string' ? finalPrompt : '', task.description, task.promptEn]) {
    const found = new Map<number, string>();
    for (const line of text.split(/\r?\n/)) {
      const m = KEYCAP_LINE.exec(line);
      if (m?.[1] && m[2] && !found.has(Number(m[1]))) found.set(Number(m[1]), withoutKeycap(m[2]).trim());
    }
    if (found.size > 0) return found;
  }
  return new Map();
}

/** The prompts a button stands for: its line, or every line for 🎉 Imagine all. */
export function promptsFor(button: MjButtonKind, task: Parameters<typeof numberedPrompts>[0]): string[] {
  const prompts = numberedPrompts(task);
  if (button.index === undefined) return [...prompts.values()];
  const one = prompts.get(button.index);
  return one === undefined ? [] : [one];
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
): Promise<{ prompts: string[]; run: () => Promise<SubmitResult> }> {
  const prompts = promptsFor(button, await deps.mj.fetchTask(parentTaskId));
  if (prompts.length === 0) throw new UserFacingError({ reason: 'button_not_on_task' });
  const run = async (): Promise<SubmitResult> => {
    const ids: string[] = [];
    let first: SubmitResult | null = null;
    for (const prompt of prompts) {
      const answer = await deps.mj.submitImagine({ prompt, ...callbacksFor(interaction, deps) });
      first ??= answer;
      const id = answer.result;
      if ((answer.code === 1 || answer.code === 22) && typeof id === 'string' && id !== '') ids.push(id);
    }
    if (ids.length === 0 || first === null) return first ?? { code: 4, description: '', result: null, properties: {} };
    return { ...first, result: ids };
  };
  return { prompts, run };
}
