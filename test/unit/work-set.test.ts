// The tracker's count of work in flight: stop() and idle() wait on it, so it must see every settle
// (a rejection too) and what settling work starts meanwhile.
import { describe, expect, it } from 'vitest';
import { WorkSet } from '../../src/tracking/work-set.js';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const settledYet = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  return done;
};

describe('WorkSet', () => {
  it('is idle at once with nothing tracked', async () => {
    expect(await settledYet(new WorkSet().idle())).toBe(true);
  });

  it('waits for every tracked promise, resolved or rejected, and hands each back unchanged', async () => {
    const work = new WorkSet();
    const a = deferred();
    const b = deferred();
    expect(work.track(a.promise)).toBe(a.promise);
    const failing = work.track(b.promise).catch((err: Error) => err.message);
    const idle = work.idle();
    a.resolve();
    expect(await settledYet(idle)).toBe(false);
    b.reject(new Error('gone'));
    expect(await settledYet(idle)).toBe(true);
    expect(await failing).toBe('gone');
  });

  it('counts work begun without a promise until its end', async () => {
    const work = new WorkSet();
    const tracked = deferred();
    work.begin();
    void work.track(tracked.promise);
    const idle = work.idle();
    tracked.resolve();
    expect(await settledYet(idle)).toBe(false);
    work.end();
    expect(await settledYet(idle)).toBe(true);
  });

  it('waits for work that settling work started', async () => {
    const work = new WorkSet();
    const first = deferred();
    const second = deferred();
    void work.track(first.promise.then(() => void work.track(second.promise)));
    const idle = work.idle();
    first.resolve();
    expect(await settledYet(idle)).toBe(false);
    second.resolve();
    expect(await settledYet(idle)).toBe(true);
  });
});
