// Timers are passed in (like the Clock), so the tracker and the publisher run in milliseconds under
// a manual scheduler in tests. The handle is opaque: only the scheduler that made it can clear it.
export type TimerHandle = ReturnType<typeof setTimeout> | number | object;

export interface Scheduler {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemScheduler: Scheduler = {
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
