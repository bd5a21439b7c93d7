// Drives the request gates (request-gate.ts) with real timers: one lane per Discord channel, all of
// them under one gate for the routes that count against Discord's global limit, and lanes of
// interaction webhooks (keys from interactionLane()) under a second gate of their own, since Discord
// does not count those against the global limit. The lanes do not know what they send: `peek(lane)`
// names the job a lane would start next and its class (already ordered by priority, with skippable
// work dropped); the gate decides which lane goes, and when. One timer per gate wakes it when its
// windows free up; a 429 pauses the lane it came from.
import type { Clock } from '../clock.js';
import type { BudgetOptions } from './budget.js';
import type { BucketReport, RouteMethod } from './reported-bucket.js';
import { createRequestGate, type RequestClass, type RequestGate, type RequestGateCounts } from './request-gate.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface LaneJob {
  cls: RequestClass;
  /** Dequeues and starts the job; called only when the gate allows it. Resolves once the request is over. */
  start(): Promise<unknown> | void;
}

export interface ChannelLanes {
  /** Tells the gate what waits in this lane now and starts whatever the gates allow. */
  pump(lane: string): void;
  /** No job starts in this lane for `ms` (Discord answered 429). */
  pause(lane: string, ms: number): void;
  /** Discord's rate-limit headers on an answer in this lane: they decide when its next requests go. */
  observe(lane: string, method: RouteMethod, report: BucketReport): void;
  /** From now on the channel routes of all channels together hold `limit` per window (this instance's share). */
  setGlobalLimit(limit: number): void;
  /** Clears every timer; pump() does nothing afterwards. */
  close(): void;
  /** What the channel gate counts now (requests in its window, lanes waiting, requests started). */
  counts(): { channels: RequestGateCounts; interactions: RequestGateCounts };
}

export interface LaneBudgets {
  /** Requests on channel routes, all channels together, in any window. Default 45 per 1 s. */
  global: BudgetOptions;
  /** Per channel. Default 5 per 5 s. */
  channel: BudgetOptions;
  /** Interaction webhook requests, all tokens together (not counted by Discord's global limit). */
  interactionGlobal: BudgetOptions;
  /** Per interaction token. */
  interaction: BudgetOptions;
}

const INTERACTION_PREFIX = 'i:';
/** The lane of an interaction's webhook (its follow-ups and their edits). */
export const interactionLane = (interactionId: string): string => INTERACTION_PREFIX + interactionId;
export const isInteractionLane = (lane: string): boolean => lane.startsWith(INTERACTION_PREFIX);

interface GateDriver {
  gate: RequestGate;
  timer: TimerHandle | null;
  timerAt: number;
}

export function createChannelLanes(deps: {
  clock: Clock;
  scheduler: Scheduler;
  budgets: LaneBudgets;
  peek(lane: string): LaneJob | null;
}): ChannelLanes {
  const channels: GateDriver = {
    gate: createRequestGate({ global: deps.budgets.global, lane: deps.budgets.channel }),
    timer: null,
    timerAt: Infinity,
  };
  // No results go through interaction webhooks: nothing to keep room for.
  const interactions: GateDriver = {
    gate: createRequestGate({
      global: deps.budgets.interactionGlobal,
      lane: deps.budgets.interaction,
      globalReserve: 0,
      laneReserve: 0,
    }),
    timer: null,
    timerAt: Infinity,
  };
  const driverOf = (lane: string) => (isInteractionLane(lane) ? interactions : channels);
  let closed = false;
  let pumps = 0;
  /** Pumps between sweeps: a sweep walks every lane, so its cost spreads over this many pumps. */
  const SWEEP_EVERY = 1_024;

  const tell = (driver: GateDriver, lane: string) => driver.gate.setWaiting(lane, deps.peek(lane)?.cls ?? null);

  const wakeIn = (driver: GateDriver, ms: number) => {
    const at = deps.clock.now() + ms;
    if (driver.timer !== null && driver.timerAt <= at) return;
    if (driver.timer !== null) deps.scheduler.clearTimeout(driver.timer);
    driver.timerAt = at;
    driver.timer = deps.scheduler.setTimeout(() => {
      driver.timer = null;
      driver.timerAt = Infinity;
      drain(driver);
    }, ms);
  };

  function drain(driver: GateDriver): void {
    while (!closed) {
      const now = deps.clock.now();
      const decision = driver.gate.next(now);
      if (decision.kind === 'idle') return;
      if (decision.kind === 'wait') return wakeIn(driver, decision.ms);
      const job = deps.peek(decision.lane);
      if (!job || job.cls !== decision.cls) {
        driver.gate.setWaiting(decision.lane, job?.cls ?? null); // changed meanwhile: ask again
        continue;
      }
      const finished = driver.gate.take(decision.lane, job.cls, now);
      void Promise.resolve(job.start())
        .catch(() => undefined)
        .finally(() => {
          finished(deps.clock.now());
          pump(decision.lane);
        });
      tell(driver, decision.lane);
    }
  }

  function pump(lane: string): void {
    if (closed) return;
    const driver = driverOf(lane);
    if (++pumps % SWEEP_EVERY === 0) {
      channels.gate.sweep(deps.clock.now());
      interactions.gate.sweep(deps.clock.now());
    }
    tell(driver, lane);
    drain(driver);
  }

  return {
    pump,
    pause(lane, ms) {
      driverOf(lane).gate.pause(lane, deps.clock.now() + Math.max(0, ms));
    },
    observe(lane, method, report) {
      driverOf(lane).gate.observe(lane, method, report, deps.clock.now());
    },
    setGlobalLimit(limit) {
      channels.gate.setGlobalLimit(limit);
      drain(channels); // a larger share may let waiting requests start now
    },
    close() {
      closed = true;
      for (const driver of [channels, interactions]) {
        if (driver.timer !== null) deps.scheduler.clearTimeout(driver.timer);
        driver.timer = null;
      }
    },
    counts: () => ({
      channels: channels.gate.counts(deps.clock.now()),
      interactions: interactions.gate.counts(deps.clock.now()),
    }),
  };
}
