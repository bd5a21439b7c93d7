// One run per key at a time: a second caller while the first runs gets the first one's promise.
export class OncePerKey<T> {
  private readonly running = new Map<string, Promise<T>>();

  has(key: string): boolean {
    return this.running.has(key);
  }

  run(key: string, start: () => Promise<T>): Promise<T> {
    let running = this.running.get(key);
    if (!running) {
      running = start().finally(() => this.running.delete(key));
      this.running.set(key, running);
    }
    return running;
  }
}
