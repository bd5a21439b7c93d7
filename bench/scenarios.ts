// The scenarios of issue 14's targets, at full size and at a tiny size (the smoke test and quick tries).
import type { DialectName } from '../test/support/mj/index.js';
import type { BotScenarioSpec } from './bot-plan.js';

/** Rate limit and running cap off: the scenario's members start more tasks than the defaults allow one member. */
export const GUARDS_OFF = { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' };

export const DIALECTS: readonly DialectName[] = ['newapi', 'fork', 'plus', 'nzk'];

export type Size = 'full' | 'tiny';

/** 200 tasks over 20 channels, every one reaching SUCCESS within the same 2 s. */
export function burstScenario(size: Size): BotScenarioSpec {
  const tiny = size === 'tiny';
  return {
    name: 'burst',
    kind: 'burst',
    tasks: tiny ? 6 : 200,
    channels: tiny ? 2 : 20,
    members: tiny ? 2 : 20,
    seed: 14,
    dialect: null,
    // Under the default Midjourney budget (10 requests/s, submits first): ~7 submits a second.
    rampMs: tiny ? 1_000 : 30_000,
    queuedMs: [0, 0],
    runMs: tiny ? [2_000, 3_000] : [14_000, 20_000],
    finish: { atMs: tiny ? 6_000 : 60_000, windowMs: 2_000 },
    env: GUARDS_OFF,
    tailMs: tiny ? 15_000 : 60_000,
  };
}

/**
 * N tasks in flight, 10 per channel at most. Up to a few thousand: queued 0–30 s, running 30–90 s,
 * started over 20 s. At 10,000 the tasks are started over 100 s (100 /imagine a second) and live
 * 100–170 s (queued 30–60 s, as behind a busy account, then running 70–110 s), so that all of them
 * are in flight together once the last has started: started over 40 s with the shorter lives, the
 * first had finished before the last began (4,373 at most in flight at `fa7e87a`), and 250 /imagine a
 * second is more than one Node process's core carries (the bot's busiest 5 s is in the report).
 */
export function inflightScenario(n: number, size: Size): BotScenarioSpec {
  const tiny = size === 'tiny';
  const large = !tiny && n >= 5_000;
  return {
    name: `N=${n}`,
    kind: 'inflight',
    tasks: n,
    channels: Math.max(1, Math.min(n, 1_000)),
    members: Math.min(n, 100),
    seed: n,
    dialect: null,
    rampMs: tiny ? 1_000 : large ? 100_000 : 20_000,
    queuedMs: tiny ? [0, 1_000] : large ? [30_000, 60_000] : [0, 30_000],
    runMs: tiny ? [3_000, 5_000] : large ? [70_000, 110_000] : [30_000, 90_000],
    finish: null,
    // 10,000 submits in 100 s need more than the default 10 requests/s towards the API.
    env: { ...GUARDS_OFF, MJ_MAX_REQUESTS_PER_SECOND: '1000' },
    tailMs: tiny ? 15_000 : 90_000,
  };
}

/** Default settings against each real server's profile: 20 tasks by 10 members in 2 channels. */
export function dialectScenario(dialect: DialectName, size: Size): BotScenarioSpec {
  const tiny = size === 'tiny';
  return {
    name: dialect,
    kind: 'dialect',
    tasks: tiny ? 2 : 20,
    channels: 2,
    members: tiny ? 2 : 10,
    seed: 100 + DIALECTS.indexOf(dialect),
    dialect,
    rampMs: tiny ? 500 : 10_000,
    queuedMs: tiny ? [1_000, 2_000] : [3_000, 10_000],
    runMs: tiny ? [3_000, 4_000] : [14_000, 21_000],
    finish: null,
    env: {},
    // new-api shows a change only on its next refresh (every 15 s).
    tailMs: dialect === 'newapi' ? 30_000 : 15_000,
  };
}
