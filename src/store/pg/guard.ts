// The write-fault guard for the PostgreSQL repositories, as store.ts's is for SQLite: every named
// write method's storage fault becomes a StoreWriteError and a log line; anything else is rethrown.
import type { Logger } from '../../log.js';
import { StoreWriteError } from '../errors.js';
import { pgFaultCode, pgWriteFaultReason } from './errors.js';

export type AsyncWriter = <T>(operation: string, run: () => Promise<T>) => Promise<T>;

export function createAsyncWriter(log: Logger | undefined): AsyncWriter {
  return async (operation, run) => {
    try {
      return await run();
    } catch (err) {
      const reason = pgWriteFaultReason(err);
      if (!reason) throw err;
      const failure = new StoreWriteError(reason, operation, pgFaultCode(err));
      log?.error({ event: 'store.write_failed', reason, operation, code: failure.code }, failure.message);
      throw failure;
    }
  };
}

/** The same repository with the named methods run through `write`. */
export function guardAsyncWrites<T extends object>(
  name: string,
  target: T,
  methods: ReadonlyArray<keyof T & string>,
  write: AsyncWriter,
): T {
  const guarded = { ...target } as Record<string, unknown>;
  for (const method of methods) {
    const original = target[method] as (...args: unknown[]) => Promise<unknown>;
    guarded[method] = (...args: unknown[]) => write(`${name}.${method}`, () => original.apply(target, args));
  }
  return guarded as T;
}
