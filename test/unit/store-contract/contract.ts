// The store contract, one suite for every backend: describeStoreContract(name, open) runs it against
// the stores `open` gives (test/unit/store-contract.test.ts runs it on SQLite and on PostgreSQL).
import { describe } from 'vitest';
import { describeClickLog } from './clicks.js';
import { describeTaskOwners } from './owners.js';
import { describeTaskLeases } from './leases.js';
import { describeGuildSettings } from './settings.js';
import { describeTrackedTasks } from './tracked.js';
import { describeUsageLog } from './usage.js';
import type { OpenStore } from './world.js';

export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`store contract: ${name}`, () => {
    describeTrackedTasks(open);
    describeTaskLeases(open);
    describeGuildSettings(open);
    describeClickLog(open);
    describeTaskOwners(open);
    describeUsageLog(open);
  });
}
