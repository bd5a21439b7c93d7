// Which tasks this instance follows, as the leases decide (leases.ts keeps them): a task it starts
// following is stored leased to it, before the member is answered when it is prepared; a stored
// active task it is asked to follow is adopted unless another instance holds it; the tasks a
// heartbeat claims are followed as at start; a task another instance holds now is dropped here,
// writing nothing. tracker.ts runs the follows; this file decides which ones are this instance's.
// A resumed, claimed or adopted row whose first progress may be an unrecorded follow-up is followed
// once that follow-up has been looked for (lost-progress.ts).
import type { Clock } from '../clock.js';
import type { EventLog } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import type { Store } from '../store/store.js';
import type { TaskTarget, TrackedTask } from '../store/tracked-tasks.js';
import type { Followed } from './follow-effects.js';
import { earlyPollFacts, followedTask, newTrackedTask, type FollowedTask, type TaskEvent } from './followed-task.js';
import { logRejected } from './failures.js';
import { createLeaseKeeper, type LeaseKeeper, type LeaseOptions } from './leases.js';
import { mayHaveLostProgress, withLostProgressFound } from './lost-progress.js';
import { OncePerKey } from './once-per-key.js';
import type { PollLoop } from './poll-loop.js';
import type { Scheduler } from './scheduler.js';
import type { InteractionRoute, Publisher } from './types.js';

export interface LeasedFollowsDeps {
  store: Pick<Store, 'tracked' | 'leases'>;
  clock: Clock;
  scheduler: Scheduler;
  /** This instance's name and lease time. */
  lease: LeaseOptions;
  /** The wait before the first poll of a task followed from now on (resumed and claimed ones are polled at once). */
  firstPollDelayMs: number;
  /** The tracker's followed tasks: this file adds them and drops the lost ones. */
  followed: Map<string, Followed>;
  loop: Pick<PollLoop, 'pollAt' | 'forget'>;
  /** Looks for a progress follow-up made before a restart (lost-progress.ts). */
  publisher: Pick<Publisher, 'findProgress' | 'removeProgress'>;
  isStopped(): boolean;
  /** Feeds an event to the follow's state and runs its effects. */
  step(f: Followed, event: TaskEvent): unknown;
  /** Registers a heartbeat or a lookup, so the tracker's idle() and stop() wait for it. */
  trackWork(work: Promise<void>): void;
  log: EventLog;
}

export type LeasedFollows = ReturnType<typeof createLeasedFollows>;

export function createLeasedFollows(deps: LeasedFollowsDeps) {
  const { store, clock, followed, loop, log } = deps;
  /** Follows being set up (their store row read and written): a second follow() of the task joins it; null: another instance owns it. */
  const starting = new OncePerKey<Followed | null>();
  /** Rows whose lost progress follow-up is being looked for: a resume and an adopt of one share the look. */
  const finding = new OncePerKey<TrackedTask>();
  /** Those rows, counted as followed meanwhile (/healthz, bot.ready, a member's running cap). */
  const lookingUp = new Map<string, TrackedTask>();
  const leases: LeaseKeeper = createLeaseKeeper({
    store,
    scheduler: deps.scheduler,
    clock,
    options: deps.lease,
    onClaimed: (claimed) => addAll(claimed.map((c) => c.task)),
    onLost: (taskIds) => taskIds.forEach(lose),
    trackWork: (work) => deps.trackWork(work),
    log,
  });

  /** Follows a stored row, first polled at `dueAt`. */
  function add(tracked: TrackedTask, dueAt: number, via: InteractionRoute | null = null): Followed {
    const f: Followed = { state: followedTask(tracked), delivery: null, lastPublish: null, via, prepared: false };
    followed.set(tracked.taskId, f);
    loop.pollAt(tracked.taskId, dueAt, earlyPollFacts(f.state));
    return f;
  }

  /** The row with its progress follow-up made before a restart, if there is one and it is found. */
  const withProgressFound = (row: TrackedTask): Promise<TrackedTask> =>
    finding.run(row.taskId, () => {
      lookingUp.set(row.taskId, row);
      return withLostProgressFound({ ...deps, leases }, row).finally(() => lookingUp.delete(row.taskId));
    });

  /** Follows leased rows not followed here yet, polled at once (start, takeovers). */
  function addAll(tasks: readonly TrackedTask[], now = clock.now()): void {
    for (const tracked of tasks) {
      if (followed.has(tracked.taskId) || finding.has(tracked.taskId)) continue;
      if (!mayHaveLostProgress(tracked)) {
        add(tracked, now);
        continue;
      }
      // Still this instance's once looked for: a heartbeat may have lost it meanwhile.
      const found = withProgressFound(tracked).then((row) => {
        if (!deps.isStopped() && !followed.has(row.taskId) && leases.fence(row.taskId)) add(row, clock.now());
      });
      deps.trackWork(logRejected(log, 'resume', found));
    }
  }

  /** Stops following a task another instance owns now, writing nothing (the row is theirs). */
  function lose(taskId: string): void {
    if (!followed.delete(taskId)) return;
    loop.forget(taskId);
    log.info({ event: 'tracker.lease_lost', taskId }, 'another instance follows this task now');
  }

  async function startFollowing(
    taskId: string,
    target: TaskTarget,
    initialTask: MjTask | undefined,
    via: InteractionRoute | null,
  ): Promise<Followed | null> {
    const now = clock.now();
    // One statement for a new task (at 100 submits a second, a read before it was one query too many).
    const tracked = newTrackedTask(taskId, target, now);
    if (!(await leases.track(tracked))) {
      // Resumed while the row was written (start() ran meanwhile): that follow is the one.
      const resumed = followed.get(taskId);
      if (resumed) return resumed;
      // Followed before a restart and not resumed yet (follow() before start()): adopt it, keep its
      // message, unless another instance owns it.
      const adopted = await leases.adopt(taskId);
      if (!adopted) return null;
      const row = await withProgressFound(adopted);
      if (!leases.fence(taskId)) return followed.get(taskId) ?? null;
      return followed.get(taskId) ?? add(row, now, via);
    }
    if (deps.isStopped()) throw new Error('The tracker is stopped.');
    const f = followed.get(taskId) ?? add(tracked, now + deps.firstPollDelayMs, via);
    if (initialTask?.id === taskId)
      deps.step(f, { kind: 'initial', task: initialTask, shown: target.messageId !== null });
    return f;
  }

  /** Starts following `taskId` here (stored, leased), or joins the start in progress; null when another instance owns it. */
  const start = (
    taskId: string,
    target: TaskTarget,
    initialTask: MjTask | undefined,
    via: InteractionRoute | null,
  ): Promise<Followed | null> => starting.run(taskId, () => startFollowing(taskId, target, initialTask, via));

  return {
    leases,
    start,
    addAll,
    lose,
    isStarting: (taskId: string): boolean => starting.has(taskId) || finding.has(taskId),
    /** The states of the rows followed once their lost progress follow-up has been looked for. */
    lookingUp: (): FollowedTask[] => [...lookingUp.values()].map(followedTask),

    /** Tracker.prepare: stored and leased, published once follow() gives it its route and first state. */
    async prepare(taskId: string, target: TaskTarget): Promise<boolean> {
      if (deps.isStopped()) throw new Error('The tracker is stopped.');
      if (followed.has(taskId)) return true;
      // No initial state: nothing is published before follow() says by which route.
      const f = await start(taskId, target, undefined, null);
      // One that publishes already (a follow it joined, a stored row with its message) keeps doing so.
      if (f && f.lastPublish === null && f.state.tracked.messageId === null) f.prepared = true;
      return f !== null;
    },
  };
}
