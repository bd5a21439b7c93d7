// The asynchronous work the tracker started and has not seen settle (publishes, result deliveries,
// deletes, push look-ups), so stop() and idle() can wait for it. Work started by work is waited for too.
// A count, not a set of the promises: a running task has a publish pending at almost every moment, and
// at 10,000 tasks a set entry with a finally() and a catch() chain on each was 3–4 MB of the heap
// (two promises, two closures and a context per task); one shared handler costs one reaction.
export class WorkSet {
  private pending = 0;
  private waiters: Array<() => void> = [];
  private readonly settled = (): void => {
    if (--this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  };

  /** Counts `p` until it settles, and hands it back. */
  track<T>(p: Promise<T>): Promise<T> {
    this.pending++;
    p.then(this.settled, this.settled);
    return p;
  }

  /** Counts work that reports its end through end() rather than a promise. */
  begin(): void {
    this.pending++;
  }

  /** The end of work counted by begin(). */
  end(): void {
    this.settled();
  }

  /** Resolves once nothing tracked is pending, including what settling work started meanwhile. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}
