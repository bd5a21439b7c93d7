// The tracker's effects that go to Discord, for one follow: its progress publish, its result delivery
// and the delete of its progress message, each recorded back into the task's state (or the store) in
// the order that makes a crash harmless. tracker.ts decides when; this file does it and says how it ended.
import type { EventLog } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import type { Store } from '../store/store.js';
import type { TrackedTask, TrackedTaskPatch } from '../store/tracked-tasks.js';
import { logRejected } from './failures.js';
import type { FollowedTask, TaskEvent } from './followed-task.js';
import type { LeaseKeeper } from './leases.js';
import { placeholderTask } from './poll-policy.js';
import { createSaveBehind } from './save-behind.js';
import type { Scheduler } from './scheduler.js';
import type { InteractionRoute, PublishOutcome, Publisher } from './types.js';
import type { WorkSet } from './work-set.js';

/** One follow of a task: its state, and the publishes in flight that follow() and stop() wait for. */
export interface Followed {
  state: FollowedTask;
  /** The result delivery in progress, shared by the loop and follow(). */
  delivery: Promise<void> | null;
  /** The latest progress publish, so follow() can wait for the message it creates. */
  lastPublish: Promise<PublishOutcome> | null;
  /** The member's interaction, whose webhook carries progress while its token lives (memory only). */
  via: InteractionRoute | null;
  /**
   * Stored by prepare(), not yet given its route and first state by follow(): nothing is published
   * for it (a poll meanwhile would post in the channel what belongs in the member's interaction).
   */
  prepared: boolean;
}

export interface FollowEffectsDeps {
  publisher: Publisher;
  store: Pick<Store, 'tracked'>;
  /** This instance's leases: its writes and results are fenced by them. */
  leases: Pick<LeaseKeeper, 'fence' | 'drop' | 'confirm'>;
  log: EventLog;
  work: WorkSet;
  clock: { now(): number };
  scheduler: Scheduler;
  /** How long a write that may wait waits (save-behind.ts). */
  saveBehindMs: number;
  /** Still the follow of its task (not ended or replaced meanwhile). */
  isCurrent(f: Followed): boolean;
  isStopped(): boolean;
  /** Feeds an event to the follow's state and runs its effects. */
  step(f: Followed, event: TaskEvent): { done: Promise<void> };
  /** No polls of the task while its result is being delivered. */
  hold(taskId: string): void;
  /** Another instance owns the task now: stop following it here. */
  lose(f: Followed): void;
}

export function createFollowEffects(deps: FollowEffectsDeps) {
  const { publisher, store, leases, log, work } = deps;

  const behind = createSaveBehind<Followed>({
    clock: deps.clock,
    scheduler: deps.scheduler,
    delayMs: deps.saveBehindMs,
    // Only while this instance follows it: a task that ended took its pending write along; one
    // another instance owns now is not ours to write.
    write: (f, patch) =>
      deps.isCurrent(f) ? work.track(logRejected(log, 'store update', write(f, patch))) : undefined,
  });

  /**
   * A write of the task's row. One that may wait (`lazy`) joins the task's pending one; any other is
   * issued at once with what was pending, so a task's writes keep their order.
   */
  function save(f: Followed, patch: TrackedTaskPatch, lazy = false): Promise<void> | null {
    if (lazy && deps.isCurrent(f) && !deps.isStopped()) {
      behind.later(f, patch);
      return null;
    }
    const written = write(f, behind.take(f, patch));
    behind.issued(f, written);
    return written;
  }

  /**
   * The write, fenced by the task's lease. A refused one means another instance owns the task now;
   * a task that ended here lets go of its lease once its last write is in.
   */
  async function write(f: Followed, patch: TrackedTaskPatch): Promise<void> {
    const { taskId } = f.state.tracked;
    const fence = leases.fence(taskId);
    const ended = !deps.isCurrent(f);
    const saved = await store.tracked.update(taskId, patch, fence);
    if (ended || !saved) leases.drop(taskId, fence);
    if (!saved && fence && deps.isCurrent(f)) deps.lose(f);
  }

  function publishProgress(f: Followed): Promise<PublishOutcome> {
    // Left unsettled: follow() publishes the state it finds.
    if (f.prepared) return Promise.resolve({ kind: 'skipped' });
    const { tracked, task } = f.state;
    const update = {
      tracked,
      task: task ?? placeholderTask(tracked),
      final: false,
      ...(f.via ? { via: f.via } : {}),
    };
    // One promise per queued update and nothing chained on it: at 10,000 tasks one waits for almost
    // every task, and a then/catch/track chain on each held ~340 B more (2.5 MB at the peak).
    work.begin();
    return (f.lastPublish = new Promise<PublishOutcome>((resolve) => {
      const settled = (outcome: PublishOutcome) =>
        // Never inside the publisher's call (a newer publish settles the one it replaces): the step
        // may publish again.
        queueMicrotask(() => {
          resolve(settleProgress(f, update.task, outcome));
          work.end();
        });
      try {
        publisher.offerProgress(update, settled);
      } catch (err) {
        settled(progressFailed(tracked.taskId, err));
      }
    }));
  }

  /**
   * Records how a progress publish ended in the follow's state, also while stopping: a message
   * created by a request in flight must not be lost.
   */
  function settleProgress(f: Followed, task: MjTask, outcome: PublishOutcome): PublishOutcome {
    if (!deps.isCurrent(f)) return outcome;
    try {
      deps.step(f, { kind: 'progressSettled', task, outcome, stopping: deps.isStopped() });
      return outcome;
    } catch (err) {
      return progressFailed(f.state.tracked.taskId, err);
    }
  }

  function progressFailed(taskId: string, err: unknown): PublishOutcome {
    log.error({ event: 'task.progress_failed', taskId, err }, 'tracker: progress update failed');
    return { kind: 'retry' };
  }

  /**
   * The publish that gives a follow its first message. A newer state (a poll) that replaced ours
   * while the channel's budget held it back creates the message itself: wait for that one rather
   * than answer "no message".
   */
  async function publishFirst(f: Followed): Promise<PublishOutcome> {
    let publishing = publishProgress(f);
    let outcome = await publishing;
    while (
      outcome.kind === 'skipped' &&
      f.state.tracked.messageId === null &&
      f.lastPublish !== null &&
      f.lastPublish !== publishing
    ) {
      publishing = f.lastPublish;
      outcome = await publishing;
    }
    return outcome;
  }

  function deliverResult(f: Followed): Promise<void> {
    const result = f.state.pendingResult;
    if (f.delivery || !result) return f.delivery ?? Promise.resolve();
    deps.hold(f.state.tracked.taskId);
    // Held, not polled again: a prepared follow's result waits for follow(), which delivers it.
    if (f.prepared) return Promise.resolve();
    const run = async () => {
      // After a takeover the new owner posts the result; the nonce folds a post already in flight. A
      // database that does not answer the fence is a delivery to retry later, not a lost task.
      const { taskId } = f.state.tracked;
      const owned = await leases.confirm(taskId).catch((err: unknown) => {
        log.warn({ event: 'task.result_failed', taskId, err }, 'tracker: the lease could not be confirmed');
        return null;
      });
      if (owned === false) {
        f.delivery = null;
        return deps.lose(f);
      }
      const outcome: PublishOutcome =
        owned === null ? { kind: 'retry' } : await publisher.publish({ ...result, tracked: f.state.tracked });
      f.delivery = null;
      if (deps.isCurrent(f)) await deps.step(f, { kind: 'resultSettled', outcome, stopping: deps.isStopped() }).done;
    };
    return (f.delivery = work.track(
      run().catch((err: unknown) => {
        f.delivery = null;
        const fields = { event: 'task.result_failed' as const, taskId: f.state.tracked.taskId, err };
        log.error(fields, 'tracker: result delivery failed');
      }),
    ));
  }

  async function removeProgress(tracked: TrackedTask, messageId: string): Promise<void> {
    const deleted = await publisher.removeProgress(tracked.channelId, messageId);
    // Keep the id when the publisher closed first, so the next start() retries the delete.
    if (deleted || !deps.isStopped())
      await logRejected(log, 'store update', store.tracked.update(tracked.taskId, { messageId: null }));
  }

  return {
    save,
    /** Issues every write that was waiting (idle and stop wait for them). */
    flushSaves: () => behind.flushAll(),
    pendingSaves: () => behind.pending(),
    publishProgress,
    publishFirst,
    deliverResult,
    removeProgress,
  };
}

export type FollowEffects = ReturnType<typeof createFollowEffects>;
