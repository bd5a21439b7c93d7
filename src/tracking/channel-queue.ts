// What waits to be sent, per task and per channel. Per task (a MessageSlot): the latest update wins (a
// queued update is replaced by a newer one, a result is never replaced by progress) and one request is
// in flight. Per channel, in the request gate's order (request-gate.ts): results first (the oldest
// finished first), then a task's first progress message, then progress-message deletes, then further
// progress edits; a progress body identical to what Discord shows is answered 'skipped' without a
// request. A slot keeps its place in its class while newer states replace its queued one, so a task
// that changes all the time still gets its turn. A slot waits in its lane: its channel, or while its
// progress goes through the member's interaction webhook, that interaction's lane (laneOf, given by
// the publisher); results and deletes always wait in the channel's. Looking for a resumed task's lost
// progress follow-up (Publisher.findProgress) waits in the channel's lane ahead of first progress.
import type { Lookup } from './progress-lookup.js';
import type { Removal } from './removal.js';
import {
  resolveWaiters,
  type ChannelJob,
  type MessageSlot,
  type QueuedUpdate,
  type ReadyClass,
} from './message-slot.js';
import type { InteractionRoute, TaskUpdate } from './types.js';

export type { Removal } from './removal.js';

interface Channel {
  /**
   * Slots with a queued update and nothing in flight, per class, in arrival order. A set is made when
   * a class first needs one: an interaction's lane holds one task's edits, and there are thousands.
   */
  ready: Partial<Record<ReadyClass, Set<MessageSlot>>>;
  removals: Removal[];
  /** Ahead of first progress messages: a resumed task's first progress may be one it finds. */
  lookups: Lookup[];
}

const readyClassOf = (slot: MessageSlot): ReadyClass =>
  slot.queued?.update.final ? 'result' : slot.messageId === null ? 'first_progress' : 'edit';

/** The result that finished first (ties: the first queued). A channel has few results waiting at once. */
function oldestResult(ready: Set<MessageSlot> | undefined): MessageSlot | null {
  if (!ready) return null;
  let oldest: MessageSlot | null = null;
  let oldestAt = Infinity;
  for (const slot of ready) {
    const at = slot.queued?.finishedAt ?? Infinity;
    if (oldest === null || at < oldestAt) [oldest, oldestAt] = [slot, at];
  }
  return oldest;
}

export class ChannelQueue {
  private readonly slots = new Map<string, MessageSlot>();
  /** Progress messages of delivered results that an interaction webhook can still delete, by message id. */
  private readonly viaOfMessage = new Map<string, InteractionRoute>();
  private readonly channels = new Map<string, Channel>();
  /** Results queued and not yet started, in every lane (see resultsWaiting). */
  private readyResults = 0;

  constructor(
    /** The hash of an update's progress body, or null when it cannot be rendered (answered 'invalid' already). */
    private readonly progressHashOf: (queued: QueuedUpdate) => string | null,
    /** The lane a slot's job of this class waits in (default: its channel). */
    private readonly laneOf: (slot: MessageSlot, cls: ReadyClass) => string = (slot) => slot.channelId,
  ) {}

  slotFor({ tracked: t, via }: TaskUpdate): MessageSlot {
    const key = `${t.taskId}:${t.startedAt}`;
    const slot = this.slots.get(key) ?? {
      key,
      channelId: t.channelId,
      messageId: t.messageId,
      lastHash: t.lastRenderHash,
      queued: null,
      inFlight: false,
      readyIn: null,
      readyLane: t.channelId,
      via: via ?? null,
    };
    this.slots.set(key, slot);
    return slot;
  }

  /** Results queued and not yet started, in every channel: what the tracker reads as a backlog. */
  resultsWaiting(): number {
    return this.readyResults;
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

  addRemoval(lane: string, removal: Removal, first = false): void {
    const { removals } = this.channelOf(lane);
    if (first) removals.unshift(removal);
    else removals.push(removal);
  }

  addLookup(lane: string, lookup: Lookup, first = false): void {
    const { lookups } = this.channelOf(lane);
    if (first) lookups.unshift(lookup);
    else lookups.push(lookup);
  }

  /**
   * The next job of a channel: results, lookups, first progress messages, deletes, edits; identical
   * renders are dropped for free. Nothing is dequeued (the gate may hold the job back).
   */
  nextJobFor(lane: string): ChannelJob | null {
    const c = this.channels.get(lane);
    if (!c) return null;
    const final = oldestResult(c.ready.result);
    if (final) return { kind: 'update', slot: final, cls: 'result' };
    if (c.lookups.length > 0) return { kind: 'lookup', lane, cls: 'first_progress' };
    const first = this.firstToSend(c.ready.first_progress);
    if (first) return { kind: 'update', slot: first, cls: 'first_progress' };
    const [removal] = c.removals;
    if (removal) return { kind: 'removal', lane, cls: removal.edit ? 'edit' : 'delete' };
    const edit = this.firstToSend(c.ready.edit);
    if (edit) return { kind: 'update', slot: edit, cls: 'edit' };
    this.channels.delete(lane); // nothing queued: forget the lane
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
  takeRemoval(lane: string): Removal {
    return this.channelOf(lane).removals.shift() as Removal;
  }

  takeLookup(lane: string): Lookup {
    return this.channelOf(lane).lookups.shift() as Lookup;
  }

  /** The lane a slot waits in changed (its interaction token is past its time): it waits there now, in the same class. */
  relane(slot: MessageSlot): void {
    if (slot.readyIn === null) return;
    this.unmarkReady(slot);
    this.markReady(slot);
  }

  /** The result is out: later updates of this follow are not sent. */
  release(slot: MessageSlot, now: number): void {
    this.slots.delete(slot.key);
    if (slot.via === null || slot.messageId === null) return;
    // Kept until the tracker asks for the delete; a few thousand at most, swept of dead tokens when many.
    if (this.viaOfMessage.size >= 1_000)
      for (const [id, via] of this.viaOfMessage) if (via.usableUntil <= now) this.viaOfMessage.delete(id);
    this.viaOfMessage.set(slot.messageId, slot.via);
  }

  /** The interaction whose webhook may delete this progress message (once), if any. */
  takeViaOf(messageId: string): InteractionRoute | null {
    const via = this.viaOfMessage.get(messageId) ?? null;
    this.viaOfMessage.delete(messageId);
    return via;
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

  /** Answers the channel's queued deletes with false and its lookups with nothing found (closing). */
  dropRemovals(lane: string): void {
    const c = this.channelOf(lane);
    c.removals.splice(0).forEach((r) => r.resolve(false));
    c.lookups.splice(0).forEach((l) => l.resolve([]));
  }

  isEmpty(): boolean {
    return [...this.channels.values()].every(
      (c) => c.removals.length === 0 && c.lookups.length === 0 && Object.values(c.ready).every((set) => set.size === 0),
    );
  }

  /** Closing: every queued update is answered 'retry', every queued delete false, every lookup nothing found. */
  drain(): void {
    for (const c of this.channels.values()) {
      for (const set of Object.values(c.ready)) {
        for (const slot of set) {
          if (slot.queued) resolveWaiters(slot.queued, { kind: 'retry' });
          slot.readyIn = null;
        }
        set.clear();
      }
      this.readyResults = 0;
      c.removals.splice(0).forEach((r) => r.resolve(false));
      c.lookups.splice(0).forEach((l) => l.resolve([]));
    }
  }

  /** The first slot of a progress class whose body differs from what Discord shows; the others are answered 'skipped'. */
  private firstToSend(set: Set<MessageSlot> | undefined): MessageSlot | null {
    if (!set) return null;
    for (const slot of set) {
      const queued = slot.queued;
      const hash = queued && this.progressHashOf(queued);
      if (hash && hash !== slot.lastHash) return slot;
      this.unmarkReady(slot);
      if (hash && queued) resolveWaiters(queued, { kind: 'skipped' });
      slot.queued = null;
    }
    return null;
  }

  /** Puts a slot in the class its queued update needs, keeping its place when the class stays the same. */
  private markReady(slot: MessageSlot): void {
    const cls = readyClassOf(slot);
    const lane = this.laneOf(slot, cls);
    if (slot.readyIn === cls && slot.readyLane === lane) return;
    this.unmarkReady(slot);
    (this.channelOf(lane).ready[cls] ??= new Set()).add(slot);
    if (cls === 'result') this.readyResults++;
    slot.readyIn = cls;
    slot.readyLane = lane;
  }

  private unmarkReady(slot: MessageSlot): void {
    if (slot.readyIn === null) return;
    if (this.channels.get(slot.readyLane)?.ready[slot.readyIn]?.delete(slot) && slot.readyIn === 'result')
      this.readyResults--;
    slot.readyIn = null;
  }

  private channelOf(channelId: string): Channel {
    let c = this.channels.get(channelId);
    if (!c) this.channels.set(channelId, (c = { ready: {}, removals: [], lookups: [] }));
    return c;
  }
}
