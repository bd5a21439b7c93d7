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
  scheduler: Scheduler;
  delayMs: number;
  /** Writes what `key` had pending (its timer ran out, or flushAll). */
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

export function createSaveBehind<K>(deps: SaveBehindDeps<K>): SaveBehind<K> {
  const waiting = new Map<K, { patch: TrackedTaskPatch; timer: TimerHandle }>();
  const flush = (key: K) => {
    const entry = waiting.get(key);
    if (!entry) return;
    waiting.delete(key);
    deps.write(key, entry.patch);
  };
  return {
    later(key, patch) {
      const entry = waiting.get(key);
      if (entry) entry.patch = { ...entry.patch, ...patch };
      else waiting.set(key, { patch: { ...patch }, timer: deps.scheduler.setTimeout(() => flush(key), deps.delayMs) });
    },
    take(key, patch) {
      const entry = waiting.get(key);
      if (!entry) return patch;
      deps.scheduler.clearTimeout(entry.timer);
      waiting.delete(key);
      return { ...entry.patch, ...patch };
    },
    flushAll() {
      for (const [key, entry] of [...waiting]) {
        deps.scheduler.clearTimeout(entry.timer);
        flush(key);
      }
    },
    pending: () => waiting.size,
  };
}
