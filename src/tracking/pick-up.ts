// How a push for a task nobody follows ends once the API has answered for it.
import type { MjTask } from '../mj/schema.js';
import type { FetchResult } from './task-fetcher.js';
import type { PickUpOutcome } from './types.js';

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
