// /blend end to end on every dialect (all four have /submit/blend): 2–5 attached images downloaded and
// sent as data URLs with the dimensions, the BLEND task followed to a grid result mentioning the member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import type { DialectName } from '../support/mj/index.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { customIdsOn, sentState } from './support-clicks.js';
import { bodiesOf, dataUrlOf, jpeg, png, resultFrom, runCommand } from './support-new-tasks.js';

describe.each<DialectName>(['nzk', 'fork', 'plus', 'newapi'])('/blend on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, env: GUARDS_OFF });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends the images and the dimensions, and follows the grid to its result', async () => {
    const member = h.discord.addMember({ username: 'mixer' }).id;
    const [a, b] = [png('a.png'), jpeg('b.jpg')];
    const since = h.mj.requests.length;
    const answer = await runCommand(h, 'blend', { image1: a, image2: b, dimensions: 'LANDSCAPE' }, member);
    expect(answer.text).toMatch(/^✅ \/blend submitted — following it in <#\d+>/);
    expect(bodiesOf(h, 'blend', since)).toEqual([
      {
        base64Array: [dataUrlOf(a, 'image/png'), dataUrlOf(b, 'image/jpeg')],
        dimensions: 'LANDSCAPE',
        state: sentState(h, member),
      },
    ]);
    const result = await resultFrom(h, answer.text);
    expect(result.content.split('\n')[0]).toContain(`- <@${member}>`);
    expect(customIdsOn(result).length).toBeGreaterThanOrEqual(9);
  });
});
