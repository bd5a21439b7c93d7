// TaskUpdates → Discord messages. What waits and in which order is channel-queue.ts (per task the
// latest state wins, per channel results and deletes go before progress); what one request does and
// what its answer means is message-writer.ts. This file paces them: a sliding budget per channel
// (default 4 operations / 5 s, each counted until it is over, channel-lanes.ts) so a burst of tasks
// never draws a 429. The publisher never writes to the store: it returns outcomes, and the tracker
// records them in the order that makes crashes harmless.
import { systemClock, type Clock } from '../clock.js';
import { noLog, type EventLog } from '../log.js';
import type { ImageDownloader } from '../media/image-download.js';
import { DEFAULT_CHANNEL_BUDGET, type BudgetOptions } from './budget.js';
import { createChannelLanes, type LaneJob } from './channel-lanes.js';
import { ChannelQueue, type MessageSlot } from './channel-queue.js';
import { createImagePrefetch, createMessageWriter, createSafeRenderer } from './message-writer.js';
import type { ChannelMessenger } from './messenger.js';
import type { RenderFn } from './payloads.js';
import { systemScheduler, type Scheduler } from './scheduler.js';
import type { Publisher, PublishOutcome } from './types.js';

export type { Publisher } from './types.js';

export interface PublisherOptions {
  /** Per-channel budget; keep it below Discord's bucket (5 / 5 s per channel). Default 4 / 5 s. */
  budget?: BudgetOptions;
  /** Parallel image downloads. Default 4. */
  downloadConcurrency?: number;
}

export interface PublisherDeps {
  messenger: ChannelMessenger;
  /** Usually `renderTask` from src/render/task-message.ts. */
  render: RenderFn;
  /** Downloads SUCCESS images to attach them; without it results link the image URL. */
  images?: ImageDownloader;
  /** Time of the budget. Discord's buckets run on real time, so keep the defaults outside unit tests. */
  clock?: Clock;
  scheduler?: Scheduler;
  options?: PublisherOptions;
  log?: EventLog;
}

export function createPublisher(deps: PublisherDeps): Publisher {
  const clock = deps.clock ?? systemClock;
  const imageFor = createImagePrefetch(deps.images, deps.options?.downloadConcurrency ?? 4);
  const log = deps.log ?? noLog;
  const renderer = createSafeRenderer(deps.render, log);
  const queue = new ChannelQueue(renderer.progress);
  let inFlight = 0;
  let closed = false;
  const idleWaiters: Array<() => void> = [];
  let onClose: () => void = () => {};
  const closing = new Promise<null>((resolve) => (onClose = () => resolve(null)));

  const nextJobFor = (channelId: string): LaneJob | null => {
    const job = queue.nextJobFor(channelId);
    if (!job) return null;
    if (job.kind === 'removal')
      return {
        start: () => runCounted(channelId, null, () => writer.runRemoval(channelId, queue.takeRemoval(channelId))),
      };
    const { slot } = job;
    return { start: () => runCounted(channelId, slot, () => writer.runUpdate(slot, queue.takeUpdate(slot))) };
  };
  const budget = deps.options?.budget ?? DEFAULT_CHANNEL_BUDGET;
  const lanes = createChannelLanes({ clock, scheduler: deps.scheduler ?? systemScheduler, budget, next: nextJobFor });
  const pause = (channelId: string, ms: number) => lanes.pause(channelId, ms);
  const writer = createMessageWriter({ messenger: deps.messenger, renderer, queue, pause, log });

  const isIdle = () => inFlight === 0 && queue.isEmpty();
  const checkIdle = () => isIdle() && idleWaiters.splice(0).forEach((w) => w());

  /** Counts a job as in flight until it is over, then lets the channel go on (or drops its deletes when closing). */
  async function runCounted(channelId: string, slot: MessageSlot | null, job: () => Promise<void>): Promise<void> {
    inFlight++;
    if (slot) slot.inFlight = true;
    try {
      await job();
    } catch (err) {
      log.error({ event: 'publisher.failed', err }, 'publisher operation failed unexpectedly');
    } finally {
      inFlight--;
      if (slot) queue.settleSlot(slot, closed);
      if (closed) queue.dropRemovals(channelId);
      else lanes.pump(channelId);
      checkIdle();
    }
  }

  return {
    async publish(update) {
      if (closed) return { kind: 'retry' };
      const slot = queue.slotFor(update);
      if (update.final) await Promise.race([imageFor(slot, update), closing]);
      if (closed) return { kind: 'retry' };
      if (!queue.isCurrent(slot)) return { kind: 'gone' };
      return new Promise<PublishOutcome>((resolve) => {
        queue.enqueue(slot, { update, waiters: [resolve] });
        lanes.pump(slot.channelId);
      });
    },
    removeProgress(channelId, messageId) {
      if (closed) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        queue.addRemoval(channelId, { messageId, resolve });
        lanes.pump(channelId);
      });
    },
    idle() {
      return isIdle() ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      if (!closed) {
        closed = true;
        onClose();
        lanes.close();
        queue.drain();
      }
      if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
