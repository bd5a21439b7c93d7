// Waiting on stand-in state without sleeps: predicates are re-checked on every recorded request or
// gateway event, plus a 10 ms poll for state that changes elsewhere (the bot's own stores, read
// through their asynchronous contract: a predicate may return a Promise).
import type { StandInCore } from './core.js';

export interface Waiter {
  waitFor<T>(
    predicate: () => T | Promise<T>,
    timeoutMs: number,
    what: string,
  ): Promise<Exclude<T, false | null | undefined | 0 | ''>>;
  /** Rejects every pending wait (on close), so no timer outlives the stand-in. */
  cancelAll(): void;
}

export function createWaiter(core: StandInCore): Waiter {
  const pending = new Set<(reason: Error) => void>();
  let closed = false;

  const recent = () =>
    core.requests
      .slice(-5)
      .map((r) => `${r.method} ${r.path} → ${r.status}`)
      .join('; ') || 'none';

  return {
    waitFor<T>(predicate: () => T | Promise<T>, timeoutMs: number, what: string) {
      type Result = Exclude<T, false | null | undefined | 0 | ''>;
      if (closed) return Promise.reject(new Error('stand-in: closed'));
      return new Promise<Result>((resolve, reject) => {
        let finished = false;
        // One check at a time: an asynchronous predicate still running is not asked again meanwhile.
        let checking = false;
        const finish = () => {
          finished = true;
          clearInterval(poll);
          clearTimeout(timer);
          unsubscribe();
          pending.delete(cancel);
        };
        const settle = (value: T) => {
          if (finished || !value) return;
          finish();
          resolve(value as Result);
        };
        const fail = (error: unknown) => {
          if (finished) return;
          finish();
          reject(error instanceof Error ? error : new Error(String(error)));
        };
        const check = () => {
          if (finished || checking) return;
          try {
            const value = predicate();
            if (!(value instanceof Promise)) return settle(value);
            checking = true;
            void value.then(settle, fail).finally(() => (checking = false));
          } catch (error) {
            fail(error);
          }
        };
        const cancel = (reason: Error) => {
          finish();
          reject(reason);
        };
        const poll = setInterval(check, 10);
        const timer = setTimeout(
          () =>
            cancel(
              new Error(`stand-in: timed out after ${timeoutMs} ms waiting for ${what} (last requests: ${recent()})`),
            ),
          timeoutMs,
        );
        const unsubscribe = core.onChange(check);
        pending.add(cancel);
        check();
      });
    },
    cancelAll() {
      closed = true;
      for (const cancel of [...pending]) cancel(new Error('stand-in: closed while waiting'));
    },
  };
}
