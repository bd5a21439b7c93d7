// Contracts between the tracker (which follows tasks), the store (which remembers them across
// restarts) and the publisher (which turns task states into Discord messages).
import type { Phrase } from '../i18n/index.js';
import type { MjTask } from '../mj/schema.js';
import type { TaskTarget, TrackedTask } from '../store/tracked-tasks.js';
import type { InteractionHook, MessageBody } from './messenger.js';
import type { RequestGateCounts } from './request-gate.js';
import type { ProgressLookupKey } from './progress-lookup.js';

/**
 * Progress through the member's own interaction: while its token lives, the task's progress message
 * is created (a follow-up) and edited through the interaction webhook, which Discord does not count
 * against the global limit, so the task's only channel request is its result. Memory only (the token
 * is a secret and dies after 15 minutes): after a restart, or past `usableUntil`, the channel routes
 * edit the same message (the bot owns it).
 */
export interface InteractionRoute extends InteractionHook {
  interactionId: string;
  /** The interaction's @original when that is the followed message (the /mjtask reply); other messages are follow-ups, edited by id. */
  originalMessageId: string | null;
  /** Bot clock, ms: from then on the channel routes are used (the token lives 15 minutes; this keeps a margin). */
  usableUntil: number;
}

/** What the tracker tells the publisher. `final` is true for SUCCESS / FAILURE / CANCEL / timed out / not found. */
export interface TaskUpdate {
  tracked: TrackedTask;
  task: MjTask;
  final: boolean;
  /** Set when the tracker gave up: the message shows a visible "timed out" state. */
  timedOut?: boolean;
  /** Extra line shown in the message (e.g. why it timed out), worded in the channel's language. */
  note?: Phrase;
  /**
   * The bot's own reason for a synthetic end (the API lost the task, its answers could not be read),
   * shown in place of the task's failReason; a failReason from the server is shown verbatim.
   */
  reason?: Phrase;
  /** Progress goes through this interaction's webhook while it can (results never do). */
  via?: InteractionRoute;
}

/** Outcome of publishing, so the tracker knows whether to keep following. */
export type PublishOutcome =
  /**
   * Delivered. `messageId` is the progress message (created by this call or earlier; null when none
   * exists); `resultMessageId` is set for a final update; `renderHash` is what was sent.
   */
  | { kind: 'ok'; messageId: string | null; resultMessageId: string | null; renderHash: string | null }
  /** Nothing sent: the render was identical to the last one, or a newer update replaced this one. */
  | { kind: 'skipped' }
  /** Message deleted (10008) or channel unreachable (10003 / 50001 / 50013): stop following. */
  | { kind: 'gone' }
  /** Discord rejected the payload (50035 …): not retried. */
  | { kind: 'invalid' }
  /** Transient failure (network, 5xx, publisher closing): the next update / retry will try again. */
  | { kind: 'retry' };

/** Turns TaskUpdates into Discord messages (src/tracking/publisher.ts). */
export interface Publisher {
  /**
   * Queues the task's latest state. Not final: creates (nonce-protected) or edits the silent progress
   * message. Final: posts the result as a new message (nonce-protected, mentions the requester, image
   * attached when it downloads) and leaves the progress message alone — call removeProgress once the
   * result is recorded. Resolves 'skipped' when a newer update replaced this one or nothing changed.
   */
  publish(update: TaskUpdate): Promise<PublishOutcome>;
  /**
   * publish() of a progress update with a callback in place of the promise: `settled` gets the
   * outcome (possibly during the call, or during a later publish that replaces this one). No promise
   * per queued update: at 10,000 tasks one waits for almost every task.
   */
  offerProgress(update: TaskUpdate, settled: (outcome: PublishOutcome) => void): void;
  /** Deletes a progress message (best effort, ahead of progress edits); true when it is gone. */
  removeProgress(channelId: string, messageId: string): Promise<boolean>;
  /**
   * Looks in the channel for the follow-ups of `interactionId` that show `taskId`: a first progress
   * message Discord created while the bot died before it stored the id (the webhook create takes no
   * nonce). Their ids, oldest first; [] when there is none, no Read Message History, or the look
   * failed. Through the channel's lane, ahead of its first progress messages, one request per page.
   */
  findProgress(channelId: string, lookup: ProgressLookupKey): Promise<string[]>;
  /**
   * Edits a message no follow owns (a clicked button shown as used), through the channel's lane like
   * every other channel request (best effort, after results, first progress and deletes); true once done.
   */
  editMessage(channelId: string, messageId: string, body: MessageBody): Promise<boolean>;
  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void>;
  /** Finishes requests in flight, answers queued ones with 'retry' / false, clears timers. Idempotent. */
  close(): Promise<void>;
  /** What the request gates count now (for /healthz and the bench): requests in the window, lanes waiting, started by class. */
  counts?(): { channels: RequestGateCounts; interactions: RequestGateCounts };
  /** From now on this instance's channel requests hold `limit` per second (its share of Discord's global limit). */
  setGlobalShare?(limit: number): void;
  /** How long the results queued now take to go out at the global window's rate (its share of it), in ms. */
  resultsWaitingMs?(): number;
}

/**
 * What a push for a task did: 'hinted' brought its re-read forward (or one is already due as soon),
 * 'stale' was a followed task whose result is already on its way, 'dropped' found the hint queue full,
 * 'untracked' is a task not followed.
 */
export type HintOutcome = 'hinted' | 'stale' | 'dropped' | 'untracked';

/**
 * How a push for a task nobody follows ended: 'followed' (the API's answer was accepted by
 * `targetFor`), 'declined' (refused by targetFor, or followed meanwhile), 'unknown' (the API could not
 * show it), 'dropped' (the hint queue was full, or the tracker is stopped).
 */
export type PickUpOutcome = 'followed' | 'declined' | 'unknown' | 'dropped';

export interface TrackerCounts {
  /** Tasks followed now (including those whose result is being delivered). */
  active: number;
  /** Of those, how many have a result waiting to be delivered. */
  finishing: number;
  /** Active tasks by last seen status ("" is reported as SUBMITTED). */
  byStatus: Record<string, number>;
  /** Tasks this instance holds the lease of (each active task has one owner among the instances). */
  leased: number;
}

export interface Tracker {
  /**
   * Starts following `taskId` in `target` and stores it. When `target.messageId` is null the first
   * progress message is posted before this resolves (with `initialTask`, or "waiting to start"); when
   * `initialTask` is already finished the result is posted and its id returned. Following a task
   * that is already followed returns its message. Rejects when the channel is unreachable.
   * `via`: the member's interaction, whose webhook carries the progress while its token lives.
   */
  follow(
    taskId: string,
    target: TaskTarget,
    initialTask?: MjTask,
    via?: InteractionRoute,
  ): Promise<{ messageId: string | null }>;
  /**
   * Stores `taskId` as followed in `target` (leased to this instance) without posting anything yet:
   * called right after a paid submit, before the member is answered, so an instance that dies in
   * between leaves a row the others take over (they post its progress and result in the channel).
   * follow() then gives it its first state and route and posts, as for a task it starts following.
   * False when another instance follows it.
   */
  prepare(taskId: string, target: TaskTarget): Promise<boolean>;
  /**
   * A notifyHook delivery for a followed task: a hint, never applied. The task is re-read from the
   * API in the next batch (after the batch window, so hints arriving together share a request).
   */
  hint(taskId: string): HintOutcome;
  /**
   * A push for a task nobody follows: reads it from the API in the next batch and, when
   * `targetFor(the API's answer)` names a target, follows it there with that answer. The push's body is
   * never used. Rejects like follow() when the channel cannot be reached. `shown` hears the message
   * follow() points at (a click answered by the task links to it).
   */
  pickUp(
    taskId: string,
    targetFor: (task: MjTask) => Promise<TaskTarget | null>,
    shown?: (messageId: string | null) => void,
  ): Promise<PickUpOutcome>;
  /** Resumes every active task from the store, prunes old rows and starts the loop. */
  start(): Promise<void>;
  /** Stops the loop, closes the publisher (requests in flight finish and are recorded). Idempotent. */
  stop(): Promise<void>;
  /** Resolves once no fetch, publish, result delivery or delete the tracker started is in flight. */
  idle(): Promise<void>;
  /** Claims now the tasks another instance held and can hold no more (it stopped, or fell silent). */
  claimFreed(): void;
  counts(): TrackerCounts;
  /** Tasks this member started that are still running (for per-member caps). */
  runningCountFor(userId: string): number;
  /** Whether `taskId` is one of the tasks runningCountFor counts for this member. */
  isRunningFor(taskId: string, userId: string): boolean;
}
