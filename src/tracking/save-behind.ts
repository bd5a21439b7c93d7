// Writes of a task's row that may wait: its last status and progress, the hash of what its message
// shows, the time of its last push. They are gathered per task and written once after `delayMs`, or
// with the task's next write that may not wait (its message id, its result, its phase), whichever
// comes first. Under a burst that is one write per task every few seconds instead of two per state
// change (the state, then the render that showed it): with a PostgreSQL shared by instances, those
// writes were most of the database's work. A crash loses at most `delayMs` of them, and the bot
// mends that by itself: the next poll brings the state back, the next render edits once more.
import type { TrackedTaskPatch } from '../store/tracked-tasks.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface SaveBehindDeps<K> {
  clock: { now(): number };
  scheduler: Scheduler;
  delayMs: number;
  /** Writes what `key` had pending (its time ran out, or flushAll). */
  write(key: K, patch: TrackedTaskPatch): void;
}

export interface SaveBehind<K> {
  /** A patch that may wait: merged into what `key` has pending, written within delayMs. */
  later(key: K, patch: TrackedTaskPatch): void;
  /** What `key` has pending with `patch` over it, no longer pending: the write to issue now. */
  take(key: K, patch: TrackedTaskPatch): TrackedTaskPatch;
  /** Writes everything pending now (idle, stop). */
  flushAll(): void;
  pending(): number;
}

// One timer for every pending write, not one per task (at 10,000 in flight that was 5,600 timers
// and their closures, about 1.5 MB): every write waits the same delayMs, so the map's insertion
// order is the order they fall due in, and the timer only ever needs the first one's time.
export function createSaveBehind<K>(deps: SaveBehindDeps<K>): SaveBehind<K> {
  const waiting = new Map<K, { patch: TrackedTaskPatch; dueAt: number }>();
  let timer: TimerHandle | null = null;
  const write = (key: K, patch: TrackedTaskPatch) => {
    waiting.delete(key);
    deps.write(key, patch);
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
      write(key, entry.patch);
    }
    arm();
  }
  return {
    later(key, patch) {
      const entry = waiting.get(key);
      if (entry) entry.patch = { ...entry.patch, ...patch };
      else waiting.set(key, { patch: { ...patch }, dueAt: deps.clock.now() + deps.delayMs });
      arm();
    },
    take(key, patch) {
      const entry = waiting.get(key);
      if (!entry) return patch;
      // The timer may stay: when it fires with nothing due, it waits for the next one.
      waiting.delete(key);
      return { ...entry.patch, ...patch };
    },
    flushAll() {
      if (timer !== null) deps.scheduler.clearTimeout(timer);
      timer = null;
      for (const [key, entry] of [...waiting]) write(key, entry.patch);
    },
    pending: () => waiting.size,
  };
}
