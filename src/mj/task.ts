// Pure facts about a task's state, shared by the renderer and the tracker.
import { MjTaskSchema, type MjTask } from './schema.js';

export const TERMINAL_STATUSES = new Set(['SUCCESS', 'FAILURE', 'CANCEL']);

export function isTerminal(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Progress as 0–100. "100%" on a FAILURE (aggregators) is not success: callers check status. */
export function progressPercent(task: Pick<MjTask, 'progress' | 'status'>): number {
  if (task.status === 'SUCCESS') return 100;
  const m = /(\d{1,3})\s*%/.exec(task.progress);
  if (!m) return 0;
  return Math.min(100, Number(m[1]));
}

/**
 * Rank of a state so that pushes and polls only move a task forward. Unknown statuses rank with
 * IN_PROGRESS (0.5) so they are shown but never overtake a terminal state.
 */
export function stateRank(task: Pick<MjTask, 'progress' | 'status'>): number {
  switch (task.status) {
    case '':
    case 'NOT_START':
      return 0;
    case 'SUBMITTED':
      return 1;
    case 'MODAL':
      return 2;
    case 'IN_PROGRESS':
      return 3 + progressPercent(task) / 1000;
    case 'FAILURE':
    case 'CANCEL':
    case 'SUCCESS':
      return 5;
    default:
      return 3;
  }
}

/**
 * What a submit's answer says of the new task: its id, accepted and not started (status ""), and the
 * prompt the member gave. Shown until the first poll brings the API's own view.
 */
export function submittedTask(id: string, prompt: string, action = ''): MjTask {
  return MjTaskSchema.parse({ id, status: '', prompt, action });
}

/**
 * The task as served, with the customId the click that started it submitted (properties.customId,
 * where the renderer reads "Image #N" from): some servers serve the new task without it. new-api's
 * task view never sets customId, keeps only finalPrompt / finalZhPrompt of the properties and gives
 * the parent's prompt (Calcium-Ion/new-api relay/relay-mj.go L106-142 coverMidjourneyTaskDto, L443,
 * dto/midjourney.go L98-101), so only what the bot sent says which image an upscale shows. The bot
 * keeps it with the tracked task (TrackedTask.submittedCustomId), so a restart keeps it too. A
 * customId the server serves itself wins.
 */
export function withSubmittedCustomId(task: MjTask, customId: string | null | undefined): MjTask {
  if (typeof customId !== 'string' || customId === '' || typeof task.properties['customId'] === 'string') return task;
  return { ...task, properties: { ...task.properties, customId } };
}
