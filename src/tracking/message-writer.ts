// One Discord request per job, and what its answer means: a progress message is created (with its
// nonce) or edited, a result is posted as a new message (with its nonce, the image attached when it
// downloaded), a progress message is deleted. Progress and deletes go through the member's
// interaction webhook when the job was given one (its follow-up is the progress message); a token
// past its time hands the job to the channel routes. Each waiter gets a PublishOutcome; a 429 pauses
// the lane and puts the update back in the queue.
import type { EventLog } from '../log.js';
import type { DownloadedImage, ImageDownloader } from '../media/image-download.js';
import type { ChannelQueue, Removal } from './channel-queue.js';
import { resolveWaiters, type MessageSlot, type QueuedUpdate } from './message-slot.js';
import {
  deliveryFailure,
  isDiscordDeliveryError,
  type ChannelMessenger,
  type InteractionMessenger,
  type MessageBody,
} from './messenger.js';
import { MAX_LISTED_MESSAGES, nextPageAfter, progressFollowUps, type Lookup } from './progress-lookup.js';
import { interactionLane } from './channel-lanes.js';
import { bodyHash, progressBody, progressNonce, resultBody, resultNonce, type RenderFn } from './payloads.js';
import { createSemaphore } from './semaphore.js';
import type { InteractionRoute, TaskUpdate } from './types.js';
import { videoOf } from '../render/task-facts.js';

export interface SafeRenderer {
  /** The progress body, or null when the renderer threw. */
  progress: (queued: QueuedUpdate) => MessageBody | null;
  /** The hash of the progress body (rendered once per queued update to compute it), or null like progress. */
  progressHash: (queued: QueuedUpdate) => string | null;
  result: (queued: QueuedUpdate, imageName: string | undefined) => MessageBody | null;
}

/** A renderer that throws must not stall the queue: that update is answered 'invalid' and dropped. */
export function createSafeRenderer(render: RenderFn, log: EventLog): SafeRenderer {
  const safely = (queued: QueuedUpdate, fn: () => MessageBody): MessageBody | null => {
    try {
      return fn();
    } catch (err) {
      const fields = { event: 'publisher.render_failed' as const, taskId: queued.update.tracked.taskId, err };
      log.error(fields, 'rendering a task message failed');
      resolveWaiters(queued, { kind: 'invalid' });
      return null;
    }
  };
  const progress = (queued: QueuedUpdate) => safely(queued, () => progressBody(render, queued.update));
  return {
    progress,
    progressHash(queued) {
      if (queued.bodyHash !== undefined) return queued.bodyHash;
      const body = progress(queued);
      return body && (queued.bodyHash = bodyHash(body));
    },
    result: (queued, imageName) => safely(queued, () => resultBody(render, queued.update, imageName)),
  };
}

/**
 * Starts (once per result, even when the send is retried) the download of a SUCCESS image, or of a
 * video task's mp4: within the upload limit it is attached, else the message links it (and shows
 * its thumbnail). When many results finish at once, a channel's first ones download first, across
 * channels: each channel's bucket lets only 5 results out per 5 s, so its sixth image is not needed
 * before the window resets, while another channel's first one can go at once.
 */
export function createImagePrefetch(images: ImageDownloader | undefined, concurrency: number) {
  const downloads = createSemaphore(concurrency);
  /** Downloads waiting or running, per channel. */
  const perChannel = new Map<string, number>();
  const download = async (channelId: string, fetchIt: () => Promise<DownloadedImage | null>) => {
    const rank = perChannel.get(channelId) ?? 0;
    perChannel.set(channelId, rank + 1);
    try {
      return await downloads.run(fetchIt, rank);
    } finally {
      const left = (perChannel.get(channelId) ?? 1) - 1;
      if (left > 0) perChannel.set(channelId, left);
      else perChannel.delete(channelId);
    }
  };
  return (slot: MessageSlot, update: TaskUpdate): Promise<DownloadedImage | null> => {
    if (update.task.status !== 'SUCCESS' || !images) return Promise.resolve(null);
    const video = videoOf(update.task);
    const url = video?.url ?? update.task.imageUrl;
    if (!url) return Promise.resolve(null);
    slot.image ??= download(slot.channelId, () => images.download(url, video ? 'video' : 'image')).catch(() => null);
    return slot.image;
  };
}

export interface MessageWriterDeps {
  messenger: ChannelMessenger;
  /** The interaction webhooks; without it every job goes through the channel routes. */
  interactions?: InteractionMessenger;
  renderer: SafeRenderer;
  queue: ChannelQueue;
  /** No job starts in this lane for `ms` (Discord answered 429). */
  pause: (lane: string, ms: number) => void;
  clock: { now(): number };
  log: EventLog;
}

/** How the interaction webhook names a message: its @original, or a follow-up by id. */
const messageRef = (via: InteractionRoute, messageId: string): string =>
  messageId === via.originalMessageId ? '@original' : messageId;

/** Creates or edits the progress message: through the interaction's webhook (`via`), else the channel. */
async function writeProgress(
  w: MessageWriterDeps,
  slot: MessageSlot,
  queued: QueuedUpdate,
  via: InteractionRoute | null,
  body: MessageBody,
) {
  const { messenger, interactions } = w;
  if (via && interactions) {
    // A message's notification flag counts only when it is created; an edit leaves the flags alone.
    const { flags: _flags, ...edit } = body;
    if (slot.messageId !== null) await interactions.edit(via, messageRef(via, slot.messageId), edit);
    else slot.messageId = (await interactions.followUp(via, body)).id;
  } else if (slot.messageId !== null) await messenger.edit(slot.channelId, slot.messageId, body);
  else
    slot.messageId = (await messenger.send(slot.channelId, body, { nonce: progressNonce(queued.update.tracked) })).id;
}

export async function runProgress(
  w: MessageWriterDeps,
  slot: MessageSlot,
  queued: QueuedUpdate,
  via: InteractionRoute | null = null,
): Promise<void> {
  const { renderer, queue, pause, log } = w;
  const body = renderer.progress(queued);
  if (!body) return; // answered 'invalid' (it rendered when it was picked: this renderer is not deterministic)
  const hash = bodyHash(body);
  try {
    await writeProgress(w, slot, queued, via, body);
    slot.lastHash = hash;
    resolveWaiters(queued, { kind: 'ok', messageId: slot.messageId, resultMessageId: null, renderHash: hash });
  } catch (err) {
    const { kind, retryAfterMs } = deliveryFailure(err);
    const fields = { taskId: queued.update.tracked.taskId, channelId: slot.channelId, err };
    if (kind === 'expired') {
      log.info(
        { event: 'publisher.interaction_expired', ...fields },
        'interaction token expired; progress goes through the channel',
      );
      slot.via = null;
      queue.requeue(slot, queued);
    } else if (kind === 'gone') {
      log.info({ event: 'publisher.progress_gone', ...fields }, 'progress message or channel gone; updates end');
      queue.dropSlot(slot);
      resolveWaiters(queued, { kind: 'gone' });
    } else if (kind === 'rate_limited') {
      pause(via ? interactionLane(via.interactionId) : slot.channelId, retryAfterMs);
      queue.requeue(slot, queued);
    } else if (kind === 'invalid') {
      log.warn({ event: 'publisher.progress_refused', ...fields }, 'Discord refused a progress update');
      slot.lastHash = hash; // the same body would be refused again
      resolveWaiters(queued, { kind: 'invalid' });
    } else resolveWaiters(queued, { kind: 'retry' });
  }
}

export async function runResult(w: MessageWriterDeps, slot: MessageSlot, queued: QueuedUpdate): Promise<void> {
  const { messenger, renderer, queue, pause, log } = w;
  const { update } = queued;
  const image: DownloadedImage | null = queued.withoutImage ? null : await (slot.image ?? Promise.resolve(null));
  const body = renderer.result(queued, image?.name);
  if (!body) return queue.dropSlot(slot);
  const files = image ? [{ name: image.name, data: image.data, contentType: image.contentType }] : undefined;
  try {
    const sent = await messenger.send(slot.channelId, body, {
      nonce: resultNonce(update.tracked),
      ...(files ? { files } : {}),
    });
    queue.release(slot, w.clock.now());
    const renderHash = bodyHash(body);
    resolveWaiters(queued, { kind: 'ok', messageId: slot.messageId, resultMessageId: sent.id, renderHash });
  } catch (err) {
    const { kind, retryAfterMs } = deliveryFailure(err);
    const fields = { taskId: update.tracked.taskId, channelId: slot.channelId, err };
    if (kind === 'rate_limited') {
      pause(slot.channelId, retryAfterMs);
      queue.requeue(slot, queued);
    } else if (kind === 'invalid' && image) {
      const msg = 'Discord refused the result with its image; sending it with the link';
      log.warn({ event: 'publisher.result_image_refused', ...fields }, msg);
      queue.requeue(slot, { ...queued, withoutImage: true });
    } else if (kind === 'gone' || kind === 'invalid') {
      if (kind === 'gone') log.info({ event: 'publisher.result_gone', ...fields }, 'result channel gone');
      else log.error({ event: 'publisher.result_refused', ...fields }, 'Discord refused the result');
      queue.dropSlot(slot);
      resolveWaiters(queued, { kind });
    } else {
      // Network errors and 5xx: the tracker sends it again (same nonce); say so, or a stuck result is invisible.
      log.warn({ event: 'publisher.result_retry', ...fields }, 'could not post a result; will retry');
      resolveWaiters(queued, { kind: 'retry' });
    }
  }
}

export async function runRemoval(w: MessageWriterDeps, lane: string, removal: Removal): Promise<void> {
  const { messenger, interactions, queue, pause, log } = w;
  const { channelId, via } = removal;
  try {
    if (removal.edit) await messenger.edit(channelId, removal.messageId, removal.edit);
    else if (via && interactions) await interactions.delete(via, messageRef(via, removal.messageId));
    else await messenger.delete(channelId, removal.messageId);
    removal.resolve(true);
  } catch (err) {
    const { kind, retryAfterMs } = deliveryFailure(err);
    if (kind === 'rate_limited') {
      pause(lane, retryAfterMs);
      return queue.addRemoval(lane, removal, true);
    }
    if (kind === 'expired') {
      const { via: _via, ...throughChannel } = removal;
      return queue.addRemoval(channelId, throughChannel, true);
    }
    if (removal.edit) {
      const fields = { event: 'publisher.edit_failed' as const, channelId, messageId: removal.messageId, err };
      log.info(fields, 'could not edit a message; leaving it');
      return removal.resolve(false);
    }
    // 10008: already deleted. Anything else: leave the message (the result is out already).
    const deleted = kind === 'gone' && isDiscordDeliveryError(err) && Number(err.code) === 10008;
    if (!deleted) {
      const fields = { event: 'publisher.delete_failed' as const, channelId, messageId: removal.messageId, err };
      log.info(fields, 'could not delete a progress message; leaving it');
    }
    removal.resolve(deleted);
  }
}

/**
 * Reads one page of the channel's history after `lookup.after` for the task's follow-ups; a page
 * that may not be the last (progress-lookup.ts) puts the lookup back at the front of its lane for
 * the next one, so each page is one request the lane's budget counts.
 */
export async function runLookup(w: MessageWriterDeps, lane: string, lookup: Lookup): Promise<void> {
  const { messenger, queue, pause, log } = w;
  if (!messenger.listAfter) return lookup.resolve(lookup.found);
  try {
    const listed = await messenger.listAfter(lookup.channelId, lookup.after, MAX_LISTED_MESSAGES);
    const pages = lookup.pages + 1;
    const found = [...lookup.found, ...progressFollowUps(listed, lookup)];
    const after = nextPageAfter(listed, lookup.interactionId, pages);
    if (after === null) return lookup.resolve(found);
    queue.addLookup(lane, { ...lookup, after, pages, found }, true);
  } catch (err) {
    const { kind, retryAfterMs } = deliveryFailure(err);
    if (kind === 'rate_limited') {
      pause(lane, retryAfterMs);
      return queue.addLookup(lane, lookup, true);
    }
    const { channelId, taskId } = lookup;
    const fields = { event: 'publisher.lookup_failed' as const, channelId, taskId, err };
    log.warn(fields, 'could not look for a progress message made before a restart; a new one is made');
    lookup.resolve(lookup.found);
  }
}

/** One writer per publisher: a queued update of a slot (a result is posted, progress created or edited), or a delete. */
export function createMessageWriter(deps: MessageWriterDeps) {
  return {
    runUpdate: (slot: MessageSlot, queued: QueuedUpdate, via: InteractionRoute | null): Promise<void> =>
      queued.update.final ? runResult(deps, slot, queued) : runProgress(deps, slot, queued, via),
    runRemoval: (lane: string, removal: Removal): Promise<void> => runRemoval(deps, lane, removal),
    runLookup: (lane: string, lookup: Lookup): Promise<void> => runLookup(deps, lane, lookup),
  };
}
