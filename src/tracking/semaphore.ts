// A counting semaphore: at most `limit` holders at once; waiters served by priority (lower first),
// in arrival order within a priority.
export interface Semaphore {
  run<T>(fn: () => Promise<T>, priority?: number): Promise<T>;
}

export function createSemaphore(limit: number): Semaphore {
  const max = Math.max(1, Math.floor(limit));
  let active = 0;
  const queue: Array<{ priority: number; go: () => void }> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next.go();
    else active--;
  };
  return {
    async run(fn, priority = 0) {
      if (active < max) active++;
      else
        await new Promise<void>((go) => {
          let at = queue.length;
          while (at > 0 && (queue[at - 1] as { priority: number }).priority > priority) at--;
          queue.splice(at, 0, { priority, go });
        });
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
