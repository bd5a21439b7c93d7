// A tracker as the push handler (src/webhook/feed.ts) sees it: hint() knows what was picked up, and
// a pick-up reads the task from `api` (the server's copy) and follows it when targetFor accepts it.
import type { MjTask } from '../../src/mj/schema.js';
import type { TaskTarget } from '../../src/store/tracked-tasks.js';
import type { FeedPushDeps } from '../../src/webhook/feed.js';

export function recordingTracker(api: ReadonlyMap<string, MjTask>) {
  const followed: Array<{ taskId: string; target: TaskTarget }> = [];
  let picking: Promise<unknown> = Promise.resolve();
  const tracker: FeedPushDeps['tracker'] = {
    hint: (taskId) => (followed.some((f) => f.taskId === taskId) ? 'hinted' : 'untracked'),
    pickUp: (taskId, targetFor) => {
      const read = api.get(taskId);
      const outcome = (async () => {
        if (!read) return 'unknown' as const;
        const target = await targetFor(read);
        if (!target) return 'declined' as const;
        followed.push({ taskId, target });
        return 'followed' as const;
      })();
      picking = outcome;
      return outcome;
    },
  };
  /** The latest pick-up, done. */
  return { tracker, followed, picked: () => picking };
}
