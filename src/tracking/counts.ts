// What the tracker tells about the tasks it follows: the counts /healthz shows, and whose they are.
import { statusOf, type FollowedTask } from './followed-task.js';
import type { TrackerCounts } from './types.js';

/** `leased`: the tasks this instance holds a lease on (followed here, or finishing their last write). */
export function countFollowed(states: readonly FollowedTask[], leased: number): TrackerCounts {
  const byStatus: Record<string, number> = {};
  let finishing = 0;
  for (const state of states) {
    const status = statusOf(state) || 'SUBMITTED';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (state.pendingResult) finishing++;
  }
  return { active: states.length, finishing, byStatus, leased };
}

/** Started by this member and still running (its result not on its way yet): what per-member caps count. */
export const isRunningFor = (state: FollowedTask, userId: string): boolean =>
  !state.pendingResult && state.tracked.requesterId === userId;
