// An in-memory ClickLog for unit tests of the submit rules (the bot itself always uses the SQLite one).
import type { ClickLog, ClickRecord } from '../../src/store/clicks.js';

export interface MemoryClickLogOptions {
  /** Records older than this (relative to the newest record) are dropped. Default 1 h, above any guard window. */
  retentionMs?: number;
}

export function createMemoryClickLog(options: MemoryClickLogOptions = {}): ClickLog {
  const retentionMs = options.retentionMs ?? 3_600_000;
  let records: ClickRecord[] = [];
  let nextId = 1;

  const byId = (id: number) => records.find((r) => r.id === id);

  return {
    record(attempt) {
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
        if (r && r.messageId === messageId && r.customId === customId && r.at >= since && r.state !== 'failed')
          return { ...r };
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
