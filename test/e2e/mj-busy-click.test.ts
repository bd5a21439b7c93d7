// A click and a /mjtask look-up that cannot be sent in time, end to end (mj-busy.test.ts has /imagine):
// at one request a second and MJ_TIMEOUT_MS 3 s a member's request may wait 1.5 s for its turn. The
// load is two other members' /mjtask look-ups of finished tasks, which nothing follows afterwards: no
// poll takes a turn, so the turns are known. The first look-up goes at once, the second a second
// later, and a request queued behind them would go two seconds after the first: it is refused unsent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { actionBodies, answerOf, buttonIdWith, requestsFor, showFinishedTask } from './support-clicks.js';
import { expectChinese, zhClick } from './support-zh-cn.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two other members look up finished tasks at once; resolves when the API has the first look-up, so
 * the second holds the next turn. First a second passes: no earlier request still holds a turn.
 */
async function load(h: Harness): Promise<string[]> {
  await sleep(1_050);
  const since = h.mj.requests.length;
  const lookups = [0, 1].map((i) => {
    const id = h.mj.createTask({ status: 'SUCCESS', prompt: `a busy harbour ${i}` });
    const user = h.discord.addMember({ username: `looker${i}` }).id;
    return h.discord.slashCommand({ name: 'mjtask', options: { id }, user }).id;
  });
  await h.discord.waitFor(
    () => h.mj.requests.slice(since).some((r) => r.route === 'fetch'),
    2_000,
    'the first look-up at the API',
  );
  return lookups;
}

describe('a click and a look-up that wait too long for the API are not sent', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({
      env: { ...GUARDS_OFF, MJ_MAX_REQUESTS_PER_SECOND: '1', MJ_TIMEOUT_MS: '3000' },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers a /mjtask look-up it could not send privately: the task was not looked up', async () => {
    const taskId = h.mj.createTask({ status: 'SUCCESS', prompt: 'a harbour at dusk' });
    const loads = await load(h);
    const since = h.mj.requests.length;
    const asked = h.discord.slashCommand({ name: 'mjtask', options: { id: taskId } });
    const answer = await answerOf(h, asked.id);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toBe(
      `⏳ Too many requests are waiting for the Midjourney API right now, so task \`${taskId}\` was not looked up. Try again in a minute.`,
    );
    expect(requestsFor(h, since, taskId)).toEqual([]);
    // The load itself was served: both look-ups shown, in public.
    for (const id of loads) expect((await answerOf(h, id)).ephemeral).toBe(false);
  });

  it('refuses a U1 click unsent in the member’s language and gives back its double-click window and daily place', async () => {
    // One task a day per member, and the 60 s double-click window (the default): a click that kept
    // either would refuse the member's retry.
    const quota = h.discord.slashCommand({
      name: 'mjsettings quota',
      options: { member_per_day: 1 },
      user: h.discord.defaults.adminUserId,
    });
    expect((await answerOf(h, quota.id)).text).toMatch(/^✅ Saved: Member quota/);
    const member = h.discord.addMember({ username: 'clicker' }).id;
    // Shown by the member, who may then click it (CLICK_POLICY requester: the task was started elsewhere).
    const shown = await showFinishedTask(h, { action: 'IMAGINE', prompt: 'a lighthouse' }, member);
    const u1 = buttonIdWith(h, shown, '::upsample::1::');
    await load(h);
    const since = h.mj.requests.length;
    const refused = await zhClick(h, shown, u1, { user: member });
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toBe(
      '⏳ 当前等待发送到 Midjourney API 的请求太多，本次请求未发送（不会扣费）。请一分钟后重试。',
    );
    expectChinese(refused.text);
    expect(actionBodies(h, since)).toEqual([]);

    // The load is over by the time the member tries again (its turn is at most a second away).
    const retry = await zhClick(h, shown, u1, { user: member });
    expect(retry.text).toMatch(/^✅ U1 已提交/);
    expect(actionBodies(h, since)).toEqual([
      expect.objectContaining({ taskId: shown.taskId, customId: expect.stringContaining('::upsample::1::') }),
    ]);
    // The retry holds what the refused click gave back: the window (same button) and the day's place (U2).
    const again = await zhClick(h, shown, u1, { user: member });
    expect(again.text).toMatch(/^🔁 /);
    const u2 = await zhClick(h, shown, buttonIdWith(h, shown, '::upsample::2::'), { user: member });
    expect(u2.text).toMatch(/^📅 /);
    expect(actionBodies(h, since)).toHaveLength(1);
  });
});
