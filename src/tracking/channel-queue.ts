// What waits to be sent, per task and per channel. Per task (a MessageSlot): the latest update wins (a
// queued update is replaced by a newer one, a result is never replaced by progress) and one request is
// in flight. Per channel: results first, then progress-message deletes, then progress edits, and a
// progress body identical to what Discord shows is answered 'skipped' without a request.
import type { DownloadedImage } from '../media/image-download.js';
import type { MessageBody } from './messenger.js';
import { bodyHash } from './payloads.js';
import type { PublishOutcome, TaskUpdate } from './types.js';

export interface QueuedUpdate {
  update: TaskUpdate;
  waiters: Array<(o: PublishOutcome) => void>;
  /** The progress body, rendered once when first needed. */
  body?: MessageBody;
  /** Set after Discord refused the result with its attachment: send it once more with the link. */
  withoutImage?: boolean;
}

/** One follow's message: what Discord shows now, and the update waiting for it. */
export interface MessageSlot {
  key: string;
  channelId: string;
  messageId: string | null;
  lastHash: string | null;
  queued: QueuedUpdate | null;
  inFlight: boolean;
  image?: Promise<DownloadedImage | null>;
}

export interface Removal {
  messageId: string;
  resolve: (deleted: boolean) => void;
}

/** The job a channel would start next; nothing is dequeued until it starts (the budget may hold it back). */
export type ChannelJob = { kind: 'update'; slot: MessageSlot } | { kind: 'removal'; channelId: string };

interface Channel {
  /** Slots with a queued update and nothing in flight, in arrival order. */
  ready: Set<MessageSlot>;
  removals: Removal[];
}

export const resolveWaiters = (queued: QueuedUpdate, outcome: PublishOutcome): void =>
  queued.waiters.forEach((w) => w(outcome));

export class ChannelQueue {
  private readonly slots = new Map<string, MessageSlot>();
  private readonly channels = new Map<string, Channel>();

  constructor(
    /** The progress body of an update, or null when it cannot be rendered (answered 'invalid' already). */
    private readonly progressBodyOf: (queued: QueuedUpdate) => MessageBody | null,
  ) {}

  slotFor({ tracked: t }: TaskUpdate): MessageSlot {
    const key = `${t.taskId}:${t.startedAt}`;
    const slot = this.slots.get(key) ?? {
      key,
      channelId: t.channelId,
      messageId: t.messageId,
      lastHash: t.lastRenderHash,
      queued: null,
      inFlight: false,
    };
    this.slots.set(key, slot);
    return slot;
  }

  /** Still the slot of its follow (not delivered, gone or dropped meanwhile). */
  isCurrent(slot: MessageSlot): boolean {
    return this.slots.get(slot.key) === slot;
  }

  /** Queues an update; the one it replaces is answered 'skipped' (a result is never replaced by progress). */
  enqueue(slot: MessageSlot, queued: QueuedUpdate): void {
    const current = slot.queued;
    if (current?.update.final && !queued.update.final) return resolveWaiters(queued, { kind: 'skipped' });
    if (current) resolveWaiters(current, { kind: 'skipped' });
    slot.queued = queued;
    if (!slot.inFlight) this.channelOf(slot.channelId).ready.add(slot);
  }

  /** Puts an update back after a 429, unless a newer one arrived meanwhile (the newer one wins, a result always wins). */
  requeue(slot: MessageSlot, queued: QueuedUpdate): void {
    const newer = slot.queued;
    if (newer && !(queued.update.final && !newer.update.final)) return resolveWaiters(queued, { kind: 'skipped' });
    if (newer) resolveWaiters(newer, { kind: 'skipped' });
    slot.queued = queued;
  }

  addRemoval(channelId: string, removal: Removal, first = false): void {
    const { removals } = this.channelOf(channelId);
    if (first) removals.unshift(removal);
    else removals.push(removal);
  }

  /** The next job of a channel: results first, then deletes, then progress; identical renders are dropped for free. */
  nextJobFor(channelId: string): ChannelJob | null {
    const c = this.channelOf(channelId);
    const final = [...c.ready].find((s) => s.queued?.update.final);
    if (final) return { kind: 'update', slot: final };
    if (c.removals.length > 0) return { kind: 'removal', channelId };
    for (const slot of c.ready) {
      const queued = slot.queued;
      const body = queued && this.progressBodyOf(queued);
      if (body && bodyHash(body) !== slot.lastHash) return { kind: 'update', slot };
      c.ready.delete(slot);
      if (body && queued) resolveWaiters(queued, { kind: 'skipped' });
      slot.queued = null;
    }
    if (c.removals.length === 0 && c.ready.size === 0) this.channels.delete(channelId); // nothing queued: forget the channel
    return null;
  }

  /** Dequeues the update of a job that starts now. */
  takeUpdate(slot: MessageSlot): QueuedUpdate {
    this.channelOf(slot.channelId).ready.delete(slot);
    const queued = slot.queued as QueuedUpdate;
    slot.queued = null;
    return queued;
  }

  /** Dequeues the delete of a job that starts now. */
  takeRemoval(channelId: string): Removal {
    return this.channelOf(channelId).removals.shift() as Removal;
  }

  /** The result is out: later updates of this follow are not sent. */
  release(slot: MessageSlot): void {
    this.slots.delete(slot.key);
  }

  /** The message or channel is gone (or the result cannot be rendered): what is queued is answered 'gone'. */
  dropSlot(slot: MessageSlot): void {
    this.slots.delete(slot.key);
    this.channelOf(slot.channelId).ready.delete(slot);
    if (slot.queued) resolveWaiters(slot.queued, { kind: 'gone' });
    slot.queued = null;
  }

  /** A request of this slot is over: queue what arrived meanwhile, or answer it when it will never be sent. */
  settleSlot(slot: MessageSlot, closed: boolean): void {
    slot.inFlight = false;
    if (!slot.queued) return;
    if (this.isCurrent(slot) && !closed) this.channelOf(slot.channelId).ready.add(slot);
    else {
      // Result already out, message gone, or closing: what queued meanwhile is not sent.
      resolveWaiters(slot.queued, { kind: closed ? 'retry' : 'skipped' });
      slot.queued = null;
    }
  }

  /** Answers the channel's queued deletes with false (closing). */
  dropRemovals(channelId: string): void {
    this.channelOf(channelId)
      .removals.splice(0)
      .forEach((r) => r.resolve(false));
  }

  isEmpty(): boolean {
    return [...this.channels.values()].every((c) => c.ready.size === 0 && c.removals.length === 0);
  }

  /** Closing: every queued update is answered 'retry', every queued delete false. */
  drain(): void {
    for (const c of this.channels.values()) {
      for (const slot of c.ready) if (slot.queued) resolveWaiters(slot.queued, { kind: 'retry' });
      c.ready.clear();
      c.removals.splice(0).forEach((r) => r.resolve(false));
    }
  }

  private channelOf(channelId: string): Channel {
    let c = this.channels.get(channelId);
    if (!c) this.channels.set(channelId, (c = { ready: new Set(), removals: [] }));
    return c;
  }
}
