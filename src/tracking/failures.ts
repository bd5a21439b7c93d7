// A tracker step that fails is logged and the tracker goes on: one task's fault (a store write, a
// render) must not stop the others.
import type { EventLog } from '../log.js';

function logFailed(log: EventLog, step: string, err: unknown): void {
  log.error({ event: 'tracker.failed', step, err }, `tracker: ${step} failed`);
}

/** Runs `fn`, logging what it throws. */
export function logThrown(log: EventLog, step: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    logFailed(log, step, err);
  }
}

/** `running`, with what it rejects with logged rather than passed on. */
export function logRejected(log: EventLog, step: string, running: Promise<unknown>): Promise<void> {
  return running.then(
    () => undefined,
    (err: unknown) => logFailed(log, step, err),
  );
}
