// The memory of paid submits: every click (and /imagine) that reached the point of submitting. The
// guards read it for rate limits and double clicks. Synchronous on purpose: checking for a recent
// click and recording a new one happen in the same tick, so two clicks cannot both pass the check
// (better-sqlite3 is synchronous too). The SQLite store implements the same interface.

export interface ClickAttempt {
  /** The message whose button was clicked; null for /imagine. */
  messageId: string | null;
  /** The MJ customId submitted ("imagine" for /imagine). */
  customId: string;
  userId: string;
  /** Bot clock, ms. */
  at: number;
}

export interface ClickResult {
  /** The task the submit started (or the existing / MODAL task it pointed to). */
  childTaskId: string;
  /** Where that task is shown, for the "already submitted → link" answer. */
  followChannelId: string | null;
  followMessageId: string | null;
}

export interface ClickRecord extends ClickAttempt {
  id: number;
  /** pending: submit in flight (or its answer lost to a timeout); submitted: it has a task; failed: the API refused. */
  state: 'pending' | 'submitted' | 'failed';
  childTaskId: string | null;
  followChannelId: string | null;
  followMessageId: string | null;
}

export interface ClickLog {
  /** Records a click right before its submit; returns its id. */
  record(attempt: ClickAttempt): number;
  /** The submit gave a task. */
  complete(id: number, result: ClickResult): void;
  /** The API refused it: nothing was spent, so it no longer blocks a second click. */
  fail(id: number): void;
  /** The latest click on this button of this message at or after `since` that did not fail, or null. */
  findRecent(messageId: string, customId: string, since: number): ClickRecord | null;
  /** Submits this member attempted at or after `since` (refused ones too: each one hit the API). */
  countSince(userId: string, since: number): number;
  /** The oldest such attempt's time, so a rate-limited member is told when to retry; null if none. */
  oldestSince(userId: string, since: number): number | null;
}

export interface MemoryClickLogOptions {
  /** Records older than this (relative to the newest record) are dropped. Default 1 h, above any guard window. */
  retentionMs?: number;
}

/** An in-memory ClickLog (tests, and a bot run without a database). */
export function createMemoryClickLog(options: MemoryClickLogOptions = {}): ClickLog {
  const retentionMs = options.retentionMs ?? 3_600_000;
  let records: ClickRecord[] = [];
  let nextId = 1;

  const byId = (id: number) => records.find((r) => r.id === id);

  return {
    record(attempt) {
      records = records.filter((r) => r.at >= attempt.at - retentionMs);
      const record: ClickRecord = { ...attempt, id: nextId++, state: 'pending', childTaskId: null, followChannelId: null, followMessageId: null };
      records.push(record);
      return record.id;
    },
    complete(id, result) {
      const r = byId(id);
      if (!r) return;
      r.state = 'submitted';
      r.childTaskId = result.childTaskId;
      r.followChannelId = result.followChannelId;
      r.followMessageId = result.followMessageId;
    },
    fail(id) {
      const r = byId(id);
      if (r) r.state = 'failed';
    },
    findRecent(messageId, customId, since) {
      for (let i = records.length - 1; i >= 0; i--) {
        const r = records[i];
        if (r && r.messageId === messageId && r.customId === customId && r.at >= since && r.state !== 'failed') return { ...r };
      }
      return null;
    },
    countSince(userId, since) {
      return records.filter((r) => r.userId === userId && r.at >= since).length;
    },
    oldestSince(userId, since) {
      const times = records.filter((r) => r.userId === userId && r.at >= since).map((r) => r.at);
      return times.length === 0 ? null : Math.min(...times);
    },
  };
}
