// The asynchronous work the tracker started and has not seen settle (publishes, result deliveries,
// deletes, push look-ups), so stop() and idle() can wait for it. Work started by work is waited for too.
export class WorkSet {
  private readonly pending = new Set<Promise<unknown>>();

  /** Counts `p` until it settles, and hands it back. */
  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => {});
    return p;
  }

  /** Resolves once nothing tracked is pending, including what settling work started meanwhile. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
