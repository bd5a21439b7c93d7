// Runs the calls for one key one after another, in call order; other keys run alongside. A call that
// fails does not stop the ones after it. Keys are forgotten once their last call is over.
export type KeyedChain = <T>(key: string, run: () => Promise<T>) => Promise<T>;

export function createKeyedChain(): KeyedChain {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const next = previous.then(run);
    const tail = next.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return next;
  };
}
