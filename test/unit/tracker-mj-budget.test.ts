// The shared Midjourney request budget under a manual clock: at most N requests a second and a few
// out at once, members' requests before background ones, a member's request that cannot start in time
// never sent, and every request paused after a 429.
import { describe, expect, it } from 'vitest';
import type { MjApi } from '../../src/mj/api.js';
import { MjApiError } from '../../src/mj/errors.js';
import type { MjTask } from '../../src/mj/schema.js';
import { createMjBudget } from '../../src/tracking/mj-budget.js';
import { createManualTime, task } from './tracker-fakes.js';

/** An MjApi that records when each call reached it, and answers 429 while `limited` says so. */
function recordingApi(time: { now(): number }, limited: (n: number) => number | null = () => null) {
  const calls: Array<{ at: number; what: string }> = [];
  const answer = (what: string): Promise<MjTask[]> => {
    calls.push({ at: time.now(), what });
    const retryAfterMs = limited(calls.length);
    if (retryAfterMs !== null)
      return Promise.reject(new MjApiError('rate_limited', 'HTTP 429', { status: 429, retryAfterMs }));
    return Promise.resolve([task(what, 'IN_PROGRESS', '10%')]);
  };
  const api: MjApi = {
    fetchTask: async (id) => (await answer(`fetch ${id}`))[0] as MjTask,
    fetchTasks: (ids) => answer(`list ${ids.join(',')}`),
    submitAction: () => answer('action').then(() => ({ code: 1, description: '', result: '1', properties: {} })),
    submitModal: () => answer('modal').then(() => ({ code: 1, description: '', result: '1', properties: {} })),
    submitImagine: () => answer('imagine').then(() => ({ code: 1, description: '', result: '1', properties: {} })),
    submitDescribe: () => Promise.reject(new Error('not used')),
    submitBlend: () => Promise.reject(new Error('not used')),
    submitShorten: () => Promise.reject(new Error('not used')),
    submitVideo: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  };
  return { api, calls };
}

/** An MjApi whose every call waits until the test answers it: what is out at once is visible. */
function heldApi() {
  const out: Array<{ what: string; answer: () => void }> = [];
  const hold = <T>(what: string, value: T): Promise<T> =>
    new Promise<T>((resolve) => out.push({ what, answer: () => resolve(value) }));
  const submitted = { code: 1, description: '', result: '1', properties: {} };
  const notUsed = () => Promise.reject(new Error('not used'));
  const api: MjApi = {
    fetchTask: (id) => hold(`fetch ${id}`, task(id, 'IN_PROGRESS', '10%')),
    fetchTasks: (ids) => hold(`list ${ids.join(',')}`, [] as MjTask[]),
    submitAction: () => hold('action', submitted),
    submitModal: () => hold('modal', submitted),
    submitImagine: (req) => hold(`imagine ${req.prompt}`, submitted),
    submitDescribe: notUsed,
    submitBlend: notUsed,
    submitShorten: notUsed,
    submitVideo: notUsed,
    close: () => Promise.resolve(),
  };
  /** Answers the oldest call out whose name starts with `prefix`. */
  const answer = (prefix: string) => {
    const at = out.findIndex((c) => c.what.startsWith(prefix));
    out.splice(at, 1)[0]!.answer();
  };
  return { api, out, answer };
}

/** A budget of `maxPerSecond` over a recording API, with `n` polls queued at once ('list 0' …). */
function pollsQueued(maxPerSecond: number, n: number) {
  const time = createManualTime();
  const { api, calls } = recordingApi(time);
  const budget = createMjBudget(api, { maxPerSecond, clock: time.clock, scheduler: time.scheduler });
  const polls = Array.from({ length: n }, (_, i) => budget.background.fetchTasks([`${i}`]));
  return { time, calls, budget, polls };
}

describe('Midjourney request budget', () => {
  it('lets at most maxPerSecond requests through each second in any one-second window', async () => {
    const time = createManualTime();
    const { api, calls } = recordingApi(time);
    const budget = createMjBudget(api, { maxPerSecond: 5, clock: time.clock, scheduler: time.scheduler });
    const start = time.now();
    const all = Array.from({ length: 12 }, (_, i) => budget.background.fetchTasks([`${i}`]));
    await time.flush();
    expect(calls).toHaveLength(5);
    await time.advance(1_000);
    expect(calls).toHaveLength(10);
    await time.advance(1_000);
    expect(calls).toHaveLength(12);
    await Promise.all(all);
    // Never more than 5 in any 1 s window.
    for (const c of calls)
      expect(calls.filter((d) => d.at >= c.at && d.at < c.at + 1_000).length).toBeLessThanOrEqual(5);
    expect(calls[5]!.at - start).toBe(1_000);
    expect(budget.waiting()).toBe(0);
  });

  it('follows a new rate (its part of the cluster’s): smaller from the requests of the last second, larger at once', async () => {
    const { time, calls, budget, polls: all } = pollsQueued(10, 30);
    await time.flush();
    expect(calls).toHaveLength(10);
    await time.advance(500);
    budget.setMaxPerSecond(4); // a second instance joined
    expect(budget.maxPerSecond()).toBe(4);
    await time.advance(499);
    expect(calls).toHaveLength(10);
    await time.advance(1);
    expect(calls).toHaveLength(14);
    await time.advance(1_000);
    expect(calls).toHaveLength(18);
    await time.advance(100);
    budget.setMaxPerSecond(10); // it left: the 4 of the last second leave 6 free now
    await time.flush();
    expect(calls).toHaveLength(24);
    await time.advance(2_000);
    await Promise.all(all);
    expect(calls).toHaveLength(30);
    for (const c of calls)
      expect(calls.filter((d) => d.at >= c.at && d.at < c.at + 1_000).length).toBeLessThanOrEqual(10);
    budget.setMaxPerSecond(0);
    expect(budget.maxPerSecond()).toBe(1);
  });

  it('serves a member’s submit before background requests queued earlier', async () => {
    const { time, calls, budget, polls } = pollsQueued(2, 6);
    await time.flush();
    expect(calls.map((c) => c.what)).toEqual(['list 0', 'list 1']);
    const submit = budget.member.submitImagine({ prompt: 'paid' });
    await time.advance(1_000);
    // The next free slot goes to the member's submit, ahead of the four polls queued before it.
    expect(calls.map((c) => c.what).slice(0, 3)).toEqual(['list 0', 'list 1', 'imagine']);
    await time.advance(3_000);
    await Promise.all([submit, ...polls]);
    expect(calls.map((c) => c.what).slice(3)).toEqual(['list 2', 'list 3', 'list 4', 'list 5']);
  });

  it('pauses every request after a 429: for its Retry-After, else a wait that doubles while 429s go on', async () => {
    const time = createManualTime();
    // The 1st answer says "retry after 5 s", the 2nd and 3rd have no Retry-After; then it recovers.
    const { api, calls } = recordingApi(time, (n) => (n === 1 ? 5_000 : n <= 3 ? 0 : null));
    const budget = createMjBudget(api, { maxPerSecond: 100, clock: time.clock, scheduler: time.scheduler });
    const start = time.now();
    await expect(budget.background.fetchTasks(['a'])).rejects.toMatchObject({ kind: 'rate_limited' });
    // Settled as a value at once: the rejection lands while the clock moves, before any await sees it.
    const second = budget.member.submitImagine({ prompt: 'x' }).catch((err: unknown) => err);
    await time.advance(4_999);
    expect(calls).toHaveLength(1);
    await time.advance(1);
    expect(await second).toMatchObject({ kind: 'rate_limited' });
    expect(calls[1]!.at - start).toBe(5_000);
    // No Retry-After: the pause doubles (1 s, then 2 s... the first 429 already used 1 s, so 2 s now).
    const third = budget.background.fetchTasks(['c']).catch((err: unknown) => err);
    await time.advance(1_999);
    expect(calls).toHaveLength(2);
    await time.advance(1);
    expect(await third).toMatchObject({ kind: 'rate_limited' });
    const fourth = budget.background.fetchTasks(['d']);
    await time.advance(4_000);
    await expect(fourth).resolves.toHaveLength(1);
    expect(calls[3]!.at - calls[2]!.at).toBe(4_000);
    // Recovered: the next request goes at once.
    const fifth = budget.background.fetchTasks(['e']);
    await time.flush();
    expect(calls).toHaveLength(5);
    await fifth;
  });

  it('keeps at most maxInFlight requests out, polls at most backgroundInFlight, members in the rest', async () => {
    const time = createManualTime();
    const { api, out, answer } = heldApi();
    const budget = createMjBudget(api, {
      maxPerSecond: 1_000,
      maxInFlight: 4,
      backgroundInFlight: 2,
      clock: time.clock,
      scheduler: time.scheduler,
    });
    const polls = Array.from({ length: 5 }, (_, i) => budget.background.fetchTasks([`${i}`]));
    await time.flush();
    // Polls stop at their own share, leaving places for members.
    expect(out.map((c) => c.what)).toEqual(['list 0', 'list 1']);
    const submits = Array.from({ length: 4 }, (_, i) => budget.member.submitImagine({ prompt: `p${i}` }));
    await time.flush();
    expect(out.map((c) => c.what)).toEqual(['list 0', 'list 1', 'imagine p0', 'imagine p1']);
    expect(budget.inFlight()).toBe(4);
    expect(budget.waiting()).toBe(5);
    // A place given back goes to the member who waits, ahead of the polls queued before them.
    answer('list 0');
    await time.flush();
    expect(out.map((c) => c.what)).toEqual(['list 1', 'imagine p0', 'imagine p1', 'imagine p2']);
    answer('imagine');
    answer('imagine');
    await time.flush();
    expect(out.map((c) => c.what)).toEqual(['list 1', 'imagine p2', 'imagine p3', 'list 2']);
    while (out.length > 0) {
      answer('');
      await time.flush();
      expect(budget.inFlight()).toBeLessThanOrEqual(4);
    }
    await Promise.all([...polls, ...submits]);
    expect(budget.inFlight()).toBe(0);
  });

  it('fails a member’s request that could not start within memberWaitMs as busy, without sending it', async () => {
    const time = createManualTime();
    const { api, out, answer } = heldApi();
    const budget = createMjBudget(api, {
      maxPerSecond: 1_000,
      maxInFlight: 1,
      memberWaitMs: 15_000,
      clock: time.clock,
      scheduler: time.scheduler,
    });
    const first = budget.member.submitImagine({ prompt: 'first' });
    const late = budget.member.submitImagine({ prompt: 'late' }).catch((err: unknown) => err);
    await time.advance(14_999);
    expect(out.map((c) => c.what)).toEqual(['imagine first']);
    await time.advance(1);
    expect(await late).toMatchObject({ kind: 'busy' });
    // Its place in the queue is gone: the next request takes the freed place, the late one never went.
    const next = budget.member.submitImagine({ prompt: 'next' });
    answer('imagine first');
    await time.flush();
    expect(out.map((c) => c.what)).toEqual(['imagine next']);
    answer('imagine next');
    await Promise.all([first, next]);
    expect(time.pendingTimers()).toBe(0);
  });

  it('does not count a pause the API asked for (429) against a member’s wait', async () => {
    const time = createManualTime();
    const { api, calls } = recordingApi(time, (n) => (n === 1 ? 5_000 : null));
    const budget = createMjBudget(api, {
      maxPerSecond: 100,
      memberWaitMs: 1_000,
      clock: time.clock,
      scheduler: time.scheduler,
    });
    await expect(budget.background.fetchTasks(['a'])).rejects.toMatchObject({ kind: 'rate_limited' });
    const submit = budget.member.submitImagine({ prompt: 'patient' });
    await time.advance(5_000);
    await expect(submit).resolves.toMatchObject({ code: 1 });
    expect(calls.map((c) => c.what)).toEqual(['list a', 'imagine']);
    expect(time.pendingTimers()).toBe(0);
  });

  it('counts a member’s wait from the end of a pause it waited through, not from when it queued', async () => {
    const time = createManualTime();
    const held = heldApi();
    const api: MjApi = {
      ...held.api,
      fetchTasks: () =>
        Promise.reject(new MjApiError('rate_limited', 'HTTP 429', { status: 429, retryAfterMs: 1_000 })),
    };
    const budget = createMjBudget(api, {
      maxPerSecond: 100,
      maxInFlight: 1,
      memberWaitMs: 1_000,
      clock: time.clock,
      scheduler: time.scheduler,
    });
    await expect(budget.background.fetchTasks(['a'])).rejects.toMatchObject({ kind: 'rate_limited' });
    const first = budget.member.submitImagine({ prompt: 'first' });
    await time.advance(100);
    const second = budget.member.submitImagine({ prompt: 'second' }).catch((err: unknown) => err);
    // The pause is over as the first's bound runs out: it takes the only place, not a refusal.
    await time.advance(900);
    expect(held.out.map((c) => c.what)).toEqual(['imagine first']);
    // The second queued 1,500 ms ago, but 900 of them were the API's pause: 600 ms of its bound used.
    await time.advance(600);
    held.answer('imagine first');
    await time.flush();
    expect(held.out.map((c) => c.what)).toEqual(['imagine second']);
    held.answer('imagine second');
    await expect(first).resolves.toMatchObject({ code: 1 });
    await expect(second).resolves.toMatchObject({ code: 1 });
    expect(time.pendingTimers()).toBe(0);
  });

  it('close() releases whatever waits, so shutdown never hangs on the budget', async () => {
    const time = createManualTime();
    const { api, calls } = recordingApi(time);
    const budget = createMjBudget(api, { maxPerSecond: 1, clock: time.clock, scheduler: time.scheduler });
    const waiting = [budget.background.fetchTasks(['1']), budget.background.fetchTasks(['2'])];
    await time.flush();
    expect(calls).toHaveLength(1);
    budget.close();
    await Promise.all(waiting);
    expect(calls).toHaveLength(2);
    expect(time.pendingTimers()).toBe(0);
  });
});
