import { describe, expect, it } from 'vitest';
import { createSlidingBudget } from '../../src/tracking/budget.js';
import { createChannelLanes } from '../../src/tracking/channel-lanes.js';
import { createManualTime } from './tracker-fakes.js';

describe('channel lanes: idle channels are forgotten without changing behaviour', () => {
  it('a budget is idle once nothing is in flight and its last operation left the window', () => {
    const budget = createSlidingBudget({ limit: 2, windowMs: 1_000 });
    expect(budget.idle(0)).toBe(true);
    const done = budget.take(0);
    expect(budget.idle(10)).toBe(false);
    done(100);
    expect(budget.idle(1_000)).toBe(false);
    expect(budget.idle(1_101)).toBe(true);
  });

  it('a request still on its way counts until discord.js would have given up on it (15 s), not one window', () => {
    const budget = createSlidingBudget({ limit: 2, windowMs: 1_000 });
    budget.take(0);
    budget.take(0);
    // Slow answers (an overloaded machine): both may still reach Discord, so nothing more starts.
    expect(budget.waitMs(5_000)).toBeGreaterThan(0);
    expect(budget.count(14_999)).toBe(2);
    // Past the REST timeout they are over, answered or not: a hung request frees its place.
    expect(budget.waitMs(15_000)).toBe(0);
  });

  it('counts requests started at the same moment one by one, and a stalled one’s late answer not again', () => {
    const budget = createSlidingBudget({ limit: 3, windowMs: 1_000 });
    const first = budget.take(0);
    const second = budget.take(0);
    const stalled = budget.take(10);
    first(50);
    expect(budget.count(60)).toBe(3); // one in flight at 0, one at 10, one finished at 50
    second(70);
    expect(budget.count(1_060)).toBe(2); // the one finished at 50 left the window
    expect(budget.count(1_071)).toBe(1);
    expect(budget.count(15_010)).toBe(0); // 15 s unanswered: over
    stalled(15_020);
    expect(budget.count(15_030)).toBe(0);
    expect(budget.idle(15_030)).toBe(true);
  });

  it('keeps the budget of a busy channel across sweeps, over thousands of other channels', async () => {
    const time = createManualTime(0);
    const started: Array<{ channel: string; at: number }> = [];
    const queued = new Map<string, number>();
    const lanes = createChannelLanes({
      clock: time.clock,
      scheduler: time.scheduler,
      budgets: {
        global: { limit: 100_000, windowMs: 1_000 },
        channel: { limit: 2, windowMs: 5_000 },
        interactionGlobal: { limit: 100_000, windowMs: 1_000 },
        interaction: { limit: 2, windowMs: 5_000 },
      },
      peek(channelId) {
        const left = queued.get(channelId) ?? 0;
        if (left === 0) return null;
        return {
          cls: 'result',
          start: () => {
            queued.set(channelId, left - 1);
            started.push({ channel: channelId, at: time.now() });
          },
        };
      },
    });
    queued.set('busy', 5);
    lanes.pump('busy');
    // 3,000 other channels pump once each: more than enough to trigger sweeps of idle lanes.
    for (let i = 0; i < 3_000; i++) {
      queued.set(`c${i}`, 1);
      lanes.pump(`c${i}`);
    }
    await time.advance(20_000);
    const busy = started.filter((s) => s.channel === 'busy').map((s) => s.at);
    expect(busy).toHaveLength(5);
    // Never more than 2 per 5 s in the busy channel, sweeps or not.
    for (let i = 2; i < busy.length; i++)
      expect((busy[i] as number) - (busy[i - 2] as number)).toBeGreaterThanOrEqual(5_000);
    expect(started).toHaveLength(3_005);
    expect(time.pendingTimers()).toBe(0);
    lanes.close();
  });
});
