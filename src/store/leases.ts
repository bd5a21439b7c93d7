// Leases on tracked tasks, the same contract on both backends: which instance follows each active
// task. An owner holds a task until its lease expires (renewed by a heartbeat) or it lets go; each
// claim by a new owner bumps the task's epoch, the fencing token its writes and its result carry, so
// after a takeover the old owner's writes change nothing. How the tracker uses them: src/tracking/leases.ts.
import type { LeaseFence, LeaseGrant, TrackedTask } from './tracked-tasks.js';

export type { LeaseFence, LeaseGrant } from './tracked-tasks.js';

export interface LeasedTask {
  task: TrackedTask;
  epoch: number;
}

export interface ClaimScope {
  /** Only this task (adopting a stored active task); this owner's own lease counts as free. */
  taskId?: string;
  /**
   * The claim at start. PostgreSQL: this owner's own leases count as free too (a restart under the
   * same INSTANCE_ID takes its tasks back at once, not after the lease time). SQLite, one instance
   * per file: every active task is taken, whoever held it (an earlier process of this bot).
   */
  atStart?: boolean;
}

export interface TaskLeaseRepo {
  /**
   * Leases active tasks nobody holds (never leased, released, or expired), oldest first, at most
   * `limit`. On PostgreSQL a lease whose owner the instance registry counts out (silent for
   * aliveWindowMsFor(grant.ttlMs): ./instances.ts) is free too, though it runs on; an owner the
   * registry never heard from keeps its lease until it runs out. Two claimers at once never get the
   * same task (PostgreSQL: FOR UPDATE SKIP LOCKED). A task taken from another owner (or from none)
   * gets a new epoch; one this owner held keeps its own.
   */
  claim(grant: LeaseGrant, limit: number, scope?: ClaimScope): Promise<LeasedTask[]>;
  /** Extends every active lease this owner holds; returns them with their epochs (a missing one was taken over). */
  renew(grant: LeaseGrant): Promise<Array<{ taskId: string; epoch: number }>>;
  /**
   * The fence before a result is posted: true (and the lease extended by ttlMs) only while `fence`
   * is still the task's owner and epoch and the task is active.
   */
  confirm(taskId: string, fence: LeaseFence, ttlMs: number): Promise<boolean>;
  /** Lets go of every active lease this owner holds (a clean stop): others claim them at once. */
  release(owner: string): Promise<number>;
  /**
   * When the first lease another owner holds on an active task runs out (ms; in the past when one has
   * already), or null when there is none. A live owner renews every third of the lease time, so one
   * due before this owner's next heartbeat belongs to an owner that stopped: the heartbeat claims it
   * then, instead of up to a third of the lease time later.
   */
  nextExpiry(owner: string): Promise<number | null>;
}
