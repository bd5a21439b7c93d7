// An in-memory ClickLog for unit tests of the submit rules (the bot itself always uses the SQLite one).
import type {
  ClickAttempt,
  ClickLog,
  ClickRecord,
  ClickResult,
  FirstClick,
  FirstClickRules,
} from '../../src/store/clicks.js';

export interface MemoryClickLogOptions {
  /** Records older than this (relative to the newest record) are dropped. Default 1 h, above any guard window. */
  retentionMs?: number;
}

/** The log as plain synchronous code; createMemoryClickLog serves it through the asynchronous ClickLog port. */
function createMemoryRecords(options: MemoryClickLogOptions) {
  const retentionMs = options.retentionMs ?? 3_600_000;
  let records: ClickRecord[] = [];
  let nextId = 1;

  const byId = (id: number) => records.find((r) => r.id === id);

  return {
    record(attempt: ClickAttempt): number {
      records = records.filter((r) => r.at >= attempt.at - retentionMs);
      const record: ClickRecord = {
        ...attempt,
        id: nextId++,
        state: 'pending',
        childTaskId: null,
        followChannelId: null,
        followMessageId: null,
      };
      records.push(record);
      return record.id;
    },
    complete(id: number, result: ClickResult, onlyPending = false): void {
      const r = byId(id);
      if (!r || (onlyPending && r.state !== 'pending')) return;
      r.state = 'submitted';
      r.childTaskId = result.childTaskId;
      r.followChannelId = result.followChannelId;
      r.followMessageId = result.followMessageId;
    },
    fail(id: number): void {
      const r = byId(id);
      if (r) r.state = 'failed';
    },
    findRecent(messageId: string, customId: string, since: number): ClickRecord | null {
      for (let i = records.length - 1; i >= 0; i--) {
        const r = records[i];
        if (r && r.messageId === messageId && r.customId === customId && r.at >= since && r.state !== 'failed')
          return { ...r };
      }
      return null;
    },
    countSince(userId: string, since: number): number {
      return records.filter((r) => r.userId === userId && r.at >= since).length;
    },
    oldestSince(userId: string, since: number): number | null {
      const times = records.filter((r) => r.userId === userId && r.at >= since).map((r) => r.at);
      return times.length === 0 ? null : Math.min(...times);
    },
    /** Synchronous code: nothing can come between the checks and the record. */
    recordFirst(attempt: ClickAttempt, rules: FirstClickRules): FirstClick {
      const previous =
        rules.repeatSince !== null && attempt.messageId !== null
          ? this.findRecent(attempt.messageId, attempt.customId, rules.repeatSince)
          : null;
      if (previous) return { kind: 'repeat', previous };
      if (rules.rate && this.countSince(attempt.userId, rules.rate.since) >= rules.rate.limit)
        return { kind: 'rate_limited', oldest: this.oldestSince(attempt.userId, rules.rate.since) ?? attempt.at };
      return { kind: 'recorded', id: this.record(attempt) };
    },
  };
}

export function createMemoryClickLog(options: MemoryClickLogOptions = {}): ClickLog {
  const log = createMemoryRecords(options);
  return {
    record: (attempt) => Promise.resolve(log.record(attempt)),
    recordFirst: (attempt, rules) => Promise.resolve(log.recordFirst(attempt, rules)),
    complete: (id, result, onlyPending) => Promise.resolve(log.complete(id, result, onlyPending)),
    fail: (id) => Promise.resolve(log.fail(id)),
    findRecent: (messageId, customId, since) => Promise.resolve(log.findRecent(messageId, customId, since)),
    countSince: (userId, since) => Promise.resolve(log.countSince(userId, since)),
    oldestSince: (userId, since) => Promise.resolve(log.oldestSince(userId, since)),
  };
}
