// What every contract test needs: stores opened on the backend under test (each a fresh, migrated
// database), a clock the test moves, and every store closed after the test.
import { afterEach, beforeEach } from 'vitest';
import type { Clock } from '../../../src/clock.js';
import type { Store } from '../../../src/store/store.js';
import type { TrackedTask } from '../../../src/store/tracked-tasks.js';

/** Opens an empty store of one backend on `clock`. */
export type OpenStore = (clock: Clock) => Promise<Store>;

/** Opens two stores of one backend on one empty database: two instances sharing it. */
export type OpenPair = (clock: Clock) => Promise<[Store, Store]>;

export interface ContractWorld {
  /** An empty, ready store. */
  open(): Promise<Store>;
  /** Two ready stores on one empty database (needs `openPair`). */
  openPair(): Promise<[Store, Store]>;
  /** The stores' clock, ms; tests move it. */
  now: number;
}

export function contractWorld(openStore: OpenStore, start = 1_700_000_000_000, pair?: OpenPair): ContractWorld {
  const opened: Store[] = [];
  const world: ContractWorld = {
    now: start,
    async open() {
      const store = await openStore({ now: () => world.now });
      opened.push(store);
      await store.ready();
      return store;
    },
    async openPair() {
      if (!pair) throw new Error('this world opens no pair of stores');
      const stores = await pair({ now: () => world.now });
      opened.push(...stores);
      await Promise.all(stores.map((s) => s.ready()));
      return stores;
    },
  };
  beforeEach(() => {
    world.now = start;
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  return world;
}

export function trackedTask(taskId: string, startedAt: number, extra: Partial<TrackedTask> = {}): TrackedTask {
  return {
    taskId,
    guildId: '100000000000000001',
    channelId: '200000000000000001',
    messageId: null,
    requesterId: '300000000000000001',
    origin: 'click',
    startedAt,
    lastStatus: '',
    lastProgress: '',
    lastPushAt: null,
    lastRenderHash: null,
    resultMessageId: null,
    phase: 'active',
    locale: null,
    submittedCustomId: null,
    progressInteractionId: null,
    ...extra,
  };
}
