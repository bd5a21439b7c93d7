// A first progress message that may be on Discord with its id stored nowhere: the follow-up a
// member's interaction webhook created while the bot died, before it stored the id. The webhook
// create takes no nonce (Discord API, Execute Webhook: no nonce / enforce_nonce, unlike Create
// Message), so creating it again would leave the first one showing a stale state forever, and the
// token lives in memory only, so the next process cannot ask the webhook either. A resumed row that
// names the interaction whose webhook may have made it, and has no message, is looked for in its
// channel first (the follow-up carries that interaction's id and the task's id line); found, it is
// the task's progress message from then on, edited through the channel and deleted after the result.
import type { EventLog } from '../log.js';
import type { Store } from '../store/store.js';
import type { TrackedTask } from '../store/tracked-tasks.js';
import { logRejected } from './failures.js';
import type { LeaseKeeper } from './leases.js';
import type { Publisher } from './types.js';

export interface LostProgressDeps {
  publisher: Pick<Publisher, 'findProgress' | 'removeProgress'>;
  store: Pick<Store, 'tracked'>;
  leases: Pick<LeaseKeeper, 'fence'>;
  /** Registers work nobody awaits (an extra follow-up's delete), so idle() and stop() wait for it. */
  trackWork(work: Promise<void>): void;
  log: EventLog;
}

/** An active row whose first progress may have been created by its interaction's webhook, unrecorded. */
export const mayHaveLostProgress = (row: TrackedTask): boolean =>
  row.phase === 'active' && row.messageId === null && typeof row.progressInteractionId === 'string';

/**
 * The row with the follow-up it finds as its message (stored), or as it was. Found twice (a create
 * Discord made twice), the oldest is kept and the others are deleted, so one progress message shows.
 */
export async function withLostProgressFound(deps: LostProgressDeps, row: TrackedTask): Promise<TrackedTask> {
  if (!mayHaveLostProgress(row)) return row;
  const { taskId, channelId } = row;
  const lookup = { interactionId: row.progressInteractionId as string, taskId };
  const [messageId, ...extras] = await deps.publisher.findProgress(channelId, lookup).catch(() => []);
  const fence = deps.leases.fence(taskId);
  // Lost meanwhile: the row is another instance's to write (it looks for itself).
  if (messageId === undefined || fence === undefined) return row;
  deps.log.info(
    { event: 'tracker.progress_found', taskId, channelId, messageId, extras: extras.length },
    'found the progress message made before a restart; it is edited from now on',
  );
  for (const extra of extras)
    deps.trackWork(logRejected(deps.log, 'extra progress delete', deps.publisher.removeProgress(channelId, extra)));
  await logRejected(deps.log, 'store update', deps.store.tracked.update(taskId, { messageId }, fence));
  return { ...row, messageId };
}
