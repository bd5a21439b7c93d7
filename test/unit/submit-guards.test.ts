// The paid-submit guards over the click log: who may click, how often, how many tasks at once, double
// clicks, and the per-button lock; refusals are worded by replies/refusals.ts.
import { describe, expect, it } from 'vitest';
import { createMemoryClickLog } from '../support/memory-click-log.js';
import {
  checkClickAllowed,
  checkRateLimit,
  checkRunningCap,
  checkSubmitBudget,
  findDoubleClick,
  type Clicker,
} from '../../src/submit/guards.js';
import { createKeyedLock } from '../../src/submit/keyed-lock.js';
import type { Config } from '../../src/config/load.js';
import { refusalSentence } from '../../src/replies/refusals.js';
import { ENGLISH } from '../../src/i18n/index.js';

const REQUESTER = '111111111111111111';
const OTHER = '222222222222222222';
const ROLE = '333333333333333333';

const member = (userId: string, extra: Partial<Clicker> = {}): Clicker => ({
  userId,
  roleIds: [],
  canManageGuild: false,
  ...extra,
});
const guards = (over: Partial<Config['guards']> = {}): Config['guards'] => ({
  clickPolicy: 'requester',
  allowedRoleIds: [ROLE],
  clicksPerMinute: 3,
  maxRunningTasksPerMember: 2,
  doubleClickWindowMs: 60_000,
  bannedPromptLimit: 3,
  bannedPromptWindowMs: 86_400_000,
  ...over,
});

describe('checkClickAllowed', () => {
  it("'anyone' lets everyone click", () => {
    expect(checkClickAllowed(guards({ clickPolicy: 'anyone' }), member(OTHER), REQUESTER)).toEqual({ ok: true });
    expect(checkClickAllowed(guards({ clickPolicy: 'anyone' }), member(OTHER), null)).toEqual({ ok: true });
  });

  it("'requester' lets the requester click and refuses others, naming the requester", () => {
    expect(checkClickAllowed(guards(), member(REQUESTER), REQUESTER)).toEqual({ ok: true });
    const refused = checkClickAllowed(guards(), member(OTHER), REQUESTER);
    expect(refused).toMatchObject({ ok: false, reason: 'not_requester' });
    if (!refused.ok) expect(refusalSentence(ENGLISH, refused)).toContain(`<@${REQUESTER}>`);
  });

  it("'requester' with an unknown requester refuses members without an allowed role", () => {
    expect(checkClickAllowed(guards(), member(OTHER), null)).toMatchObject({ ok: false, reason: 'requester_unknown' });
    expect(checkClickAllowed(guards(), member(OTHER, { roleIds: [ROLE] }), null)).toEqual({ ok: true });
  });

  it('members with an allowed role, and server managers, may always click', () => {
    expect(checkClickAllowed(guards(), member(OTHER, { roleIds: ['9', ROLE] }), REQUESTER)).toEqual({ ok: true });
    expect(checkClickAllowed(guards(), member(OTHER, { canManageGuild: true }), REQUESTER)).toEqual({ ok: true });
    expect(checkClickAllowed(guards({ clickPolicy: 'roles' }), member(OTHER, { canManageGuild: true }), null)).toEqual({
      ok: true,
    });
  });

  it("'roles' refuses even the requester without a role", () => {
    expect(checkClickAllowed(guards({ clickPolicy: 'roles' }), member(REQUESTER), REQUESTER)).toMatchObject({
      ok: false,
      reason: 'role_required',
    });
    expect(
      checkClickAllowed(guards({ clickPolicy: 'roles' }), member(REQUESTER, { roleIds: [ROLE] }), REQUESTER),
    ).toEqual({ ok: true });
  });
});

describe('checkRateLimit over the click log', async () => {
  it('allows N submits per rolling minute and says when to retry', async () => {
    const log = createMemoryClickLog();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++)
      await log.record({ messageId: `m${i}`, customId: 'MJ::x', userId: REQUESTER, at: t0 + i * 1000 });
    expect(await checkRateLimit(log, OTHER, t0 + 5000, 3)).toEqual({ ok: true });
    const refused = await checkRateLimit(log, REQUESTER, t0 + 5000, 3);
    expect(refused).toMatchObject({ ok: false, reason: 'rate_limited' });
    if (!refused.ok) expect(refusalSentence(ENGLISH, refused)).toContain('Try again in 55 seconds');
    // The oldest click leaves the window 60 s after it was made.
    expect(await checkRateLimit(log, REQUESTER, t0 + 60_000, 3)).toEqual({ ok: true });
  });

  it('counts refused submits too (each one reached the API), and 0 means unlimited', async () => {
    const log = createMemoryClickLog();
    const id = await log.record({ messageId: 'm', customId: 'MJ::x', userId: REQUESTER, at: 10 });
    await log.fail(id);
    expect((await checkRateLimit(log, REQUESTER, 20, 1)).ok).toBe(false);
    expect((await checkRateLimit(log, REQUESTER, 20, 0)).ok).toBe(true);
  });
});

describe('checkRunningCap and checkSubmitBudget', async () => {
  it('refuses at the cap, and 0 means unlimited', async () => {
    expect(checkRunningCap(1, 2)).toEqual({ ok: true });
    const capped = checkRunningCap(2, 2);
    expect(capped).toMatchObject({ ok: false, reason: 'running_cap', max: 2 });
    if (!capped.ok) expect(refusalSentence(ENGLISH, capped)).toContain('2 tasks running');
    expect(checkRunningCap(50, 0)).toEqual({ ok: true });
  });

  it('checks the rate limit first, then the running cap', async () => {
    const log = createMemoryClickLog();
    expect(await checkSubmitBudget(log, guards(), REQUESTER, 0, 2)).toMatchObject({ ok: false, reason: 'running_cap' });
    for (let i = 0; i < 3; i++) await log.record({ messageId: null, customId: 'imagine', userId: REQUESTER, at: i });
    expect(await checkSubmitBudget(log, guards(), REQUESTER, 10, 2)).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    });
    expect(await checkSubmitBudget(log, guards(), OTHER, 10, 0)).toEqual({ ok: true });
  });
});

describe('findDoubleClick', async () => {
  it('finds the same button of the same message within the window, and nothing else', async () => {
    const log = createMemoryClickLog();
    const id = await log.record({ messageId: 'm1', customId: 'MJ::JOB::upsample::1::u', userId: REQUESTER, at: 1000 });
    await log.complete(id, { childTaskId: '42', followChannelId: 'c', followMessageId: 'p' });
    expect(await findDoubleClick(log, 'm1', 'MJ::JOB::upsample::1::u', 30_000, 60_000)).toMatchObject({
      userId: REQUESTER,
      childTaskId: '42',
      followMessageId: 'p',
      state: 'submitted',
    });
    expect(await findDoubleClick(log, 'm1', 'MJ::JOB::upsample::2::u', 30_000, 60_000)).toBeNull();
    expect(await findDoubleClick(log, 'm2', 'MJ::JOB::upsample::1::u', 30_000, 60_000)).toBeNull();
    expect(await findDoubleClick(log, 'm1', 'MJ::JOB::upsample::1::u', 61_001, 60_000)).toBeNull();
    expect(await findDoubleClick(log, 'm1', 'MJ::JOB::upsample::1::u', 30_000, 0)).toBeNull();
  });

  it('a pending click blocks a repeat; a refused one does not', async () => {
    const log = createMemoryClickLog();
    const pending = await log.record({ messageId: 'm', customId: 'MJ::a', userId: REQUESTER, at: 0 });
    expect(await findDoubleClick(log, 'm', 'MJ::a', 1, 60_000)).toMatchObject({ state: 'pending', childTaskId: null });
    await log.fail(pending);
    expect(await findDoubleClick(log, 'm', 'MJ::a', 1, 60_000)).toBeNull();
  });

  it('the memory log forgets records older than its retention', async () => {
    const log = createMemoryClickLog({ retentionMs: 100 });
    await log.record({ messageId: 'm', customId: 'MJ::a', userId: REQUESTER, at: 0 });
    await log.record({ messageId: 'm', customId: 'MJ::b', userId: REQUESTER, at: 500 });
    expect(await log.countSince(REQUESTER, 0)).toBe(1);
  });
});

describe('createKeyedLock', () => {
  it('runs work for one key one at a time, other keys in parallel, and survives a failure', async () => {
    const lock = createKeyedLock();
    const order: string[] = [];
    let releaseFirst!: () => void;
    const first = lock.run('k', async () => {
      order.push('first:start');
      await new Promise<void>((r) => (releaseFirst = r));
      order.push('first:end');
      throw new Error('boom');
    });
    const second = lock.run('k', async () => {
      order.push('second');
      return 2;
    });
    const other = lock.run('other', async () => {
      order.push('other');
      return 3;
    });
    await expect(other).resolves.toBe(3);
    expect(order).toEqual(['first:start', 'other']);
    releaseFirst();
    await expect(first).rejects.toThrow('boom');
    await expect(second).resolves.toBe(2);
    expect(order).toEqual(['first:start', 'other', 'first:end', 'second']);
    expect(lock.size).toBe(0);
  });
});
