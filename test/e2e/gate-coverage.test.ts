// Every request the bot makes that Discord counts against its global limit (all but interaction
// callbacks and interaction webhooks) goes through the publisher's request gate: results, progress on
// channel routes, deletes, and the edit that shows a clicked button as used. The gate marks its
// requests (GATED_USER_AGENT_MARK at the end of the User-Agent) and the Discord stand-in records each
// request's User-Agent, so a request sent past the gate (client.rest, interaction.message.edit…) fails here.
import { ButtonStyle } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATED_USER_AGENT_MARK } from '../../src/discord/gated-rest.js';
import type { Harness } from '../support/harness.js';
import { imagine, resultsOf, startTrackingHarness } from '../support/tracking-e2e.js';
import { buttonIdWith, buttonOn, click } from './support-clicks.js';

let h: Harness;

beforeAll(async () => {
  h = await startTrackingHarness({ env: { CLICK_POLICY: 'anyone' } });
});
afterAll(async () => {
  await h?.close();
});

describe('the request gate', () => {
  it('sends every counted request after start: the result, and the clicked button shown as used', async () => {
    const since = h.discord.requests.length;
    const started = await imagine(h, 'a lighthouse at dusk');
    h.mj.clock.advance(10 * 60_000);
    const [result] = await h.discord.waitFor(
      () => (resultsOf(h, started).length > 0 ? resultsOf(h, started) : null),
      5_000,
      'the result',
    );
    const shown = { channelId: started.channelId, messageId: result!.id };
    const u1 = buttonIdWith(h, shown, '::upsample::1::');
    const answer = await click(h, shown, u1);
    expect(answer.text).toMatch(/submitted/);
    await h.discord.waitFor(
      () => buttonOn(h.discord.message(shown.channelId, shown.messageId), u1)?.style === ButtonStyle.Primary,
      5_000,
      'U1 shown as used',
    );

    const counted = h.discord.requests.slice(since).filter((r) => r.countsTowardGlobal);
    const routes = counted.map((r) => `${r.method} ${r.path}`);
    // Not vacuous: the result's create and the mark's edit are among them.
    expect(routes).toContain(`POST /channels/${started.channelId}/messages`);
    expect(routes).toContain(`PATCH /channels/${shown.channelId}/messages/${shown.messageId}`);
    const ungated = counted.filter((r) => !r.userAgent.endsWith(GATED_USER_AGENT_MARK));
    expect(ungated.map((r) => `${r.method} ${r.path} (${r.userAgent})`)).toEqual([]);
  });
});
