// The click log does not grow forever (R1): clicks older than the retention (7 days, above every
// guard window) are pruned when the bot starts and hourly after, like finished tasks. Driven as a
// restart: a database with a year of old clicks and one from today, then the real bot starts on it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { startHarness, type Harness } from '../support/harness.js';

const DAY = 24 * 3_600_000;
const MEMBER = '1180000000000000300';
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ startBot: false });
  const store = openStore(h.env.DATABASE_PATH!);
  const now = Date.now();
  for (let d = 8; d <= 365; d++)
    await store.clicks.record({
      messageId: `9${d}`.padEnd(18, '0'),
      customId: 'MJ::JOB::upsample::1::x',
      userId: MEMBER,
      at: now - d * DAY,
    });
  await store.clicks.record({ messageId: null, customId: 'imagine', userId: MEMBER, at: now - 3_600_000 });
  expect(await store.clicks.countSince(MEMBER, 0)).toBe(359);
  await store.close();
  await h.startBot();
});
afterAll(async () => {
  await h?.close();
});

it('a bot that starts on a database full of old clicks keeps only the recent ones', async () => {
  await h.quiesce();
  const clicks = h.bot.context.store.clicks;
  expect(await clicks.countSince(MEMBER, 0)).toBe(1);
  expect(await clicks.oldestSince(MEMBER, 0)).toBeGreaterThan(Date.now() - DAY);
});
