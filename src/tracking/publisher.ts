// TaskUpdates → Discord messages. What waits and in which order is channel-queue.ts (per task the
// latest state wins; per channel results, then first progress messages, then deletes, then edits);
// what one request does and what its answer means is message-writer.ts. This file paces them through
// the request gate (request-gate.ts, driven by channel-lanes.ts): every channel request of the bot
// under one global window (default 45 per 1 s, under Discord's 50) and a budget per channel (default
// 5 per 5 s, each request counted until a window after it is over), best class first across all
// channels, so a burst of tasks never draws a 429 and results never wait behind progress. The
// publisher never writes to the store: it returns outcomes, and the tracker records them in the
// order that makes crashes harmless. A task started by a member's interaction shows its progress
// through that interaction's webhook while the token lives (InteractionRoute): those requests wait in
// the interaction's own lane under the second gate (Discord does not count them against the global
// limit), so the task's only channel request is its result; past the token's time the channel
// routes take over the same message.
import { systemClock, type Clock } from '../clock.js';
import { noLog, type EventLog } from '../log.js';
import type { ImageDownloader } from '../media/image-download.js';
import { DEFAULT_CHANNEL_BUDGET, type BudgetOptions } from './budget.js';
import { createChannelLanes, interactionLane, isInteractionLane, type LaneJob } from './channel-lanes.js';
import { DEFAULT_INTERACTION_REQUESTS_PER_SECOND, DEFAULT_MAX_REQUESTS_PER_SECOND } from '../config/discord-limits.js';
import { createCloseSignal } from './close-signal.js';
import { ChannelQueue } from './channel-queue.js';
import type { MessageSlot, QueuedUpdate } from './message-slot.js';
import { createImagePrefetch, createMessageWriter, createSafeRenderer } from './message-writer.js';
import type { ChannelMessenger, InteractionMessenger } from './messenger.js';
import type { RenderFn } from './payloads.js';
import { systemScheduler, type Scheduler } from './scheduler.js';
import type { Publisher, PublishOutcome, TaskUpdate } from './types.js';

export type { Publisher } from './types.js';

export interface PublisherOptions {
  /** Per-channel budget; at most Discord's bucket (5 / 5 s per channel). Default 5 / 5 s. */
  budget?: BudgetOptions;
  /** Every channel request together (Discord's global limit is 50 / s). Default 45 / 1 s. */
  global?: BudgetOptions;
  /**
   * Every interaction webhook request together (not counted by Discord's global limit, so not held to
   * `global`). Default 200 / 1 s.
   */
  interactionGlobal?: BudgetOptions;
  /**
   * Parallel image downloads. Default 8: a burst of results over 20 channels needs 100 images for
   * the first 5 s window (at ≤ 10 MB each, 80 MB in flight at most).
   */
  downloadConcurrency?: number;
}

export interface PublisherDeps {
  messenger: ChannelMessenger;
  /** Progress through members' interaction webhooks (updates that carry `via`); without it, channel routes only. */
  interactions?: InteractionMessenger;
  /** Usually `renderTask` from src/render/task-message.ts. */
  render: RenderFn;
  /** Downloads SUCCESS images to attach them; without it results link the image URL. */
  images?: ImageDownloader;
  /** Time of the budget. Discord's buckets run on real time, so keep the defaults outside unit tests. */
  clock?: Clock;
  /** The bot's clock, which InteractionRoute.usableUntil is read on (default: `clock`). */
  tokenClock?: Clock;
  scheduler?: Scheduler;
  options?: PublisherOptions;
  log?: EventLog;
}

export function createPublisher(deps: PublisherDeps): Publisher {
  const clock = deps.clock ?? systemClock;
  const imageFor = createImagePrefetch(deps.images, deps.options?.downloadConcurrency ?? 8);
  const log = deps.log ?? noLog;
  const renderer = createSafeRenderer(deps.render, log);
  const interactions = deps.interactions;
  const tokenClock = deps.tokenClock ?? clock;
  const viaLive = (slot: MessageSlot) =>
    interactions !== undefined && slot.via !== null && tokenClock.now() < slot.via.usableUntil;
  // Results always go through the channel: they mention the member, and must outlive any token.
  const laneOf = (slot: MessageSlot, cls: string) =>
    cls !== 'result' && viaLive(slot) ? interactionLane(slot.via!.interactionId) : slot.channelId;
  const queue = new ChannelQueue(renderer.progressHash, laneOf);
  let inFlight = 0;
  let closed = false;
  const idleWaiters: Array<() => void> = [];
  const closing = createCloseSignal();

  const nextJobFor = (lane: string): LaneJob | null => {
    for (;;) {
      const job = queue.nextJobFor(lane);
      if (!job) return null;
      if (job.kind === 'lookup') {
        const start = () => {
          const lookup = queue.takeLookup(lane);
          return runCounted(lane, lookup.channelId, null, () => writer.runLookup(lane, lookup));
        };
        return { cls: job.cls, start };
      }
      if (job.kind === 'removal') {
        const start = () => {
          const removal = queue.takeRemoval(lane);
          return runCounted(lane, removal.channelId, null, () => writer.runRemoval(lane, removal));
        };
        return { cls: job.cls, start };
      }
      const { slot } = job;
      const throughInteraction = isInteractionLane(lane);
      if (throughInteraction && !viaLive(slot)) {
        // The token is past its time: the slot waits in its channel now, in the same class.
        slot.via = null;
        queue.relane(slot);
        queueMicrotask(() => lanes.pump(slot.channelId));
        continue;
      }
      const via = throughInteraction ? slot.via : null;
      const start = () =>
        runCounted(lane, slot.channelId, slot, () => writer.runUpdate(slot, queue.takeUpdate(slot), via));
      return { cls: job.cls, start };
    }
  };
  const channel = deps.options?.budget ?? DEFAULT_CHANNEL_BUDGET;
  const global = deps.options?.global ?? { limit: DEFAULT_MAX_REQUESTS_PER_SECOND, windowMs: 1_000 };
  const lanes = createChannelLanes({
    clock,
    scheduler: deps.scheduler ?? systemScheduler,
    budgets: {
      global,
      channel,
      interactionGlobal: deps.options?.interactionGlobal ?? {
        limit: DEFAULT_INTERACTION_REQUESTS_PER_SECOND,
        windowMs: 1_000,
      },
      interaction: channel,
    },
    peek: nextJobFor,
  });
  // Results the global window lets out per ms: this instance's share once the cluster sets one.
  let resultsPerMs = global.limit / global.windowMs;
  const pause = (lane: string, ms: number) => lanes.pause(lane, ms);
  // Discord's own count of each channel's bucket, once it has answered there (the lane is the channel).
  deps.messenger.watchBuckets?.((channelId, method, report) => lanes.observe(channelId, method, report));
  const writer = createMessageWriter({
    messenger: deps.messenger,
    ...(interactions ? { interactions } : {}),
    renderer,
    queue,
    pause,
    clock: tokenClock,
    log,
  });

  const isIdle = () => inFlight === 0 && queue.isEmpty();
  const checkIdle = () => isIdle() && idleWaiters.splice(0).forEach((w) => w());

  /**
   * Counts a job as in flight until it is over, then lets its lane and its channel go on (what follows
   * may wait in the other: a result after progress through the interaction), or drops deletes when closing.
   */
  async function runCounted(
    lane: string,
    channelId: string,
    slot: MessageSlot | null,
    job: () => Promise<void>,
  ): Promise<void> {
    inFlight++;
    if (slot) slot.inFlight = true;
    try {
      await job();
    } catch (err) {
      log.error({ event: 'publisher.failed', err }, 'publisher operation failed unexpectedly');
    } finally {
      inFlight--;
      if (slot) queue.settleSlot(slot, closed);
      if (closed) {
        queue.dropRemovals(lane);
        queue.dropRemovals(channelId);
      } else {
        lanes.pump(lane);
        if (channelId !== lane) lanes.pump(channelId);
      }
      checkIdle();
    }
  }

  function enqueue(slot: MessageSlot, queued: QueuedUpdate): void {
    queue.enqueue(slot, queued);
    lanes.pump(slot.readyIn !== null ? slot.readyLane : slot.channelId);
  }

  function offerProgress(update: TaskUpdate, settled: (outcome: PublishOutcome) => void): void {
    if (closed) return settled({ kind: 'retry' });
    const slot = queue.slotFor(update);
    if (!queue.isCurrent(slot)) return settled({ kind: 'gone' });
    enqueue(slot, { update, waiters: [settled] });
  }

  return {
    async publish(update) {
      if (!update.final) return new Promise<PublishOutcome>((resolve) => offerProgress(update, resolve));
      if (closed) return { kind: 'retry' };
      const slot = queue.slotFor(update);
      await closing.race(imageFor(slot, update));
      if (closed) return { kind: 'retry' };
      if (!queue.isCurrent(slot)) return { kind: 'gone' };
      return new Promise<PublishOutcome>((resolve) => {
        const finishedAt = update.task.finishTime ?? clock.now();
        enqueue(slot, { update, waiters: [resolve], finishedAt });
      });
    },
    offerProgress,
    removeProgress(channelId, messageId) {
      if (closed) return Promise.resolve(false);
      // Deleted through the interaction's webhook while its token lives (not counted against the global limit).
      const via = queue.takeViaOf(messageId);
      const live = via !== null && interactions !== undefined && tokenClock.now() < via.usableUntil;
      const lane = live ? interactionLane(via.interactionId) : channelId;
      return new Promise<boolean>((resolve) => {
        queue.addRemoval(lane, { channelId, messageId, resolve, ...(live ? { via } : {}) });
        lanes.pump(lane);
      });
    },
    findProgress(channelId, { interactionId, taskId }) {
      if (closed) return Promise.resolve([]);
      return new Promise<string[]>((resolve) => {
        const lookup = { channelId, interactionId, taskId, after: interactionId, pages: 0, found: [], resolve };
        queue.addLookup(channelId, lookup);
        lanes.pump(channelId);
      });
    },
    editMessage(channelId, messageId, body) {
      if (closed) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        queue.addRemoval(channelId, { channelId, messageId, edit: body, resolve });
        lanes.pump(channelId);
      });
    },
    counts: () => lanes.counts(),
    setGlobalShare(limit) {
      resultsPerMs = limit / global.windowMs;
      lanes.setGlobalLimit(limit);
    },
    resultsWaitingMs: () => queue.resultsWaiting() / resultsPerMs,
    idle() {
      return isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      if (!closed) {
        closed = true;
        closing.close();
        lanes.close();
        queue.drain();
      }
      if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
