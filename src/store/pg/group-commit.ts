// Group commit: writes of one kind issued while its statement is in flight wait, and go together in
// the next statement, one per round, each caller answered with its own result or the statement's
// error. Under a burst that is a few statements a second instead of one (and one commit, and one
// pool connection) per write: at 10,000 tasks in flight the pool of 10 waited past its 30 s bound
// when each tracked-task write was its own UPDATE (issue 17).
//
// One statement in flight at a time: it keeps a kind's writes to one connection, so a burst of them
// cannot take the pool from everything else; the next round carries whatever gathered meanwhile.

export interface GroupCommitOptions<W, R> {
  /** At most this many writes in one statement. */
  maxRows: number;
  /** One statement for `batch`: the result of each write, in the order given. */
  run(batch: readonly W[]): Promise<readonly R[]>;
  /**
   * Writes with the same key never share a statement (the later waits for the next round, in call
   * order): a row must be matched by at most one of a statement's rows to report each write rightly.
   */
  keyOf(write: W): string;
  /**
   * What to do when a statement of more than one write failed with `err`: true runs each write alone,
   * so a write that is wrong in itself fails alone, as it would have on its own.
   */
  retryAlone?(err: unknown): boolean;
}

interface Waiting<W, R> {
  write: W;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export type GroupCommit<W, R> = (write: W) => Promise<R>;

export function createGroupCommit<W, R>(options: GroupCommitOptions<W, R>): GroupCommit<W, R> {
  let queue: Array<Waiting<W, R>> = [];
  let busy = false;

  /** The next statement's writes: the oldest ones, one per key, up to maxRows. */
  const takeBatch = (): Array<Waiting<W, R>> => {
    const batch: Array<Waiting<W, R>> = [];
    const rest: Array<Waiting<W, R>> = [];
    const keys = new Set<string>();
    for (const waiting of queue) {
      const key = options.keyOf(waiting.write);
      if (batch.length < options.maxRows && !keys.has(key)) {
        keys.add(key);
        batch.push(waiting);
      } else rest.push(waiting);
    }
    queue = rest;
    return batch;
  };

  const settle = async (batch: ReadonlyArray<Waiting<W, R>>): Promise<void> => {
    try {
      const results = await options.run(batch.map((b) => b.write));
      batch.forEach((b, i) => b.resolve(results[i] as R));
    } catch (err) {
      if (batch.length > 1 && options.retryAlone?.(err)) {
        for (const b of batch) await settle([b]);
        return;
      }
      for (const b of batch) b.reject(err);
    }
  };

  const round = async (): Promise<void> => {
    while (queue.length > 0) await settle(takeBatch());
    busy = false;
  };

  return (write) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ write, resolve, reject });
      if (busy) return;
      busy = true;
      // The first statement waits for this turn's other writes (issued in the same loop, or by the
      // promise callbacks that run before any I/O), so a burst's first round is not a single row.
      setImmediate(() => void round());
    });
}
