// The /mjsettings rules as plain data: channel, start and click roles, the daily quota and budget
// around UTC midnight, and the default speed.
import { describe, expect, it } from 'vitest';
import { firstDayOfWindow, nextUtcMidnight, utcDayOf } from '../../src/days.js';
import {
  checkChannel,
  checkClickRole,
  checkDailyLimits,
  checkStartRole,
  remainingToday,
  withDefaultSpeed,
} from '../../src/submit/server-rules.js';

const member = { userId: '3', roleIds: ['10'], canManageGuild: false };
const manager = { userId: '4', roleIds: [], canManageGuild: true };
const noLimits = { memberDailyQuota: null, serverDailyBudget: null };
const LATE = Date.UTC(2026, 11, 2, 23, 59, 59, 999);

describe('days', () => {
  it('names UTC days and their next midnight', () => {
    expect(utcDayOf(LATE)).toBe('2026-12-02');
    expect(utcDayOf(LATE + 1)).toBe('2026-12-03');
    expect(nextUtcMidnight(LATE)).toBe(Date.UTC(2026, 11, 3));
    expect(nextUtcMidnight(Date.UTC(2026, 11, 3))).toBe(Date.UTC(2026, 11, 4));
    expect(firstDayOfWindow(LATE, 1)).toBe('2026-12-02');
    expect(firstDayOfWindow(LATE, 7)).toBe('2026-11-26');
    expect(firstDayOfWindow(LATE, 30)).toBe('2026-11-03');
  });
});

describe('channel', () => {
  const place = { channelId: '200', parentChannelId: null };
  it('allows everywhere when no channel is named', () => {
    expect(checkChannel({ allowedChannelIds: [] }, place).ok).toBe(true);
  });
  it('allows a named channel and its threads, refuses others naming where the bot is', () => {
    expect(checkChannel({ allowedChannelIds: ['200'] }, place).ok).toBe(true);
    expect(checkChannel({ allowedChannelIds: ['201'] }, { channelId: '500', parentChannelId: '201' }).ok).toBe(true);
    expect(checkChannel({ allowedChannelIds: ['201', '202'] }, place)).toEqual({
      ok: false,
      reason: 'channel_not_allowed',
      allowedChannelIds: ['201', '202'],
    });
  });
});

describe('roles', () => {
  it('lets everyone start and click when no role is named', () => {
    expect(checkStartRole({ startRoleIds: [] }, member).ok).toBe(true);
    expect(checkClickRole({ clickRoleIds: [] }, member).ok).toBe(true);
  });
  it('keeps starting and clicking to the named roles, separately; managers pass', () => {
    expect(checkStartRole({ startRoleIds: ['10'] }, member).ok).toBe(true);
    expect(checkStartRole({ startRoleIds: ['11'] }, member)).toEqual({
      ok: false,
      reason: 'start_role_required',
      roleIds: ['11'],
    });
    expect(checkClickRole({ clickRoleIds: ['11', '12'] }, member)).toEqual({
      ok: false,
      reason: 'click_role_required',
      roleIds: ['11', '12'],
    });
    expect(checkClickRole({ clickRoleIds: ['11'] }, manager).ok).toBe(true);
    expect(checkStartRole({ startRoleIds: ['11'] }, manager).ok).toBe(true);
  });
});

describe('daily quota and budget', () => {
  it('allows below the quota and refuses at it, resetting at the next UTC midnight', () => {
    const rules = { memberDailyQuota: 3, serverDailyBudget: null };
    expect(checkDailyLimits(rules, member, { member: 2, server: 50 }, LATE).ok).toBe(true);
    expect(checkDailyLimits(rules, member, { member: 3, server: 50 }, LATE)).toEqual({
      ok: false,
      reason: 'member_quota',
      quota: 3,
      resetsAt: Date.UTC(2026, 11, 3),
    });
  });
  it('exempts managers from the member quota but not from the server budget', () => {
    expect(
      checkDailyLimits({ memberDailyQuota: 1, serverDailyBudget: null }, manager, { member: 9, server: 9 }, LATE).ok,
    ).toBe(true);
    expect(
      checkDailyLimits({ memberDailyQuota: 1, serverDailyBudget: 9 }, manager, { member: 9, server: 9 }, LATE),
    ).toEqual({
      ok: false,
      reason: 'server_budget',
      budget: 9,
      resetsAt: Date.UTC(2026, 11, 3),
    });
  });
  it('a submit of several tasks needs a place for each, and is told how many are left', () => {
    const rules = { memberDailyQuota: 5, serverDailyBudget: 20 };
    expect(checkDailyLimits(rules, member, { member: 1, server: 1 }, LATE, 4).ok).toBe(true);
    expect(checkDailyLimits(rules, member, { member: 2, server: 2 }, LATE, 4)).toEqual({
      ok: false,
      reason: 'member_quota',
      quota: 5,
      resetsAt: Date.UTC(2026, 11, 3),
      wanted: { tasks: 4, left: 3 },
    });
    expect(checkDailyLimits(rules, manager, { member: 9, server: 19 }, LATE, 4)).toEqual({
      ok: false,
      reason: 'server_budget',
      budget: 20,
      resetsAt: Date.UTC(2026, 11, 3),
      wanted: { tasks: 4, left: 1 },
    });
    // Nothing left: the limit is simply used up.
    expect(checkDailyLimits(rules, member, { member: 5, server: 5 }, LATE, 4)).not.toHaveProperty('wanted');
  });
  it('a quota of 0 allows nothing; no limits allow everything', () => {
    expect(
      checkDailyLimits({ memberDailyQuota: 0, serverDailyBudget: null }, member, { member: 0, server: 0 }, LATE).ok,
    ).toBe(false);
    expect(checkDailyLimits(noLimits, member, { member: 1e6, server: 1e6 }, LATE).ok).toBe(true);
  });
  it('says what is left', () => {
    expect(remainingToday({ memberDailyQuota: 5, serverDailyBudget: 10 }, { member: 2, server: 12 })).toEqual({
      member: 3,
      server: 0,
    });
    expect(remainingToday(noLimits, { member: 2, server: 12 })).toEqual({ member: null, server: null });
  });
});

describe('default speed', () => {
  it('is appended to a prompt that names no speed', () => {
    expect(withDefaultSpeed('a fox --ar 3:2', 'relax')).toBe('a fox --ar 3:2 --relax');
    expect(withDefaultSpeed('a fox --turbo', 'relax')).toBe('a fox --turbo');
    expect(withDefaultSpeed('a fox --FAST --v 6', 'relax')).toBe('a fox --FAST --v 6');
    expect(withDefaultSpeed('a fox --fastest', 'relax')).toBe('a fox --fastest --relax');
    expect(withDefaultSpeed('a fox', null)).toBe('a fox');
  });
});
