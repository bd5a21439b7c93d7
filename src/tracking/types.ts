// Contracts between the tracker (which follows tasks), the store (which remembers them across
// restarts) and the publisher (which turns task states into Discord messages).
import type { MjTask } from '../mj/schema.js';

/** Why the bot follows a task; decides wording and who is mentioned. */
export type TrackOrigin = 'command' | 'click' | 'imagine' | 'watch' | 'feed';

/** Where a followed task is shown. */
export interface TaskTarget {
  guildId: string | null;
  channelId: string;
  /** The bot-owned message edited with progress; null until the first one is posted. */
  messageId: string | null;
  /** Member to mention in the result, null for feed-only tasks. */
  requesterId: string | null;
  origin: TrackOrigin;
}

/** A tracked task as the store keeps it. */
export interface TrackedTask extends TaskTarget {
  taskId: string;
  /** When the bot started following it (ms, bot clock): the max-age timeout counts from here. */
  startedAt: number;
  /** Last status/progress the bot has seen (forward-only, see stateRank). */
  lastStatus: string;
  lastProgress: string;
  /** When the last push (notifyHook) arrived, ms; polling slows down for pushed tasks. */
  lastPushAt: number | null;
  /** Hash of the last payload rendered to Discord, so identical states cause no edit. */
  lastRenderHash: string | null;
  /** Id of the result message, once posted: its presence means the result was delivered. */
  resultMessageId: string | null;
  /** active: followed; done: result delivered; gone: message deleted / access lost; timed_out. */
  phase: 'active' | 'done' | 'gone' | 'timed_out';
}

/** What the tracker tells the publisher. `final` is true for SUCCESS / FAILURE / CANCEL / timed out. */
export interface TaskUpdate {
  tracked: TrackedTask;
  task: MjTask;
  final: boolean;
  /** Set when the tracker gave up: the message shows a visible "timed out" state. */
  timedOut?: boolean;
}

/** Outcome of publishing, so the tracker knows whether to keep following. */
export type PublishOutcome =
  | { kind: 'ok'; messageId: string | null; resultMessageId?: string | null; renderHash: string | null }
  | { kind: 'gone' } // message deleted (10008) or channel unreachable (50001 / 50013, 10003)
  | { kind: 'retry' }; // transient failure; the next update will try again
