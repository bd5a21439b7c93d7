// The finishing cadence (500 ms from 90 %) under a backlog of results: finding a result sooner shows
// it no sooner while the results already waiting take longer than two polls to go out.
import { afterEach, describe, expect, it } from 'vitest';
import { task } from './tracker-fakes.js';
import { closeWorlds, results, setupTracker, target } from './tracker-worlds.js';

afterEach(closeWorlds);

describe('tracker: a task near its end while results are backed up', () => {
  it('is polled at the running interval, and every 500 ms again once the queue is short', async () => {
    // One result a second: 20 finished tasks wait 19 s, far past 6 s (two 3 s polls).
    const w = setupTracker(
      { fastPollMs: 3_000, earlyPollFraction: 0 },
      { discordGlobal: { limit: 1, windowMs: 1_000 } },
    );
    await w.tracker.start();
    // follow() resolves once the task's message is out: these wait for the window, so none is awaited here.
    const follows: Array<Promise<unknown>> = [];
    for (let i = 0; i < 20; i++) {
      const id = `17000000000001${String(i).padStart(2, '0')}`;
      w.mj.tasks.set(id, task(id, 'SUCCESS', '100%'));
      follows.push(w.tracker.follow(id, target(), task(id, 'SUCCESS', '100%')));
    }
    await w.time.advance(100);
    const near = '1700000000000199';
    w.mj.tasks.set(near, task(near, 'IN_PROGRESS', '93%'));
    follows.push(w.tracker.follow(near, target()));
    await w.time.advance(100);
    const polls = () => w.mj.batchCalls.filter((c) => c.includes(near)).length;
    const before = polls();
    await w.time.advance(6_000);
    expect(polls() - before).toBe(2); // at 3 s, not 12 at 500 ms
    // The queue drains at one a second; once it is short again the finishing cadence is back.
    await w.time.advance(20_000);
    expect(results(w)).toHaveLength(20);
    await Promise.all(follows);
    const drained = polls();
    await w.time.advance(3_000);
    expect(polls() - drained).toBe(6);
  });
});
