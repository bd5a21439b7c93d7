// How a push for a task nobody follows ends once the API has answered for it.
import type { MjTask } from '../mj/schema.js';
import type { TaskTarget, TrackedTaskRepo } from '../store/tracked-tasks.js';
import type { FetchResult } from './task-fetcher.js';
import type { PickUpOutcome } from './types.js';

export interface PickUpDeps {
  taskId: string;
  /** Stopped, or the task came to be followed here meanwhile (a click, another push): leave it. */
  followedMeanwhile: () => boolean;
  tracked: Pick<TrackedTaskRepo, 'get'>;
  follow: (task: MjTask, target: TaskTarget) => Promise<{ messageId: string | null }>;
}

/**
 * Follows the task the API served for a push, in the channel `targetFor` names, unless it came to be
 * followed meanwhile or already finished (here or on another instance: following it again would post
 * a second result, since follow() replaces a finished row of that id). Resolves true once followed.
 */
export function followPushed(
  deps: PickUpDeps,
  targetFor: (task: MjTask) => Promise<TaskTarget | null>,
  shown?: (messageId: string | null) => void,
): (task: MjTask) => Promise<boolean> {
  return async (task) => {
    if (deps.followedMeanwhile()) return false;
    const target = await targetFor(task);
    if (!target || deps.followedMeanwhile()) return false;
    const stored = await deps.tracked.get(deps.taskId);
    if ((stored && stored.phase !== 'active') || deps.followedMeanwhile()) return false;
    const { messageId } = await deps.follow(task, target);
    shown?.(messageId);
    return true;
  };
}

/**
 * Follows the task with the API's answer when `followNow` accepts it (it resolves true once followed,
 * false when the task is not to be followed). The push that asked for the look is never used.
 */
export async function pickUpFrom(
  answer: Promise<FetchResult>,
  followNow: (task: MjTask) => Promise<boolean>,
): Promise<PickUpOutcome> {
  const result = await answer;
  if (result.kind !== 'found') return 'unknown';
  return (await followNow(result.task)) ? 'followed' : 'declined';
}
