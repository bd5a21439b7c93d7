// The lease keeper's claim on request (claimFreed: the share keeper saw an instance go), over a lease
// repo whose claims answer when the test says: one claim at a time, and a request that comes while one
// runs gets a claim of its own after it, since the running one may have read the registry too early.
import { describe, expect, it } from 'vitest';
import type { LeasedTask, TaskLeaseRepo } from '../../src/store/leases.js';
import { createLeaseKeeper } from '../../src/tracking/leases.js';
import { createManualTime, recordingLog } from './tracker-fakes.js';
import { trackedTask } from './store-contract/world.js';

function keeperWorld() {
  const time = createManualTime();
  /** Claims in flight, answered by `answer`. */
  const pending: Array<(page: LeasedTask[]) => void> = [];
  const claimed: string[][] = [];
  const leases: TaskLeaseRepo = {
    claim: () => new Promise((resolve) => pending.push(resolve)),
    renew: () => Promise.resolve([]),
    confirm: () => Promise.resolve(true),
    release: () => Promise.resolve(0),
    nextExpiry: () => Promise.resolve(null),
  };
  const keeper = createLeaseKeeper({
    store: { tracked: { upsertUnlessActive: () => Promise.resolve(1) }, leases },
    scheduler: time.scheduler,
    clock: time.clock,
    options: { owner: 'bot-a' },
    onClaimed: (page) => claimed.push(page.map((c) => c.task.taskId)),
    onLost: () => undefined,
    trackWork: () => undefined,
    log: recordingLog(() => undefined),
  });
  const answer = async (...taskIds: string[]) => {
    const resolve = pending.shift();
    if (!resolve) throw new Error('no claim in flight');
    resolve(taskIds.map((id) => ({ task: trackedTask(id, time.now()), epoch: 2 })));
    await time.advance(0);
  };
  return { time, keeper, pending, claimed, answer };
}

describe('lease keeper: claimFreed', () => {
  it('claims at once, one claim at a time; a request during a claim gets one more claim after it', async () => {
    const w = keeperWorld();
    const starting = w.keeper.start();
    await w.answer(); // the claim at start finds nothing
    await starting;

    w.keeper.claimFreed();
    w.keeper.claimFreed(); // the same claim
    expect(w.pending).toHaveLength(1);
    w.keeper.claimFreed(); // still running: one more after it, not a second at once
    await w.answer('1700000000000001');
    expect(w.claimed).toEqual([['1700000000000001']]);
    expect(w.pending).toHaveLength(1);
    await w.answer('1700000000000002');
    expect(w.claimed).toEqual([['1700000000000001'], ['1700000000000002']]);
    expect(w.pending).toHaveLength(0);
    expect(w.keeper.held()).toBe(2);

    w.keeper.stop();
    w.keeper.claimFreed(); // stopped: nothing
    expect(w.pending).toHaveLength(0);
  });
});
