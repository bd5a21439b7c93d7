// Which tracked tasks this instance owns (the store's leases: src/store/leases.ts). Every active task
// has one owner among the instances sharing a database: the instance that starts following a task
// leases it; a heartbeat every ttl/3 renews this instance's leases, tells the tracker which ones
// another instance holds now (this one stopped renewing in time: a long pause, a lost database), and
// claims the tasks whose owner died or let go, which the tracker then follows as it does at start.
// Each heartbeat also reads when the first lease another owner holds runs out: one due before the next
// heartbeat belongs to an owner that stopped renewing, and a claim runs at that moment, so a dead
// instance's tasks are taken over within the lease time, not up to a third of it later. Sooner still on
// PostgreSQL: once the instance registry counts an owner out, its leases are free (store/leases.ts) and
// the share keeper that saw it go asks for a claim at once (claimFreed).
// Writes and results carry the lease's epoch (a fence), so an owner that lost a task changes nothing.
import type { Clock } from '../clock.js';
import type { EventLog } from '../log.js';
import type { LeaseFence, LeasedTask, TaskLeaseRepo } from '../store/leases.js';
import type { TrackedTask, TrackedTaskRepo } from '../store/tracked-tasks.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface LeaseOptions {
  /** This instance (INSTANCE_ID). A restart under the same id takes its own tasks back at once. */
  owner: string;
  /** How long a lease lasts without renewal (LEASE_TTL_MS): the bound on a takeover. Default 30 s. */
  ttlMs?: number;
  /** Tasks per claim statement; a heartbeat claims until a claim comes back short. Default 200. */
  claimBatch?: number;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;
/**
 * The shortest wait before a claim at another owner's lease running out. A lease another claimer has
 * locked (SKIP LOCKED) stays expired until its statement commits: a short wait then, not a spin.
 */
const MIN_CLAIM_WAIT_MS = 100;

export interface LeaseKeeperDeps {
  store: { tracked: Pick<TrackedTaskRepo, 'upsertUnlessActive'>; leases: TaskLeaseRepo };
  scheduler: Scheduler;
  /** The store's clock: lease times are in it. */
  clock: Clock;
  options: LeaseOptions;
  /** Tasks a heartbeat claimed (taken over, or released by their owner): follow them, as at start. */
  onClaimed(claimed: readonly LeasedTask[]): void;
  /** Tasks another instance holds now: stop following them here, writing nothing. */
  onLost(taskIds: readonly string[]): void;
  /** Registers a heartbeat, so the tracker's idle() and stop() wait for it. */
  trackWork(work: Promise<void>): void;
  log: EventLog;
}

export type LeaseKeeper = ReturnType<typeof createLeaseKeeper>;

export function createLeaseKeeper(deps: LeaseKeeperDeps) {
  const { store, scheduler, log } = deps;
  const owner = deps.options.owner;
  const ttlMs = Math.max(300, deps.options.ttlMs ?? DEFAULT_LEASE_TTL_MS);
  const grant = { owner, ttlMs };
  const batch = Math.max(1, deps.options.claimBatch ?? 200);
  /** Held leases: task id → epoch. */
  const held = new Map<string, number>();
  let timer: TimerHandle | null = null;
  let running = false;
  let beating: Promise<void> | null = null;
  const interval = Math.floor(ttlMs / 3);
  let nextBeatAt = Infinity;
  let claimTimer: TimerHandle | null = null;
  let claiming: Promise<void> | null = null;
  /** Set when a claim is asked for while one runs: that one may have read the registry too early. */
  let claimAgain = false;

  /** Claims page by page until a page comes back short; `onPage` hears each page as it is claimed. */
  async function claimAll(atStart: boolean, onPage?: (page: LeasedTask[]) => void): Promise<LeasedTask[]> {
    const claimed: LeasedTask[] = [];
    for (;;) {
      const page = await store.leases.claim(grant, batch, { atStart });
      for (const c of page) held.set(c.task.taskId, c.epoch);
      claimed.push(...page);
      if (page.length > 0) onPage?.(page);
      if (page.length < batch || !running) return claimed;
    }
  }

  const takeOver = (page: LeasedTask[]) => {
    log.info({ event: 'tracker.tasks_taken_over', owner, count: page.length }, 'took over tasks');
    deps.onClaimed(page);
  };

  async function beat(): Promise<void> {
    // Judged against what was held before the renewal: a lease taken meanwhile is not in its answer.
    const before = [...held];
    const renewed = new Map((await store.leases.renew(grant)).map((r) => [r.taskId, r.epoch]));
    const lost = before.filter(([taskId, epoch]) => renewed.get(taskId) !== epoch && held.get(taskId) === epoch);
    for (const [taskId] of lost) held.delete(taskId);
    if (lost.length > 0) {
      log.warn({ event: 'tracker.leases_lost', owner, count: lost.length }, 'another instance follows tasks held here');
      deps.onLost(lost.map(([taskId]) => taskId));
    }
    // Each page is followed as soon as it is claimed: a dead instance's thousands of tasks are claimed
    // 200 at a time, and the first page need not wait for the last statement.
    await claimAll(false, takeOver);
    // The next heartbeat is an interval after this one ends (schedule()).
    claimWhenExpired(await store.leases.nextExpiry(owner), deps.clock.now() + interval);
  }

  /** A claim when another owner's first lease runs out, if that comes before the next heartbeat (`beatAt`). */
  function claimWhenExpired(nextExpiry: number | null, beatAt: number): void {
    if (claimTimer !== null) scheduler.clearTimeout(claimTimer);
    claimTimer = null;
    if (!running || nextExpiry === null) return;
    const now = deps.clock.now();
    const wait = Math.max(MIN_CLAIM_WAIT_MS, nextExpiry - now + 1);
    if (now + wait >= beatAt) return; // the heartbeat claims it
    claimTimer = scheduler.setTimeout(() => {
      claimTimer = null;
      claimFree();
    }, wait);
  }

  /** Claims what is free now, one claim at a time, then waits for the next lease of another owner to run out. */
  function claimFree(): void {
    if (!running) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = claimAll(false, takeOver)
      .then(() => store.leases.nextExpiry(owner))
      .then((next) => claimWhenExpired(next, nextBeatAt))
      .catch((err: unknown) => log.error({ event: 'tracker.heartbeat_failed', err }, 'lease claim failed'))
      .finally(() => {
        claiming = null;
        if (claimAgain) {
          claimAgain = false;
          claimFree();
        }
      });
    deps.trackWork(claiming);
  }

  function schedule(): void {
    if (!running) return;
    nextBeatAt = deps.clock.now() + interval;
    timer = scheduler.setTimeout(() => {
      timer = null;
      beating = beat()
        .catch((err: unknown) => log.error({ event: 'tracker.heartbeat_failed', err }, 'lease heartbeat failed'))
        .finally(() => {
          beating = null;
          schedule();
        });
      deps.trackWork(beating);
    }, interval);
  }

  return {
    /** Claims this instance's tasks from before a restart and every free one, then starts the heartbeat. */
    async start(): Promise<TrackedTask[]> {
      running = true;
      const claimed = await claimAll(true);
      schedule();
      return claimed.map((c) => c.task);
    },
    /**
     * Stores a task this instance starts following, leased to it (replacing a finished row of that
     * id). False, writing nothing, when an active row of that id is stored: adopt() it instead.
     */
    async track(task: TrackedTask): Promise<boolean> {
      const epoch = await store.tracked.upsertUnlessActive(task, grant);
      if (epoch === null) return false;
      held.set(task.taskId, epoch);
      return true;
    },
    /** Claims a stored active task nobody else holds; null when another instance does. */
    async adopt(taskId: string): Promise<TrackedTask | null> {
      const [mine] = await store.leases.claim(grant, 1, { taskId });
      if (!mine) return null;
      held.set(taskId, mine.epoch);
      return mine.task;
    },
    /** What this instance's writes to the task carry; undefined when it does not hold it. */
    fence(taskId: string): LeaseFence | undefined {
      const epoch = held.get(taskId);
      return epoch === undefined ? undefined : { owner, epoch };
    },
    /** The fence right before a result is posted: still this instance's (and extended)? */
    async confirm(taskId: string): Promise<boolean> {
      const fence = this.fence(taskId);
      const ok = fence !== undefined && (await store.leases.confirm(taskId, fence, ttlMs));
      if (!ok && held.get(taskId) === fence?.epoch) held.delete(taskId);
      return ok;
    },
    /** Forgets a lease (the task ended here, or a refused write showed it lost) unless it was leased anew meanwhile. */
    drop(taskId: string, fence: LeaseFence | undefined): void {
      if (fence && held.get(taskId) === fence.epoch) held.delete(taskId);
    },
    held: () => held.size,
    /**
     * Claims at once what another instance's silence or stop set free (the instance registry said it
     * is gone: discord/share-keeper.ts), instead of at the next heartbeat.
     */
    claimFreed: claimFree,
    /** Stops the heartbeat; the leases run on until released or expired. */
    stop(): void {
      running = false;
      for (const t of [timer, claimTimer]) if (t !== null) scheduler.clearTimeout(t);
      timer = claimTimer = null;
    },
    /** Lets go of every lease this instance holds, so another instance takes the tasks over at once. */
    async release(): Promise<void> {
      await Promise.all([beating, claiming]);
      held.clear();
      await store.leases.release(owner);
    },
  };
}
