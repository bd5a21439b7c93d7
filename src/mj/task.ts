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

/**
 * The properties anything reads from a followed task: the final prompt (renderer, text results) and
 * which image an upscale shows (render/task-content.ts upscaleIndex). The rest of a server's
 * properties (the fork sends the Discord message content, nonces, hashes) is not kept.
 */
const HELD_PROPERTIES = ['finalPrompt', 'action_index', 'index', 'remix_u_custom_id', 'customId'] as const;

/** The text fields whose copy from the state before is reused when equal. */
const SHARED_TEXT = ['id', 'action', 'status', 'progress', 'prompt', 'promptEn', 'description'] as const;

/** Shared by every held task without buttons or videos (a running task has none): never mutated. */
const NO_BUTTONS: MjTask['buttons'] = Object.freeze([]) as unknown as MjTask['buttons'];
const NO_VIDEOS: MjTask['videoUrls'] = Object.freeze([]) as unknown as MjTask['videoUrls'];

/**
 * A served task as the tracker holds it between polls. Each poll's JSON brings fresh copies of every
 * string, and a running task is held in two states at once (the latest, and the one on Discord or
 * queued for it): equal text is taken from the state before, a prompt the server repeats as promptEn is
 * one string, empty lists are one shared list, and only the properties something reads are kept. The
 * signed `state` is dropped: ownership is read from a fresh fetch or the store (submit/may-spend.ts),
 * never from a followed task. Renders the same as `task` (test/unit/render-property.test.ts).
 */
export function heldTask(task: MjTask, before: MjTask | null): MjTask {
  const held: MjTask = { ...task, state: '', properties: heldProperties(task.properties, before?.properties) };
  if (held.buttons.length === 0) held.buttons = NO_BUTTONS;
  if (held.videoUrls.length === 0) held.videoUrls = NO_VIDEOS;
  if (held.promptEn === held.prompt) held.promptEn = held.prompt;
  if (held.properties['finalPrompt'] === held.prompt) held.properties['finalPrompt'] = held.prompt;
  if (before === null) return held;
  for (const key of SHARED_TEXT) if (held[key] === before[key]) held[key] = before[key];
  if (held.promptEn === before.prompt) held.promptEn = before.prompt;
  if (held.imageUrl !== null && held.imageUrl === before.imageUrl) held.imageUrl = before.imageUrl;
  return held;
}

function heldProperties(served: Record<string, unknown>, before: Record<string, unknown> | undefined) {
  const kept: Record<string, unknown> = {};
  for (const key of HELD_PROPERTIES) {
    if (!Object.hasOwn(served, key)) continue;
    const value = served[key];
    kept[key] = before !== undefined && before[key] === value ? before[key] : value;
  }
  return kept;
}
