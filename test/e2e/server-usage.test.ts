// /mjusage end to end against a known history: days seeded in the store before the bot's clock's
// today, plus today's submits and a quota refusal driven the way Discord would. A server manager sees
// the server (per member, per day, by action, refusals and why) for today, 7 and 30 days; a member sees
// their own usage and what is left of their quota; another member's usage is for managers only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextUtcMidnight, utcDayOf } from '../../src/days.js';
import type { UsageEvent } from '../../src/store/usage.js';
import type { Harness } from '../support/harness.js';
import { createOffsetClock, imagine, startTrackingHarness, type OffsetClock } from '../support/tracking-e2e.js';
import { answerOf } from './support-clicks.js';

const DAY = 86_400_000;

async function privateAnswer(h: Harness, name: string, options: Record<string, string | number>, user: string) {
  const interaction = h.discord.slashCommand({ name, options, user });
  const answer = await answerOf(h, interaction.id);
  expect(answer.ephemeral, 'the answer is private').toBe(true);
  return answer.text;
}

describe('/mjusage', () => {
  let h: Harness;
  let clock: OffsetClock;
  let alice: string;
  let bob: string;
  let admin: string;
  const today = () => utcDayOf(clock.now());
  const dayBefore = (n: number) => utcDayOf(clock.now() - n * DAY);

  beforeAll(async () => {
    clock = createOffsetClock();
    // Noon UTC on the bot's clock, so the test never straddles a midnight.
    const now = Date.now();
    clock.advance(Math.floor(now / DAY) * DAY + DAY / 2 - now);
    h = await startTrackingHarness({ clock });
    alice = h.discord.defaults.userId;
    admin = h.discord.defaults.adminUserId;
    bob = h.discord.addMember({ username: 'bob' }).id;
    const guildId = h.discord.defaults.guildId;
    const past = (daysAgo: number, userId: string, action: string, outcome: UsageEvent['outcome'], rule?: string) =>
      h.bot.context.store.usage.record({
        guildId,
        userId,
        at: clock.now() - daysAgo * DAY,
        action,
        outcome,
        ...(rule ? { rule } : {}),
      });
    // The known history before today.
    await past(3, alice, 'imagine', 'started');
    await past(3, alice, 'imagine', 'started');
    await past(3, alice, 'upscale', 'started');
    await past(2, bob, 'imagine', 'started');
    await past(2, bob, 'imagine', 'refused', 'member_quota');
    await past(2, bob, 'imagine', 'rejected', 'banned_prompt');
    for (let i = 0; i < 5; i++) await past(10, alice, 'variation', 'started');
    await past(40, alice, 'imagine', 'started');
    await past(1, alice, 'imagine', 'started');
    await h.bot.context.store.usage.record({
      guildId: '999999999999999999',
      userId: alice,
      at: clock.now(),
      action: 'imagine',
      outcome: 'started',
    });
    // Today: a quota of 3; Alice starts 3, Bob 1, Alice's 4th is refused.
    await privateAnswer(h, 'mjsettings quota', { member_per_day: 3, server_per_day: 50 }, admin);
    await imagine(h, 'one', { user: alice });
    await imagine(h, 'two', { user: alice });
    await imagine(h, 'three', { user: alice });
    await imagine(h, 'bob one', { user: bob });
    expect(await privateAnswer(h, 'imagine', { prompt: 'four' }, alice)).toMatch(
      /^📅 You have used your daily quota of 3 tasks/,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows a manager the last 7 days: totals, by day, per member with actions and refusals', async () => {
    const text = await privateAnswer(h, 'mjusage', {}, admin);
    expect(text.split('\n')).toEqual([
      `📊 **Usage in this server, the last 7 days (${dayBefore(6)} – ${today()}, UTC)**`,
      '**9** started (/imagine 8, Upscale 1) · **2** refused (daily quota 2) · **1** refused by the API (banned prompt 1)',
      `By day: ${dayBefore(3).slice(5)} **3** · ${dayBefore(2).slice(5)} **1** · ${dayBefore(1).slice(5)} **1** · ${today().slice(5)} **4**`,
      '**Members** (most started first)',
      `• <@${alice}>: **7** started (/imagine 6, Upscale 1) · **1** refused (daily quota 1)`,
      `• <@${bob}>: **2** started (/imagine 2) · **1** refused (daily quota 1) · **1** refused by the API (banned prompt 1)`,
      'Member quota: 3 per day.',
      `Server budget today: **4** of 50 used, 46 left; resets at <t:${nextUtcMidnight(clock.now()) / 1000}:f> (<t:${nextUtcMidnight(clock.now()) / 1000}:R>).`,
    ]);
  });

  it('today and 30 days count their own window', async () => {
    const todayText = await privateAnswer(h, 'mjusage', { period: '1' }, admin);
    expect(todayText).toContain(`**Usage in this server, today (${today()}, UTC)**`);
    expect(todayText).toContain(`• <@${alice}>: **3** started (/imagine 3) · **1** refused (daily quota 1)`);
    expect(todayText).toContain(`• <@${bob}>: **1** started (/imagine 1)`);
    expect(todayText).not.toContain('By day');
    const month = await privateAnswer(h, 'mjusage', { period: '30' }, admin);
    expect(month).toContain(`• <@${alice}>: **12** started (/imagine 6, Variation 5, Upscale 1)`);
  });

  it('shows a member their own usage and what is left of their quota', async () => {
    const midnight = nextUtcMidnight(clock.now()) / 1000;
    const text = await privateAnswer(h, 'mjusage', {}, alice);
    expect(text).toContain('📊 **Your usage in this server, the last 7 days');
    expect(text).toContain('**7** started (/imagine 6, Upscale 1) · **1** refused (daily quota 1)');
    expect(text).toContain(
      `Today: **3** of 3 daily tasks used, **0** left; resets at <t:${midnight}:f> (<t:${midnight}:R>).`,
    );
    const bobs = await privateAnswer(h, 'mjusage', { period: '1' }, bob);
    expect(bobs).toContain('Today: **1** of 3 daily tasks used, **2** left');
  });

  it("keeps another member's usage to managers", async () => {
    expect(await privateAnswer(h, 'mjusage', { member: alice }, bob)).toMatch(
      /^🔒 Only members with the Manage Server permission can see other members' usage/,
    );
    const text = await privateAnswer(h, 'mjusage', { member: bob }, admin);
    expect(text).toContain(`📊 **Usage of <@${bob}> in this server, the last 7 days`);
    expect(text).toContain('**2** started (/imagine 2)');
  });
});
