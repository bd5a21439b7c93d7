// Follows tasks to their result. The poll loop (poll-loop.ts) says when a task is looked at, the task's
// state (task-state.ts) says what an answer means, and this file runs the effects: store writes and
// the loop's here, publishes, result delivery and deletes in follow-effects.ts; which tasks are this
// instance's to follow (stored and leased, adopted, taken over, lost) is leased-follows.ts. Every step
// that matters after a crash is in the store first; the result message carries a nonce, so "sent but
// not recorded" cannot give a second result.
import type { Clock } from '../clock.js';
import { noLog, type EventLog } from '../log.js';
import type { MjApi } from '../mj/api.js';
import type { MjTask } from '../mj/schema.js';
import { heldTask } from '../mj/task.js';
import type { Store } from '../store/store.js';
import type { TaskTarget } from '../store/tracked-tasks.js';
import { logRejected, logThrown } from './failures.js';
import { createLeasedFollows, type LeasedFollows } from './leased-follows.js';
import type { LeaseOptions } from './leases.js';
import { createPollLoop, type PollLoop } from './poll-loop.js';
import {
  pollOptionsByBacklog,
  resolveTrackerOptions,
  type ResolvedTrackerOptions,
  type TrackerOptions,
} from './poll-policy.js';
import type { Publisher } from './publisher.js';
import { systemScheduler, type Scheduler } from './scheduler.js';
import { countFollowed, isRunningFor } from './counts.js';
import { followPushed, pickUpFrom } from './pick-up.js';
import { createPruner, type Pruner } from './pruner.js';
import { createTaskFetcher, type FetchResult } from './task-fetcher.js';
import type { TaskEvent } from './followed-task.js';
import { advance } from './task-state.js';
import { runTaskEffect, type EffectContext } from './run-effect.js';
import { WorkSet } from './work-set.js';
import { createFollowEffects, type FollowEffects, type Followed } from './follow-effects.js';
import { FollowedMap } from './followed-map.js';
import type { HintOutcome, InteractionRoute, PickUpOutcome, Tracker, TrackerCounts } from './types.js';

export interface TrackerDeps {
  mj: MjApi;
  /** Followed tasks and their leases, and the click log, which is pruned on the same schedule as finished tasks. */
  store: Pick<Store, 'tracked' | 'leases' | 'clicks'>;
  publisher: Publisher;
  clock: Clock;
  /** Defaults to real timers. */
  scheduler?: Scheduler;
  options?: TrackerOptions;
  /** This instance's name and lease time (default: one instance, 'tracker', 30 s). */
  lease?: LeaseOptions;
  log?: EventLog;
}

export function createTracker(deps: TrackerDeps): Tracker {
  return new TaskTracker(deps);
}

class TaskTracker implements Tracker {
  private readonly store: TrackerDeps['store'];
  private readonly publisher: Publisher;
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly options: ResolvedTrackerOptions;
  /** The options a step sets the next poll by: finishing tasks poll slower while results are backed up. */
  private readonly optionsFor: (resultsWaitingMs: number) => ResolvedTrackerOptions;
  private readonly log: EventLog;
  private readonly loop: PollLoop;
  private readonly followed = new FollowedMap();
  private readonly work = new WorkSet();
  private readonly pruner: Pruner;
  private readonly effects: FollowEffects;
  /** The tasks this instance owns: only those are polled and published here. */
  private readonly owned: LeasedFollows;
  private readonly effectContext: EffectContext;
  private started = false;
  private stopped = false;
  private stopping: Promise<void> | null = null;

  constructor(deps: TrackerDeps) {
    this.store = deps.store;
    this.publisher = deps.publisher;
    this.clock = deps.clock;
    this.scheduler = deps.scheduler ?? systemScheduler;
    this.options = resolveTrackerOptions(deps.options);
    this.optionsFor = pollOptionsByBacklog(this.options);
    this.log = deps.log ?? noLog;
    const { batchSize, fetchConcurrency } = this.options;
    const guard = (step: string, run: () => Promise<unknown>) =>
      void this.work.track(logRejected(this.log, step, run()));
    this.pruner = createPruner({ ...deps, scheduler: this.scheduler, options: this.options, guard });
    this.loop = createPollLoop({
      clock: this.clock,
      scheduler: this.scheduler,
      options: this.options,
      fetcher: createTaskFetcher(deps.mj, { batchSize, concurrency: fetchConcurrency, log: this.log }),
      trackWork: (p) => void this.work.track(p),
      onPolled: (taskId, result) => {
        const f = this.followed.get(taskId);
        if (!this.stopped && f && !f.state.pendingResult) this.applyPolled(f, result);
      },
      onResultDue: (taskId) => {
        const f = this.followed.get(taskId);
        if (f) void this.effects.deliverResult(f);
      },
    });
    this.owned = createLeasedFollows({
      store: this.store,
      clock: this.clock,
      scheduler: this.scheduler,
      lease: deps.lease ?? { owner: 'tracker' },
      firstPollDelayMs: this.options.firstPollDelayMs,
      followed: this.followed,
      loop: this.loop,
      publisher: this.publisher,
      isStopped: () => this.stopped,
      step: (f, event) => this.step(f, event),
      trackWork: (p) => void this.work.track(p),
      log: this.log,
    });
    this.effects = createFollowEffects({
      publisher: this.publisher,
      store: this.store,
      leases: this.owned.leases,
      log: this.log,
      work: this.work,
      clock: this.clock,
      scheduler: this.scheduler,
      saveBehindMs: this.options.saveBehindMs,
      isCurrent: (f) => this.current(f),
      isStopped: () => this.stopped,
      step: (f, event) => this.step(f, event),
      hold: (taskId) => this.loop.hold(taskId),
      lose: (f) => this.current(f) && this.owned.lose(f.state.tracked.taskId),
    });
    const { work, effects, loop, followed, log } = this;
    this.effectContext = { work, effects, loop, followed, log };
  }

  async follow(
    taskId: string,
    target: TaskTarget,
    initialTask?: MjTask,
    via?: InteractionRoute,
  ): Promise<{ messageId: string | null }> {
    if (this.stopped) throw new Error('The tracker is stopped.');
    const f = this.followed.get(taskId) ?? (await this.owned.start(taskId, target, initialTask, via ?? null));
    // Another instance follows it: its message is the one to point at.
    if (!f) return { messageId: (await this.store.tracked.get(taskId))?.messageId ?? null };
    // Stored by prepare() before the member was answered: what follow() brings is applied now.
    if (f.prepared) {
      f.prepared = false;
      if (this.current(f) && f.state.tracked.messageId === null) {
        if (via && f.via === null) f.via = via;
        if (initialTask?.id === taskId) this.step(f, { kind: 'initial', task: initialTask, shown: false });
      }
    }
    const resultId = async () => {
      await this.effects.deliverResult(f);
      return { messageId: (await this.store.tracked.get(taskId))?.resultMessageId ?? null };
    };
    if (f.state.pendingResult) return resultId();
    if (f.state.tracked.messageId !== null) return { messageId: f.state.tracked.messageId };
    const outcome = await this.effects.publishFirst(f);
    if (outcome.kind === 'gone')
      throw new Error(`Channel ${target.channelId} cannot be reached: the task is not followed.`);
    // It finished before any progress message went out: the result is the message to point at.
    if (f.state.tracked.messageId === null && f.state.pendingResult && this.current(f)) return resultId();
    return { messageId: f.state.tracked.messageId };
  }

  prepare(taskId: string, target: TaskTarget): Promise<boolean> {
    return this.owned.prepare(taskId, target);
  }

  hint(taskId: string): HintOutcome {
    const f = this.followed.get(taskId);
    if (!f) return 'untracked';
    if (this.stopped || f.state.pendingResult) return 'stale';
    const outcome = this.loop.hint(taskId, this.clock.now() + this.options.batchWindowMs);
    if (outcome === 'full') return this.hintDropped(taskId);
    logThrown(this.log, 'hint', () => this.step(f, { kind: 'hinted' }));
    return 'hinted';
  }

  pickUp(
    taskId: string,
    targetFor: (task: MjTask) => Promise<TaskTarget | null>,
    shown?: (messageId: string | null) => void,
  ): Promise<PickUpOutcome> {
    if (this.stopped) return Promise.resolve('dropped');
    const answer = this.loop.probe(taskId, this.clock.now() + this.options.batchWindowMs);
    if (!answer) return Promise.resolve(this.hintDropped(taskId));
    const followNow = followPushed(
      {
        taskId,
        followedMeanwhile: () => this.stopped || this.followed.has(taskId) || this.owned.isStarting(taskId),
        tracked: this.store.tracked,
        follow: (task, target) => this.follow(taskId, target, task),
      },
      targetFor,
      shown,
    );
    return this.work.track(pickUpFrom(answer, followNow));
  }

  async start(): Promise<void> {
    if (this.started || this.stopped) return;
    this.started = true;
    await logRejected(this.log, 'resume', this.resume());
    this.loop.start();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      this.loop.stop();
      this.pruner.stop();
      this.owned.leases.stop();
      await this.publisher.close();
      await this.idle();
      // After the last write: another instance takes the tasks over at once, not after the lease time.
      await logRejected(this.log, 'lease release', this.owned.leases.release());
    })();
    return this.stopping;
  }

  /** Nothing in flight and nothing waiting to be written: the writes that could wait go now. */
  async idle(): Promise<void> {
    do {
      this.effects.flushSaves();
      await this.work.idle();
      // What settled meanwhile may have left a write waiting again.
    } while (this.effects.pendingSaves() > 0);
  }

  claimFreed(): void {
    this.owned.leases.claimFreed();
  }

  counts(): TrackerCounts {
    const states = [...this.followed.values()].map((f) => f.state).concat(this.owned.lookingUp());
    return countFollowed(states, this.owned.leases.held());
  }

  runningCountFor(userId: string): number {
    let n = 0;
    for (const { state } of this.followed.ofRequester(userId)) if (isRunningFor(state, userId)) n++;
    for (const state of this.owned.lookingUp()) if (isRunningFor(state, userId)) n++;
    return n;
  }

  isRunningFor(taskId: string, userId: string): boolean {
    const state = this.followed.get(taskId)?.state;
    return state !== undefined && isRunningFor(state, userId);
  }

  /**
   * An answer that throws anywhere on its way (compare, render, store) must not leave the task due at
   * once (polled as fast as the API answers, an error line each time): the state goes back to what it
   * was and the answer counts as unreadable, which backs off and, repeated, ends the task visibly.
   */
  private applyPolled(f: Followed, result: FetchResult): void {
    const before = f.state;
    try {
      const held = result.kind === 'found' ? { ...result, task: heldTask(result.task, before.task) } : result;
      this.step(f, { kind: 'polled', result: held });
    } catch (error) {
      f.state = before;
      logThrown(this.log, 'unreadable answer', () => this.step(f, { kind: 'unreadable', error }));
    }
  }

  private hintDropped(taskId: string): 'dropped' {
    const fields = { event: 'tracker.hint_dropped' as const, taskId, pending: this.loop.pendingHints() };
    this.log.warn(fields, 'too many pushes waiting: push dropped');
    return 'dropped';
  }

  private current(f: Followed): boolean {
    return this.followed.get(f.state.tracked.taskId) === f;
  }

  /** Feeds one event to the task's state and runs the effects; `done` resolves once the async ones are over. */
  private step(f: Followed, event: TaskEvent): { applied: boolean; done: Promise<void> } {
    const o = this.optionsFor(this.publisher.resultsWaitingMs?.() ?? 0);
    const t = advance(f.state, event, this.clock.now(), o);
    f.state = t.next;
    const pending: Array<Promise<void>> = [];
    for (const effect of t.effects) {
      const running = runTaskEffect(this.effectContext, f, effect);
      if (running) pending.push(running);
    }
    return { applied: t.applied, done: Promise.all(pending).then(() => undefined) };
  }

  private async resume(): Promise<void> {
    const now = this.clock.now();
    const pruned = await this.pruner.start();
    // Its own tasks from before a restart, and every task nobody holds.
    const active = await this.owned.leases.start();
    this.owned.addAll(active, now);
    // Results recorded before a crash whose progress message was not deleted yet.
    for (const t of await this.store.tracked.listCleanup())
      if (t.messageId !== null) void this.work.track(this.effects.removeProgress(t, t.messageId));
    this.log.info({ event: 'tracker.started', resumed: active.length, pruned }, 'tracker started');
  }
}
