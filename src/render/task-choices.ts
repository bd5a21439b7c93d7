// A member's recent tasks as /mjtask's autocomplete choices: `<id> · <status> · <prompt>`, as Discord
// takes them (at most 25, a name of 1–100 characters, the value the id itself). Pure.
import { ENGLISH, type Translate } from '../i18n/index.js';
import { oneLine, truncate } from './limits.js';
import { statusText } from './task-content.js';

/** Discord's limits for autocomplete choices (APPLICATION_COMMAND_AUTOCOMPLETE_RESULT). */
export const AUTOCOMPLETE_CHOICES_MAX = 25;
export const CHOICE_NAME_MAX = 100;

/** What the store knows of one of the member's tasks (store/task-owners.ts OwnedTaskSummary fits it). */
export interface OwnedTaskSummary {
  taskId: string;
  prompt: string | null;
  lastStatus: string | null;
  lastProgress: string | null;
  phase: string | null;
}

export interface TaskChoice {
  name: string;
  value: string;
}

/** What the store knows of how the task stands, or null when the tracker no longer has its row. */
function standing(task: OwnedTaskSummary, t: Translate): string | null {
  if (task.phase === 'timed_out') return t('task.timed_out');
  if (task.lastStatus === null) return null;
  return statusText({ status: task.lastStatus, progress: task.lastProgress ?? '' }, t);
}

export function taskChoices(
  tasks: readonly OwnedTaskSummary[],
  redact: (text: string) => string,
  t: Translate = ENGLISH,
): TaskChoice[] {
  return tasks.slice(0, AUTOCOMPLETE_CHOICES_MAX).map((task) => {
    const head = [task.taskId, standing(task, t)].filter((p) => p !== null).join(' · ');
    // Redacted before the cut, so a cut cannot leave half a secret behind.
    const prompt = oneLine(redact(task.prompt ?? ''));
    const room = CHOICE_NAME_MAX - head.length - 3;
    const name = prompt === '' || room < 8 ? head : `${head} · ${truncate(prompt, room)}`;
    return { name: truncate(name, CHOICE_NAME_MAX), value: task.taskId };
  });
}
