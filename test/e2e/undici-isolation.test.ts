// discord.js ships undici 6, the bot depends on undici 7, and both read and fill the same process-wide
// global dispatcher. Whatever fills it first (here: undici 7, before the bot even starts, as a test
// helper or a future import might) must not break the bot's Discord uploads: the result image is
// attached through discord.js's own agent.
import { Agent, setGlobalDispatcher } from 'undici-7';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { imagine, resultsOf } from '../support/tracking-e2e.js';

let h: Harness;
const foreignAgent = new Agent();

beforeAll(async () => {
  setGlobalDispatcher(foreignAgent);
  h = await startHarness({ env: { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' } });
});
afterAll(async () => {
  await h?.close();
  await foreignAgent.close();
});

it('attaches the result image even when undici 7 owns the global dispatcher', async () => {
  const started = await imagine(h, 'a lighthouse at dusk');
  h.mj.clock.advance(120_000); // straight to SUCCESS
  const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 8_000, 'the result message');
  expect(result.attachments).toHaveLength(1);
  expect(result.attachments[0]).toMatchObject({ content_type: 'image/png' });
  // Shown on its own, full size: no embed repeats it.
  expect(JSON.stringify(result.embeds)).not.toContain('attachment');
});
