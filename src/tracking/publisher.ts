// TaskUpdates → Discord messages. Per task: latest state wins (a queued update is replaced by a
// newer one), one request in flight, and an edit only when the rendered body changed. Per channel: a
// sliding budget (default 4 operations / 5 s, each counted until it is over) so a burst of tasks never draws a 429; results and
// progress-message deletes go before progress edits. The publisher never writes to the store: it
// returns outcomes, and the tracker records them in the order that makes crashes harmless.
import { systemClock, type Clock } from '../clock.js';
import { noLog, type EventLog } from '../log.js';
import type { DownloadedImage, ImageDownloader } from '../media/image-download.js';
import { DEFAULT_CHANNEL_BUDGET, type BudgetOptions } from './budget.js';
import { createChannelLanes, type LaneJob } from './channel-lanes.js';
import { deliveryFailure, isDiscordDeliveryError, type ChannelMessenger, type MessageBody } from './messenger.js';
import { bodyHash, progressBody, progressNonce, resultBody, resultNonce, type RenderFn } from './payloads.js';
import { systemScheduler, type Scheduler } from './scheduler.js';
import { createSemaphore } from './semaphore.js';
import type { Publisher, PublishOutcome, TaskUpdate } from './types.js';

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

interface Pending {
  update: TaskUpdate;
  waiters: Array<(o: PublishOutcome) => void>;
  /** The progress body, rendered once when first needed. */
  body?: MessageBody;
  /** Set after Discord refused the result with its attachment: send it once more with the link. */
  withoutImage?: boolean;
}

interface Slot {
  key: string;
  channelId: string;
  messageId: string | null;
  lastHash: string | null;
  pending: Pending | null;
  inFlight: boolean;
  image?: Promise<DownloadedImage | null>;
}

type Removal = { messageId: string; resolve: (deleted: boolean) => void };

interface ChannelQueue {
  /** Slots with a pending update and nothing in flight, in arrival order. */
  ready: Set<Slot>;
  removals: Removal[];
}

const settle = (pending: Pending, outcome: PublishOutcome) => pending.waiters.forEach((w) => w(outcome));

export function createPublisher(deps: PublisherDeps): Publisher {
  const { messenger, render } = deps;
  const clock = deps.clock ?? systemClock;
  const scheduler = deps.scheduler ?? systemScheduler;
  const downloads = createSemaphore(deps.options?.downloadConcurrency ?? 4);
  const log = deps.log ?? noLog;
  const slots = new Map<string, Slot>();
  const queues = new Map<string, ChannelQueue>();
  let inFlight = 0;
  let closed = false;
  const idleWaiters: Array<() => void> = [];
  let onClose: () => void = () => {};
  const closing = new Promise<null>((resolve) => (onClose = () => resolve(null)));

  const queueOf = (channelId: string): ChannelQueue => {
    let q = queues.get(channelId);
    if (!q) queues.set(channelId, (q = { ready: new Set(), removals: [] }));
    return q;
  };
  const progressOf = (pending: Pending): MessageBody => (pending.body ??= progressBody(render, pending.update));
  /** A renderer that throws must not stall the queue: that update is answered 'invalid' and dropped. */
  const rendered = <T>(pending: Pending, fn: () => T): T | null => {
    try {
      return fn();
    } catch (err) {
      log.error(
        { event: 'publisher.render_failed', taskId: pending.update.tracked.taskId, err },
        'rendering a task message failed',
      );
      settle(pending, { kind: 'invalid' });
      return null;
    }
  };

  /** The next job of a channel: results first, then deletes, then progress; identical renders are dropped for free. */
  const next = (channelId: string): LaneJob | null => {
    const q = queueOf(channelId);
    const final = [...q.ready].find((s) => s.pending?.update.final);
    if (final) return { start: () => startSlot(q, final) };
    const removal = q.removals[0];
    if (removal) return { start: () => runRemoval(channelId, q.removals.shift() as Removal) };
    for (const slot of q.ready) {
      const pending = slot.pending;
      const body = pending && rendered(pending, () => progressOf(pending));
      if (body && bodyHash(body) !== slot.lastHash) return { start: () => startSlot(q, slot) };
      q.ready.delete(slot);
      if (body && pending) settle(pending, { kind: 'skipped' });
      slot.pending = null;
    }
    if (q.removals.length === 0 && q.ready.size === 0) queues.delete(channelId); // nothing queued: forget the channel
    return null;
  };
  const lanes = createChannelLanes({ clock, scheduler, budget: deps.options?.budget ?? DEFAULT_CHANNEL_BUDGET, next });

  const startSlot = (q: ChannelQueue, slot: Slot): Promise<void> => {
    q.ready.delete(slot);
    const pending = slot.pending as Pending;
    slot.pending = null;
    return pending.update.final ? runResult(slot, pending) : runProgress(slot, pending);
  };

  const isIdle = () =>
    inFlight === 0 && [...queues.values()].every((q) => q.ready.size === 0 && q.removals.length === 0);
  const checkIdle = () => isIdle() && idleWaiters.splice(0).forEach((w) => w());

  /** Puts an update back after a 429, unless a newer one arrived meanwhile (the newer one wins, a result always wins). */
  const requeue = (slot: Slot, pending: Pending) => {
    const newer = slot.pending;
    if (newer && !(pending.update.final && !newer.update.final)) return settle(pending, { kind: 'skipped' });
    if (newer) settle(newer, { kind: 'skipped' });
    slot.pending = pending;
  };

  async function track(channelId: string, slot: Slot | null, op: () => Promise<void>): Promise<void> {
    inFlight++;
    if (slot) slot.inFlight = true;
    try {
      await op();
    } catch (err) {
      log.error({ event: 'publisher.failed', err }, 'publisher operation failed unexpectedly');
    } finally {
      inFlight--;
      if (slot) {
        slot.inFlight = false;
        if (slot.pending && slots.get(slot.key) === slot && !closed) queueOf(channelId).ready.add(slot);
        else if (slot.pending) {
          // Result already out, message gone, or closing: what queued meanwhile is not sent.
          settle(slot.pending, { kind: closed ? 'retry' : 'skipped' });
          slot.pending = null;
        }
      }
      if (closed)
        queueOf(channelId)
          .removals.splice(0)
          .forEach((r) => r.resolve(false));
      else lanes.pump(channelId);
      checkIdle();
    }
  }

  const forget = (slot: Slot) => {
    slots.delete(slot.key);
    queueOf(slot.channelId).ready.delete(slot);
    if (slot.pending) settle(slot.pending, { kind: 'gone' });
    slot.pending = null;
  };

  const runProgress = (slot: Slot, pending: Pending) =>
    track(slot.channelId, slot, async () => {
      const body = progressOf(pending);
      const hash = bodyHash(body);
      try {
        if (slot.messageId !== null) await messenger.edit(slot.channelId, slot.messageId, body);
        else
          slot.messageId = (
            await messenger.send(slot.channelId, body, { nonce: progressNonce(pending.update.tracked) })
          ).id;
        slot.lastHash = hash;
        settle(pending, { kind: 'ok', messageId: slot.messageId, resultMessageId: null, renderHash: hash });
      } catch (err) {
        const { kind, retryAfterMs } = deliveryFailure(err);
        const fields = { taskId: pending.update.tracked.taskId, channelId: slot.channelId, err };
        if (kind === 'gone') {
          log.info({ event: 'publisher.progress_gone', ...fields }, 'progress message or channel gone; updates end');
          forget(slot);
          settle(pending, { kind: 'gone' });
        } else if (kind === 'rate_limited') {
          lanes.pause(slot.channelId, retryAfterMs);
          requeue(slot, pending);
        } else if (kind === 'invalid') {
          log.warn({ event: 'publisher.progress_refused', ...fields }, 'Discord refused a progress update');
          slot.lastHash = hash; // the same body would be refused again
          settle(pending, { kind: 'invalid' });
        } else settle(pending, { kind: 'retry' });
      }
    });

  const runResult = (slot: Slot, pending: Pending) =>
    track(slot.channelId, slot, async () => {
      const { update } = pending;
      const image = pending.withoutImage ? null : await (slot.image ?? Promise.resolve(null));
      const body = rendered(pending, () => resultBody(render, update, image?.name));
      if (!body) return forget(slot);
      const files = image ? [{ name: image.name, data: image.data, contentType: image.contentType }] : undefined;
      try {
        const sent = await messenger.send(slot.channelId, body, {
          nonce: resultNonce(update.tracked),
          ...(files ? { files } : {}),
        });
        slots.delete(slot.key);
        settle(pending, {
          kind: 'ok',
          messageId: slot.messageId,
          resultMessageId: sent.id,
          renderHash: bodyHash(body),
        });
      } catch (err) {
        const { kind, retryAfterMs } = deliveryFailure(err);
        const fields = { taskId: update.tracked.taskId, channelId: slot.channelId, err };
        if (kind === 'rate_limited') {
          lanes.pause(slot.channelId, retryAfterMs);
          requeue(slot, pending);
        } else if (kind === 'invalid' && image) {
          log.warn(
            { event: 'publisher.result_image_refused', ...fields },
            'Discord refused the result with its image; sending it with the link',
          );
          requeue(slot, { ...pending, withoutImage: true });
        } else if (kind === 'gone' || kind === 'invalid') {
          if (kind === 'gone') log.info({ event: 'publisher.result_gone', ...fields }, 'result channel gone');
          else log.error({ event: 'publisher.result_refused', ...fields }, 'Discord refused the result');
          forget(slot);
          settle(pending, { kind });
        } else {
          // Network errors and 5xx: the tracker sends it again (same nonce); say so, or a stuck result is invisible.
          log.warn({ event: 'publisher.result_retry', ...fields }, 'could not post a result; will retry');
          settle(pending, { kind: 'retry' });
        }
      }
    });

  const runRemoval = (channelId: string, removal: Removal) =>
    track(channelId, null, async () => {
      try {
        await messenger.delete(channelId, removal.messageId);
        removal.resolve(true);
      } catch (err) {
        const { kind, retryAfterMs } = deliveryFailure(err);
        if (kind === 'rate_limited') {
          lanes.pause(channelId, retryAfterMs);
          queueOf(channelId).removals.unshift(removal);
          return;
        }
        // 10008: already deleted. Anything else: leave the message (the result is out already).
        const deleted = kind === 'gone' && isDiscordDeliveryError(err) && Number(err.code) === 10008;
        if (!deleted)
          log.info(
            { event: 'publisher.delete_failed', channelId, messageId: removal.messageId, err },
            'could not delete a progress message; leaving it',
          );
        removal.resolve(deleted);
      }
    });

  const slotFor = ({ tracked: t }: TaskUpdate): Slot => {
    const key = `${t.taskId}:${t.startedAt}`;
    const slot = slots.get(key) ?? {
      key,
      channelId: t.channelId,
      messageId: t.messageId,
      lastHash: t.lastRenderHash,
      pending: null,
      inFlight: false,
    };
    slots.set(key, slot);
    return slot;
  };

  /** Starts (once per result, even when the send is retried) the download of a SUCCESS image. */
  const imageFor = (slot: Slot, update: TaskUpdate): Promise<DownloadedImage | null> => {
    const url = update.task.status === 'SUCCESS' ? update.task.imageUrl : null;
    const images = deps.images;
    if (!url || !images) return Promise.resolve(null);
    slot.image ??= downloads.run(() => images.download(url)).catch(() => null);
    return slot.image;
  };

  return {
    async publish(update) {
      if (closed) return { kind: 'retry' };
      const slot = slotFor(update);
      if (update.final) await Promise.race([imageFor(slot, update), closing]);
      if (closed) return { kind: 'retry' };
      if (slots.get(slot.key) !== slot) return { kind: 'gone' };
      return new Promise<PublishOutcome>((resolve) => {
        const current = slot.pending;
        if (current?.update.final && !update.final) return resolve({ kind: 'skipped' });
        if (current) settle(current, { kind: 'skipped' });
        slot.pending = { update, waiters: [resolve] };
        if (!slot.inFlight) queueOf(slot.channelId).ready.add(slot);
        lanes.pump(slot.channelId);
      });
    },
    removeProgress(channelId, messageId) {
      if (closed) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        queueOf(channelId).removals.push({ messageId, resolve });
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
        for (const q of queues.values()) {
          for (const slot of q.ready) if (slot.pending) settle(slot.pending, { kind: 'retry' });
          q.ready.clear();
          q.removals.splice(0).forEach((r) => r.resolve(false));
        }
      }
      if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}
