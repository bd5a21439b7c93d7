// What one follow's message holds in the channel queue (channel-queue.ts): what Discord shows now,
// the update waiting for it and who waits for its outcome, and the job a lane would start next.
import type { DownloadedImage } from '../media/image-download.js';
import type { RequestClass } from './request-gate.js';
import type { InteractionRoute, PublishOutcome, TaskUpdate } from './types.js';

export interface QueuedUpdate {
  update: TaskUpdate;
  waiters: Array<(o: PublishOutcome) => void>;
  /** The progress body's hash (to compare with Discord's); the body is rendered again to send (kept, thousands waited rendered). */
  bodyHash?: string;
  /** Set after Discord refused the result with its attachment: send it once more with the link. */
  withoutImage?: boolean;
  /**
   * A result's place among its channel's results: when the task finished (the API's finishTime, else
   * when the bot learnt it). Oldest first: a channel's bucket lets 5 out per 5 s, and the ones that
   * must wait for the next window should be the ones that have waited least.
   */
  finishedAt?: number;
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
  /** The lane it waits in (meaningful while readyIn is set). */
  readyLane: string;
  /** Progress through this interaction's webhook; null once the channel routes took over (or never offered). */
  via: InteractionRoute | null;
  image?: Promise<DownloadedImage | null>;
}

export type ReadyClass = Exclude<RequestClass, 'delete'>;

/** The job a channel would start next; nothing is dequeued until it starts (the budget may hold it back). */
export type ChannelJob =
  | { kind: 'update'; slot: MessageSlot; cls: ReadyClass }
  | { kind: 'removal'; lane: string; cls: 'delete' | 'edit' }
  | { kind: 'lookup'; lane: string; cls: 'first_progress' };

export const resolveWaiters = (queued: QueuedUpdate, outcome: PublishOutcome): void =>
  queued.waiters.forEach((w) => w(outcome));
