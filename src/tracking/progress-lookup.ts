// Finding a task's progress follow-up in its channel's history (Publisher.findProgress, for
// lost-progress.ts): which listed messages are that follow-up, and whether another page is worth
// reading. Discord lists at most 100 messages per request (GET /channels/{id}/messages?after=),
// oldest-after-the-id first but ordered newest to oldest in the answer, so nothing here relies on
// the order. Pure: plain message data in, ids out.
import { readTaskIdFromMessage } from '../render/task-message-codec.js';
import type { ListedMessage } from './messenger.js';

/** What the lookup is for: the interaction whose webhook may have made the follow-up, and the task it shows. */
export interface ProgressLookupKey {
  interactionId: string;
  taskId: string;
}

/** A look through a channel's history for a task's progress follow-up, one page per request. */
export interface Lookup extends ProgressLookupKey {
  channelId: string;
  /** The snowflake the next page starts after: the interaction's id, then the newest message read. */
  after: string;
  /** Pages read so far. */
  pages: number;
  /** The task's follow-ups found so far. */
  found: string[];
  /** The task's follow-ups, oldest first; [] when none was found (or the look failed). */
  resolve: (messageIds: string[]) => void;
}

/** Discord lists at most 100 messages per request. */
export const MAX_LISTED_MESSAGES = 100;
/** Pages read at most per lookup: 500 messages after the interaction, in the channel's busiest minutes. */
export const MAX_LOOKUP_PAGES = 5;
/** Discord: an interaction token works for 15 minutes; no follow-up of it is made later than that. */
export const FOLLOW_UP_WINDOW_MS = 15 * 60_000;
/** Discord's epoch (2015-01-01T00:00:00Z): a snowflake's top 42 bits are milliseconds since it. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

/** When Discord made the thing a snowflake names (ms since 1970); NaN for a string that is not one. */
export function snowflakeTime(id: string): number {
  if (!/^\d{1,20}$/.test(id)) return NaN;
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}

const byAge = (a: string, b: string): number => {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/** A follow-up of the lookup's interaction that shows its task (one interaction may start several tasks). */
export const isProgressOf = (message: ListedMessage, key: ProgressLookupKey): boolean =>
  message.interactionId === key.interactionId && readTaskIdFromMessage(message) === key.taskId;

/**
 * The ids of the listed messages that are the task's follow-ups, oldest first. More than one: a
 * create Discord made twice (a retry after a lost answer); the oldest is kept, the rest are extras.
 */
export function progressFollowUps(listed: readonly ListedMessage[], key: ProgressLookupKey): string[] {
  return listed
    .filter((m) => isProgressOf(m, key))
    .map((m) => m.id)
    .sort(byAge);
}

/**
 * The snowflake the next page starts after, or null when this page ends the look: it was not full
 * (nothing newer exists yet), its newest message is past the interaction's follow-up window (no
 * follow-up can be newer), or `pagesRead` reached MAX_LOOKUP_PAGES.
 */
export function nextPageAfter(
  listed: readonly ListedMessage[],
  interactionId: string,
  pagesRead: number,
): string | null {
  if (listed.length < MAX_LISTED_MESSAGES || pagesRead >= MAX_LOOKUP_PAGES) return null;
  const newest = listed.map((m) => m.id).sort(byAge)[listed.length - 1];
  if (newest === undefined) return null;
  const past = snowflakeTime(newest) - snowflakeTime(interactionId) > FOLLOW_UP_WINDOW_MS;
  return past ? null : newest;
}
