// TaskUpdates → Discord messages. Per task: latest state wins (a queued update is replaced by a
// newer one), one request in flight, and an edit only when the rendered body changed. Per channel: a
// sliding budget (default 4 operations / 5 s) so a burst of tasks never draws a 429; results and
// progress-message deletes go before progress edits. The publisher never writes to the store: it
// returns outcomes, and the tracker records them in the order that makes crashes harmless.
import { systemClock, type Clock } from '../clock.js';
import type { DownloadedImage, ImageDownloader } from '../media/image-download.js';
import { createSlidingBudget, DEFAULT_CHANNEL_BUDGET, type BudgetOptions, type SlidingBudget } from './budget.js';
import { isDiscordDeliveryError, type ChannelMessenger, type DeliveryErrorKind } from './messenger.js';
import { bodyHash, progressBody, progressNonce, resultBody, resultNonce, type RenderFn } from './payloads.js';
import { systemScheduler, type Scheduler, type TimerHandle } from './scheduler.js';
import { createSemaphore } from './semaphore.js';
import type { PublishOutcome, TaskUpdate, TrackingLog } from './types.js';

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
  log?: TrackingLog;
}

export interface Publisher {
  /**
   * Queues the task's latest state. Not final: creates (nonce-protected) or edits the silent progress
   * message. Final: posts the result as a new message (nonce-protected, mentions the requester, image
   * attached when it downloads) and leaves the progress message alone — call removeProgress once the
   * result is recorded. Resolves 'skipped' when a newer update replaced this one or nothing changed.
   */
  publish(update: TaskUpdate): Promise<PublishOutcome>;
  /** Deletes a progress message (best effort, ahead of progress edits); true when it is gone. */
  removeProgress(channelId: string, messageId: string): Promise<boolean>;
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Finishes requests in flight, answers queued ones with 'retry' / false, clears timers. Idempotent. */
  close(): Promise<void>;
}

interface Pending {
  update: TaskUpdate;
  waiters: Array<(o: PublishOutcome) => void>;
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

interface Removal {
  messageId: string;
  resolve: (deleted: boolean) => void;
}

interface Lane {
  budget: SlidingBudget;
  /** Slots with a pending update and nothing in flight, in arrival order. */
  ready: Set<Slot>;
  removals: Removal[];
  pausedUntil: number;
  timer: TimerHandle | null;
}

const slotKey = (u: TaskUpdate) => `${u.tracked.taskId}:${u.tracked.startedAt}`;

export function createPublisher(deps: PublisherDeps): Publisher {
  const { messenger, render } = deps;
  const clock = deps.clock ?? systemClock;
  const scheduler = deps.scheduler ?? systemScheduler;
  const budgetOptions = deps.options?.budget ?? DEFAULT_CHANNEL_BUDGET;
  const downloads = createSemaphore(deps.options?.downloadConcurrency ?? 4);
  const log: TrackingLog = deps.log ?? (() => {});
  const slots = new Map<string, Slot>();
  const lanes = new Map<string, Lane>();
  let inFlight = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const laneOf = (channelId: string): Lane => {
    let lane = lanes.get(channelId);
    if (!lane) lanes.set(channelId, (lane = { budget: createSlidingBudget(budgetOptions), ready: new Set(), removals: [], pausedUntil: 0, timer: null }));
    return lane;
  };

  const isIdle = () => inFlight === 0 && [...lanes.values()].every((l) => l.ready.size === 0 && l.removals.length === 0);
  const checkIdle = () => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  const settle = (pending: Pending, outcome: PublishOutcome) => {
    for (const w of pending.waiters) w(outcome);
  };

  /** Puts an update back after a 429, unless a newer one arrived meanwhile (the newer one wins, a result always wins). */
  const requeue = (slot: Slot, pending: Pending) => {
    const newer = slot.pending;
    if (newer && !(pending.update.final && !newer.update.final)) return settle(pending, { kind: 'skipped' });
    if (newer) settle(newer, { kind: 'skipped' });
    slot.pending = pending;
  };

  const classify = (err: unknown): { kind: DeliveryErrorKind; retryAfterMs: number } => {
    if (isDiscordDeliveryError(err)) return { kind: err.kind, retryAfterMs: err.retryAfterMs ?? 1_000 };
    return { kind: 'transient', retryAfterMs: 0 };
  };

  const schedulePump = (channelId: string, lane: Lane, ms: number) => {
    if (lane.timer !== null) scheduler.clearTimeout(lane.timer);
    lane.timer = scheduler.setTimeout(() => {
      lane.timer = null;
      pump(channelId);
    }, ms);
  };

  function pump(channelId: string): void {
    const lane = laneOf(channelId);
    while (!closed) {
      const now = clock.now();
      if (lane.pausedUntil > now) return schedulePump(channelId, lane, lane.pausedUntil - now);
      const final = [...lane.ready].find((s) => s.pending?.update.final);
      const removal = final ? undefined : lane.removals[0];
      const slot = final ?? (removal ? undefined : lane.ready.values().next().value);
      if (!final && !removal && !slot) return;
      let body: ReturnType<typeof progressBody> | null = null;
      if (slot && !final && slot.pending) {
        body = progressBody(render, slot.pending.update);
        if (bodyHash(body) === slot.lastHash) {
          lane.ready.delete(slot);
          const pending = slot.pending;
          slot.pending = null;
          settle(pending, { kind: 'skipped' });
          continue;
        }
      }
      const wait = lane.budget.waitMs(now);
      if (wait > 0) return schedulePump(channelId, lane, wait);
      lane.budget.take(now);
      if (removal) {
        lane.removals.shift();
        void runRemoval(channelId, lane, removal);
      } else if (slot?.pending) {
        lane.ready.delete(slot);
        const pending = slot.pending;
        slot.pending = null;
        void (pending.update.final ? runResult(slot, pending) : runProgress(slot, pending));
      }
    }
  }

  async function track(channelId: string, slot: Slot | null, op: () => Promise<void>): Promise<void> {
    inFlight++;
    if (slot) slot.inFlight = true;
    try {
      await op();
    } catch (err) {
      log('error', 'publisher operation failed unexpectedly', { err: String(err) });
    } finally {
      inFlight--;
      if (slot) {
        slot.inFlight = false;
        const live = slots.get(slot.key) === slot && !closed;
        if (slot.pending && live) laneOf(channelId).ready.add(slot);
        else if (slot.pending) {
          // Finished (result out), gone, or closing: whatever queued meanwhile will not be sent.
          settle(slot.pending, { kind: closed ? 'retry' : 'skipped' });
          slot.pending = null;
        }
      }
      if (closed) for (const r of laneOf(channelId).removals.splice(0)) r.resolve(false);
      else pump(channelId);
      checkIdle();
    }
  }

  const forget = (slot: Slot) => {
    slots.delete(slot.key);
    laneOf(slot.channelId).ready.delete(slot);
    if (slot.pending) settle(slot.pending, { kind: 'gone' });
    slot.pending = null;
  };

  const runProgress = (slot: Slot, pending: Pending) =>
    track(slot.channelId, slot, async () => {
      const { update } = pending;
      const body = progressBody(render, update);
      const hash = bodyHash(body);
      try {
        if (slot.messageId !== null) await messenger.edit(slot.channelId, slot.messageId, body);
        else slot.messageId = (await messenger.send(slot.channelId, body, { nonce: progressNonce(update.tracked) })).id;
        slot.lastHash = hash;
        settle(pending, { kind: 'ok', messageId: slot.messageId, resultMessageId: null, renderHash: hash });
      } catch (err) {
        const { kind, retryAfterMs } = classify(err);
        const fields = { taskId: update.tracked.taskId, channelId: slot.channelId, err: String(err) };
        if (kind === 'gone') {
          log('info', 'progress message gone; updates end', fields);
          forget(slot);
          settle(pending, { kind: 'gone' });
        } else if (kind === 'rate_limited') {
          laneOf(slot.channelId).pausedUntil = clock.now() + retryAfterMs;
          requeue(slot, pending);
        } else if (kind === 'invalid') {
          log('warn', 'Discord refused a progress update', fields);
          slot.lastHash = hash; // the same body would be refused again
          settle(pending, { kind: 'invalid' });
        } else settle(pending, { kind: 'retry' });
      }
    });

  const runResult = (slot: Slot, pending: Pending) =>
    track(slot.channelId, slot, async () => {
      const { update } = pending;
      const image = pending.withoutImage ? null : await (slot.image ?? Promise.resolve(null));
      const body = resultBody(render, update, image?.name);
      const files = image ? [{ name: image.name, data: image.data, contentType: image.contentType }] : undefined;
      try {
        const sent = await messenger.send(slot.channelId, body, { nonce: resultNonce(update.tracked), ...(files ? { files } : {}) });
        slots.delete(slot.key);
        settle(pending, { kind: 'ok', messageId: slot.messageId, resultMessageId: sent.id, renderHash: bodyHash(body) });
      } catch (err) {
        const { kind, retryAfterMs } = classify(err);
        const fields = { taskId: update.tracked.taskId, channelId: slot.channelId, err: String(err) };
        if (kind === 'rate_limited') {
          laneOf(slot.channelId).pausedUntil = clock.now() + retryAfterMs;
          requeue(slot, pending);
        } else if (kind === 'invalid' && image) {
          log('warn', 'Discord refused the result with its image; sending it with the link', fields);
          requeue(slot, { ...pending, withoutImage: true });
        } else if (kind === 'gone' || kind === 'invalid') {
          log(kind === 'gone' ? 'info' : 'error', kind === 'gone' ? 'result channel gone' : 'Discord refused the result', fields);
          forget(slot);
          settle(pending, { kind });
        } else settle(pending, { kind: 'retry' });
      }
    });

  const runRemoval = (channelId: string, lane: Lane, removal: Removal) =>
    track(channelId, null, async () => {
      try {
        await messenger.delete(channelId, removal.messageId);
        removal.resolve(true);
      } catch (err) {
        const { kind, retryAfterMs } = classify(err);
        if (kind === 'rate_limited') {
          lane.pausedUntil = clock.now() + retryAfterMs;
          lane.removals.unshift(removal);
          return;
        }
        // 10008: already deleted. Anything else: leave the message (the result is out already).
        const deleted = kind === 'gone' && isDiscordDeliveryError(err) && Number(err.code) === 10008;
        if (!deleted) log('info', 'could not delete a progress message; leaving it', { channelId, messageId: removal.messageId, err: String(err) });
        removal.resolve(deleted);
      }
    });

  const slotFor = (update: TaskUpdate): Slot => {
    const key = slotKey(update);
    let slot = slots.get(key);
    if (!slot) {
      const t = update.tracked;
      slots.set(key, (slot = { key, channelId: t.channelId, messageId: t.messageId, lastHash: t.lastRenderHash, pending: null, inFlight: false }));
    }
    return slot;
  };

  const imageFor = (slot: Slot, update: TaskUpdate): Promise<DownloadedImage | null> | undefined => {
    const url = update.task.status === 'SUCCESS' ? update.task.imageUrl : null;
    if (!url || !deps.images) return undefined;
    const images = deps.images;
    // Downloaded once per result, even when the send is retried.
    slot.image ??= downloads.run(() => images.download(url)).catch(() => null);
    return slot.image;
  };

  return {
    async publish(update) {
      if (closed) return { kind: 'retry' };
      const slot = slotFor(update);
      if (update.final) await imageFor(slot, update);
      if (closed) return { kind: 'retry' };
      if (slots.get(slot.key) !== slot) return { kind: 'gone' };
      return new Promise<PublishOutcome>((resolve) => {
        const current = slot.pending;
        if (current?.update.final && !update.final) return resolve({ kind: 'skipped' });
        if (current) settle(current, { kind: 'skipped' });
        slot.pending = { update, waiters: [resolve] };
        if (!slot.inFlight) laneOf(slot.channelId).ready.add(slot);
        pump(slot.channelId);
      });
    },
    removeProgress(channelId, messageId) {
      if (closed) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        laneOf(channelId).removals.push({ messageId, resolve });
        pump(channelId);
      });
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      if (!closed) {
        closed = true;
        for (const lane of lanes.values()) {
          if (lane.timer !== null) scheduler.clearTimeout(lane.timer);
          lane.timer = null;
          for (const slot of lane.ready) if (slot.pending) settle(slot.pending, { kind: 'retry' });
          for (const slot of lane.ready) slot.pending = null;
          lane.ready.clear();
          for (const r of lane.removals.splice(0)) r.resolve(false);
        }
      }
      if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      checkIdle();
    },
  };
}
