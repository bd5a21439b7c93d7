// Writes of a task's row that may wait: its last status and progress, the hash of what its message
// shows, the time of its last push. They are gathered per task and written once after `delayMs`, or
// with the task's next write that may not wait (its message id, its result, its phase), whichever
// comes first. Under a burst that is one write per task every few seconds instead of two per state
// change (the state, then the render that showed it): with a PostgreSQL shared by instances, those
// writes were most of the database's work. A crash loses at most `delayMs` of them, and the bot
// mends that by itself: the next poll brings the state back, the next render edits once more.
//
// A task has at most one of these writes in flight: one that falls due while the task's last write
// is still out waits for that one to end, then goes. When the database falls behind (a PostgreSQL
// shared by instances, at 10,000 in flight), each task keeps one patch object waiting instead of a
// queued write per delayMs, each held by its chain of awaiting callers (about 4.6 KB apiece in a
// heap snapshot: 9,000 of them, 41 MB, at the peak).
import type { TrackedTaskPatch } from '../store/tracked-tasks.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface SaveBehindDeps<K> {
  clock: { now(): number };
  scheduler: Scheduler;
  delayMs: number;
  /** Writes what `key` had pending (its time ran out, or flushAll); a promise while it is in flight. */
  write(key: K, patch: TrackedTaskPatch): Promise<unknown> | void;
}

export interface SaveBehind<K> {
  /** A patch that may wait: merged into what `key` has pending, written within delayMs. */
  later(key: K, patch: TrackedTaskPatch): void;
  /** What `key` has pending with `patch` over it, no longer pending: the write to issue now. */
  take(key: K, patch: TrackedTaskPatch): TrackedTaskPatch;
  /** A write of `key` issued elsewhere (one that may not wait) is in flight until `done` settles. */
  issued(key: K, done: Promise<unknown>): void;
  /** Writes everything pending now (idle, stop). */
  flushAll(): void;
  pending(): number;
}

// One timer for every pending write, not one per task (at 10,000 in flight that was 5,600 timers
// and their closures, about 1.5 MB): every write waits the same delayMs, so the map's insertion
// order is the order they fall due in, and the timer only ever needs the first one's time.
export function createSaveBehind<K>(deps: SaveBehindDeps<K>): SaveBehind<K> {
  const waiting = new Map<K, { patch: TrackedTaskPatch; dueAt: number }>();
  /** Due while the key's last write was in flight: written when it ends. */
  const afterWrite = new Map<K, TrackedTaskPatch>();
  /** Writes in flight per key (this module's and issued() ones). */
  const inFlight = new Map<K, number>();
  let timer: TimerHandle | null = null;
  const issued = (key: K, done: Promise<unknown>) => {
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
    const settled = () => {
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left > 0) return void inFlight.set(key, left);
      inFlight.delete(key);
      const next = afterWrite.get(key);
      if (next !== undefined) write(key, next);
    };
    done.then(settled, settled);
  };
  const write = (key: K, patch: TrackedTaskPatch) => {
    waiting.delete(key);
    afterWrite.delete(key);
    const done = deps.write(key, patch);
    if (done) issued(key, done);
  };
  const arm = () => {
    const first = waiting.values().next();
    if (timer !== null || first.done) return;
    timer = deps.scheduler.setTimeout(flushDue, first.value.dueAt - deps.clock.now());
  };
  function flushDue(): void {
    timer = null;
    const now = deps.clock.now();
    for (const [key, entry] of waiting) {
      if (entry.dueAt > now) break;
      if (!inFlight.has(key)) write(key, entry.patch);
      else {
        waiting.delete(key);
        afterWrite.set(key, entry.patch);
      }
    }
    arm();
  }
  return {
    later(key, patch) {
      const due = afterWrite.get(key);
      if (due !== undefined) return void afterWrite.set(key, { ...due, ...patch });
      const entry = waiting.get(key);
      if (entry) entry.patch = { ...entry.patch, ...patch };
      else waiting.set(key, { patch: { ...patch }, dueAt: deps.clock.now() + deps.delayMs });
      arm();
    },
    take(key, patch) {
      const pending = waiting.get(key)?.patch ?? afterWrite.get(key);
      if (pending === undefined) return patch;
      // The timer may stay: when it fires with nothing due, it waits for the next one.
      waiting.delete(key);
      afterWrite.delete(key);
      return { ...pending, ...patch };
    },
    issued,
    flushAll() {
      if (timer !== null) deps.scheduler.clearTimeout(timer);
      timer = null;
      for (const [key, patch] of [...afterWrite]) write(key, patch);
      for (const [key, entry] of [...waiting]) write(key, entry.patch);
    },
    pending: () => waiting.size + afterWrite.size,
  };
}
