// Plays a scenario's plan in real time: each planned /imagine dispatched at its moment, then waits
// until every started task's result is shown or the tail after the last planned SUCCESS is over.
// Shared by the one-bot scenarios (bot-run.ts) and the cluster (cluster-run.ts).
import { createMjStandIn, type DialectName, type MjStandIn } from '../test/support/mj/index.js';
import type { BotObserver } from './bot-observer.js';
import { indexOfPrompt, queuedMsFor, type BotScenarioSpec, type PlannedBotTask } from './bot-plan.js';
import { PROGRESS_STEPS } from './scenario.js';

export interface PlayHooks {
  /** Dispatches one planned task's /imagine (through the Discord stand-in's gateway). */
  dispatch(task: PlannedBotTask): void;
  /** Tasks the bot has started so far, and results still to show (the observer's figures). */
  started(): number;
  resultsLeft(): number;
  /** Called with the scenario's start (epoch ms) just before the first dispatch. */
  onStart(startedAt: number): void;
  /** Called about every 20 ms while dispatching and every 250 ms while waiting, with ms since the start. */
  onTick?(elapsedMs: number): void | Promise<void>;
}

/** Resolves with when the run stopped (epoch ms). */
export async function playPlan(
  spec: Pick<BotScenarioSpec, 'tailMs'>,
  plan: readonly PlannedBotTask[],
  hooks: PlayHooks,
): Promise<number> {
  const startedAt = Date.now();
  hooks.onStart(startedAt);
  let next = 0;
  while (next < plan.length) {
    const elapsed = Date.now() - startedAt;
    while (next < plan.length && plan[next]!.submitAtMs <= elapsed) hooks.dispatch(plan[next++]!);
    await hooks.onTick?.(elapsed);
    await sleep(20);
  }
  const lastSuccess = Math.max(...plan.map((t) => startedAt + (t.successAtMs ?? t.submitAtMs + t.queuedMs + t.runMs)));
  const stopBy = lastSuccess + spec.tailMs;
  const lastSubmit = Date.now();
  while (Date.now() < stopBy) {
    // A task whose /imagine was never answered (its instance gone) does not hold the run past 30 s.
    const everyoneStarted = hooks.started() === plan.length || Date.now() > lastSubmit + 30_000;
    if (everyoneStarted && hooks.resultsLeft() === 0) break;
    await hooks.onTick?.(Date.now() - startedAt);
    await sleep(250);
  }
  return Date.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Midjourney stand-in in real time, giving each planned task (known by its prompt) its planned
 * timeline when the bot submits it, and telling the observer when it was created.
 */
export function createPlannedMjStandIn(o: {
  plan: readonly PlannedBotTask[];
  observer: Pick<BotObserver, 'created'>;
  /** The scenario's start (epoch ms), once playPlan has begun. */
  startedAt: () => number;
  dialect: DialectName | null;
  onCreated?: (task: PlannedBotTask, queuedMs: number) => void;
  /** Keep the stand-in's request log (for a trace of where the time goes). Default false. */
  logRequests?: boolean;
}): Promise<MjStandIn> {
  return createMjStandIn({
    ...(o.dialect ? { dialect: o.dialect } : { authStyle: 'both' as const }),
    clock: { now: () => Date.now() },
    logRequests: o.logRequests ?? false,
    timeline: { queuedStatus: 'SUBMITTED', progressSteps: [...PROGRESS_STEPS], outcome: 'SUCCESS' },
    taskOptionsFor: (prompt, now) => {
      const index = indexOfPrompt(prompt);
      const task = index === null ? undefined : o.plan[index];
      if (!task) return undefined;
      const queuedMs = queuedMsFor(task, o.startedAt(), now);
      o.observer.created(task.index, now, queuedMs);
      o.onCreated?.(task, queuedMs);
      return { timeline: { queuedMs, runMs: task.runMs } };
    },
  });
}
