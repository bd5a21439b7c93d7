// Runs async work one at a time per key. Two clicks on the same button of the same message arrive
// within milliseconds; the second waits for the first to finish, then finds it in the click log and
// can point at the task it started instead of answering "in flight".

export interface KeyedLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Keys with work queued or running (for tests and diagnostics). */
  readonly size: number;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const current = previous.then(work, work);
      // The stored tail never rejects, so a failed run does not poison the next one.
      const tail = current.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      try {
        return await current;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    get size() {
      return tails.size;
    },
  };
}
