// The store contract, one suite for every backend: describeStoreContract(name, open) runs it against
// the stores `open` (and `openPair`) give (test/unit/store-contract.test.ts runs it on SQLite and on PostgreSQL).
import { describe } from 'vitest';
import { describeClickLog } from './clicks.js';
import { describeConcurrentWrites } from './concurrent-writes.js';
import { describeTaskOwners } from './owners.js';
import { describeTaskLeases } from './leases.js';
import { describeGuildSettings } from './settings.js';
import { describeTrackedTasks } from './tracked.js';
import { describeUsageLog } from './usage.js';
import { describeUsageClicks } from './usage-clicks.js';
import { describeUsageFound } from './usage-found.js';
import { describeUsageReservations } from './usage-reservations.js';
import type { OpenPair, OpenStore } from './world.js';

/** `openPair`: two stores on one database, for what instances sharing it must get right together. */
export function describeStoreContract(name: string, open: OpenStore, openPair: OpenPair): void {
  describe(`store contract: ${name}`, () => {
    describeTrackedTasks(open);
    describeTaskLeases(open);
    describeConcurrentWrites(open);
    describeGuildSettings(open);
    describeClickLog(open);
    describeTaskOwners(open);
    describeUsageLog(open);
    describeUsageReservations(open, openPair);
    describeUsageClicks(open, openPair);
    describeUsageFound(open, openPair);
  });
}
