// A paid submit that cannot even be sent in time, end to end: every request to the API waits in the
// bot's one budget (MJ_MAX_REQUESTS_PER_SECOND, at most 16 out at once), and a member's request that
// cannot start within half of MJ_TIMEOUT_MS is not sent at all. The member is told at once that
// nothing was sent nor charged, in their language, and the click gives its place back: the same member
// can start it again as soon as the API has room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { answerOf } from './support-clicks.js';
import { runCommand, submitsSince } from './support-new-tasks.js';
import { expectChinese, ZH } from './support-zh-cn.js';

describe('a submit that waits too long for the API is not sent', () => {
  let h: Harness;
  beforeAll(async () => {
    // One request a second, and a 3 s timeout: a member's request may wait 1.5 s for its turn.
    h = await startTrackingHarness({
      env: { ...GUARDS_OFF, MJ_MAX_REQUESTS_PER_SECOND: '1', MJ_TIMEOUT_MS: '3000' },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the third of three /imagine at once (its turn 2 s away) is refused unsent, in the member’s language', async () => {
    const [first, second, third] = [0, 1, 2].map((i) => h.discord.addMember({ username: `painter${i}` }).id);
    const since = h.mj.requests.length;
    const asked = [
      h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a lighthouse at dawn' }, user: first! }),
      h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a lighthouse at noon' }, user: second! }),
      h.discord.slashCommand({
        name: 'imagine',
        options: { prompt: 'a lighthouse at night' },
        user: third!,
        locale: ZH,
      }),
    ];
    const [a, b, c] = await Promise.all(asked.map((i) => answerOf(h, i.id)));
    expect(a!.text).toMatch(/^✅ \/imagine submitted/);
    expect(b!.text).toMatch(/^✅ \/imagine submitted/);
    expect(c!.text).toBe('⏳ 当前等待发送到 Midjourney API 的请求太多，本次请求未发送（不会扣费）。请一分钟后重试。');
    expectChinese(c!.text);
    // Two submits reached the API; the third never left the bot.
    expect(submitsSince(h, since).map((r) => (r.body as { prompt: string }).prompt)).toEqual([
      'a lighthouse at dawn',
      'a lighthouse at noon',
    ]);
  });

  it('gives the refused click its place back: the same member starts it again once the API has room', async () => {
    const member = h.discord.addMember({ username: 'patient' }).id;
    const hurried = h.discord.addMember({ username: 'hurried' }).id;
    // Two at once again: the second waits one turn (1 s, within its 1.5 s), the English sentence for a third.
    const one = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a red kite' }, user: hurried });
    const two = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a blue kite' }, user: hurried });
    const three = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a green kite' }, user: member });
    const answers = await Promise.all([one, two, three].map((i) => answerOf(h, i.id)));
    expect(answers[2]!.text).toBe(
      '⏳ Too many requests are waiting for the Midjourney API right now, so this one was not sent (nothing was charged). Try again in a minute.',
    );
    // Nothing held: no double-click window, no running task, no daily place; a second later it goes.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await runCommand(h, 'imagine', { prompt: 'a green kite' }, member);
    expect(again.text).toMatch(/^✅ \/imagine submitted/);
  });
});
