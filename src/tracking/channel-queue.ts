// What waits to be sent, per task and per channel. Per task (a MessageSlot): the latest update wins (a
// queued update is replaced by a newer one, a result is never replaced by progress) and one request is
// in flight. Per channel, in the request gate's order (request-gate.ts): results first, then a task's
// first progress message, then progress-message deletes, then further progress edits; a progress body
// identical to what Discord shows is answered 'skipped' without a request. A slot keeps its place in
// its class while newer states replace its queued one, so a task that changes all the time still
// gets its turn.
import type { DownloadedImage } from '../media/image-download.js';
import type { MessageBody } from './messenger.js';
import { bodyHash } from './payloads.js';
import type { RequestClass } from './request-gate.js';
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
  /** The class it waits in (null: not waiting); see readyClassOf. */
  readyIn: ReadyClass | null;
  image?: Promise<DownloadedImage | null>;
}

type ReadyClass = Exclude<RequestClass, 'delete'>;

export interface Removal {
  messageId: string;
  resolve: (deleted: boolean) => void;
}

/** The job a channel would start next; nothing is dequeued until it starts (the budget may hold it back). */
export type ChannelJob =
  | { kind: 'update'; slot: MessageSlot; cls: ReadyClass }
  | { kind: 'removal'; channelId: string; cls: 'delete' };

interface Channel {
  /** Slots with a queued update and nothing in flight, per class, in arrival order. */
  ready: Record<ReadyClass, Set<MessageSlot>>;
  removals: Removal[];
}

const readyClassOf = (slot: MessageSlot): ReadyClass =>
  slot.queued?.update.final ? 'result' : slot.messageId === null ? 'first_progress' : 'edit';

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
      readyIn: null,
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
    if (!slot.inFlight) this.markReady(slot);
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

  /**
   * The next job of a channel: results, first progress messages, deletes, edits; identical renders
   * are dropped for free. Nothing is dequeued (the gate may hold the job back).
   */
  nextJobFor(channelId: string): ChannelJob | null {
    const c = this.channels.get(channelId);
    if (!c) return null;
    const [final] = c.ready.result;
    if (final) return { kind: 'update', slot: final, cls: 'result' };
    const first = this.firstToSend(c.ready.first_progress);
    if (first) return { kind: 'update', slot: first, cls: 'first_progress' };
    if (c.removals.length > 0) return { kind: 'removal', channelId, cls: 'delete' };
    const edit = this.firstToSend(c.ready.edit);
    if (edit) return { kind: 'update', slot: edit, cls: 'edit' };
    this.channels.delete(channelId); // nothing queued: forget the channel
    return null;
  }

  /** Dequeues the update of a job that starts now. */
  takeUpdate(slot: MessageSlot): QueuedUpdate {
    this.unmarkReady(slot);
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
    this.unmarkReady(slot);
    if (slot.queued) resolveWaiters(slot.queued, { kind: 'gone' });
    slot.queued = null;
  }

  /** A request of this slot is over: queue what arrived meanwhile, or answer it when it will never be sent. */
  settleSlot(slot: MessageSlot, closed: boolean): void {
    slot.inFlight = false;
    if (!slot.queued) return;
    if (this.isCurrent(slot) && !closed) this.markReady(slot);
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
    return [...this.channels.values()].every(
      (c) => c.removals.length === 0 && Object.values(c.ready).every((set) => set.size === 0),
    );
  }

  /** Closing: every queued update is answered 'retry', every queued delete false. */
  drain(): void {
    for (const c of this.channels.values()) {
      for (const set of Object.values(c.ready)) {
        for (const slot of set) {
          if (slot.queued) resolveWaiters(slot.queued, { kind: 'retry' });
          slot.readyIn = null;
        }
        set.clear();
      }
      c.removals.splice(0).forEach((r) => r.resolve(false));
    }
  }

  /** The first slot of a progress class whose body differs from what Discord shows; the others are answered 'skipped'. */
  private firstToSend(set: Set<MessageSlot>): MessageSlot | null {
    for (const slot of set) {
      const queued = slot.queued;
      const body = queued && this.progressBodyOf(queued);
      if (body && bodyHash(body) !== slot.lastHash) return slot;
      this.unmarkReady(slot);
      if (body && queued) resolveWaiters(queued, { kind: 'skipped' });
      slot.queued = null;
    }
    return null;
  }

  /** Puts a slot in the class its queued update needs, keeping its place when the class stays the same. */
  private markReady(slot: MessageSlot): void {
    const cls = readyClassOf(slot);
    if (slot.readyIn === cls) return;
    this.unmarkReady(slot);
    this.channelOf(slot.channelId).ready[cls].add(slot);
    slot.readyIn = cls;
  }

  private unmarkReady(slot: MessageSlot): void {
    if (slot.readyIn === null) return;
    this.channels.get(slot.channelId)?.ready[slot.readyIn].delete(slot);
    slot.readyIn = null;
  }

  private channelOf(channelId: string): Channel {
    let c = this.channels.get(channelId);
    if (!c)
      this.channels.set(
        channelId,
        (c = { ready: { result: new Set(), first_progress: new Set(), edit: new Set() }, removals: [] }),
      );
    return c;
  }
}
