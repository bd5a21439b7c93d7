// The click log on SQLite: every paid submit (button click or /imagine) with its outcome. It is the
// "used buttons" memory (which button of which message started which task) and the per-member log
// the rate limits count. Implements the guards' ClickLog (served asynchronously by store.ts).
import type { Database } from 'better-sqlite3';
import type { Synchronous } from './synchronous.js';

// The port the submit guards read. The guards' early checks (findRecent, countSince) answer a member
// before any work; recordFirst then checks again and records in one step, so two instances sharing a
// PostgreSQL database cannot both record a click on one button, or a member's click past the limit.
export interface ClickAttempt {
  /** The message whose button was clicked; null for /imagine. */
  messageId: string | null;
  /** The MJ customId submitted ("imagine" for /imagine). */
  customId: string;
  userId: string;
  /** Bot clock, ms. */
  at: number;
  /**
   * Where it was made (server, channel, the server's preferred locale): a click whose answer never
   * came is shown there once its task is found (submit/recovery.ts). Absent or null: not recorded.
   */
  guildId?: string | null;
  channelId?: string | null;
  guildLocale?: string | null;
  /** What the usage log calls it ('imagine', 'upsample', …), for counting a submit found again. */
  action?: string | null;
  /** The tasks it may start (the places it holds: 🎉 Imagine all four); at most this many are counted when found. Default 1. */
  places?: number;
  /**
   * The instance that sends its submit (INSTANCE_ID). Once the instance registry counts it out, no
   * answer can come any more: its pending clicks are looked for at once (UnansweredQuery.silent),
   * while the API's latest tasks still list theirs.
   */
  madeBy?: string | null;
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

/** What makes a click not the first: checked and recorded as one step by recordFirst. */
export interface FirstClickRules {
  /** A click on the same button (not failed) at or after this time makes this one a repeat; null: not checked. */
  repeatSince: number | null;
  /** At most `limit` attempts by the member at or after `since` (CLICKS_PER_MINUTE); null: no limit. */
  rate: { since: number; limit: number } | null;
}

export type FirstClick =
  | { kind: 'recorded'; id: number }
  | { kind: 'repeat'; previous: ClickRecord }
  | { kind: 'rate_limited'; oldest: number };

export interface ClickLog {
  /** Records a click right before its submit; returns its id. */
  record(attempt: ClickAttempt): Promise<number>;
  /** Records the click unless `rules` make it a repeat or one too many, atomically across instances. */
  recordFirst(attempt: ClickAttempt, rules: FirstClickRules): Promise<FirstClick>;
  /**
   * The submit gave a task. `onlyPending`: only a click still pending is marked (a task found after a
   * lost answer: the first one found is the one a repeat click links to, however many find it).
   */
  complete(id: number, result: ClickResult, onlyPending?: boolean): Promise<void>;
  /** The API refused it: nothing was spent, so it no longer blocks a second click. */
  fail(id: number): Promise<void>;
  /** The latest click on this button of this message at or after `since` that did not fail, or null. */
  findRecent(messageId: string, customId: string, since: number): Promise<ClickRecord | null>;
  /** Submits this member attempted at or after `since` (refused ones too: each one hit the API). */
  countSince(userId: string, since: number): Promise<number>;
  /** The oldest such attempt's time, so a rate-limited member is told when to retry; null if none. */
  oldestSince(userId: string, since: number): Promise<number | null>;
}

/** A pending click whose submit answer never came: the instance that sent it died, or it timed out. */
export interface UnansweredClick {
  id: number;
  messageId: string | null;
  customId: string;
  userId: string;
  at: number;
  guildId: string | null;
  channelId: string;
  guildLocale: string | null;
  /** What the usage log calls it; null for a click recorded before the log kept it. */
  action: string | null;
  /** Looks taken so far (claimLook). */
  tries: number;
}

/** A click as the task it paid for, found later, needs it: who made it, where, and whether it is answered. */
export interface HeldClick extends Omit<UnansweredClick, 'channelId' | 'tries'> {
  /** Null for a click recorded before the log kept its channel. */
  channelId: string | null;
  state: ClickRecord['state'];
}

export interface UnansweredQuery {
  /** Made at or after this… */
  since: number;
  /** …and at or before this (older than any answer that can still come)… */
  before: number;
  /**
   * …or, on PostgreSQL, made by an instance the registry counts out: not heard from since `since`
   * (store/instances.ts), other than `self` (the one asking, whose own answers may still come). Its
   * submits cannot be answered any more. SQLite has one instance.
   */
  silent?: { since: number; self: string };
  /** Not claimed by a look that is still on: its next look is due at or before now. */
  now: number;
  /** Fewer looks than this. */
  maxTries: number;
  limit: number;
}

export interface ClickStore extends ClickLog {
  /** Deletes records older than `beforeMs`; returns how many. */
  prune(beforeMs: number): Promise<number>;
  /** Pending clicks recorded with their channel that `query` selects, oldest first. */
  unanswered(query: UnansweredQuery): Promise<UnansweredClick[]>;
  /**
   * Takes the next look for a pending click's task, due at `now`, and puts the one after at `until`:
   * true for one caller only, across instances sharing the database; false when it is answered or
   * another look holds it.
   */
  claimLook(id: number, now: number, until: number): Promise<boolean>;
  /** The click with this id, or null when the log does not hold it (pruned, or never recorded here). */
  get(id: number): Promise<HeldClick | null>;
}

interface Row {
  id: number;
  guild_id: string | null;
  channel_id: string | null;
  guild_locale: string | null;
  recover_tries: number;
  usage_action: string | null;
  message_id: string | null;
  custom_id: string;
  user_id: string;
  at: number;
  state: string;
  child_task_id: string | null;
  follow_channel_id: string | null;
  follow_message_id: string | null;
}

export const clickStateOf = (state: string): ClickRecord['state'] =>
  state === 'submitted' || state === 'failed' ? state : 'pending';

function fromRow(r: Row): ClickRecord {
  return {
    id: r.id,
    messageId: r.message_id,
    customId: r.custom_id,
    userId: r.user_id,
    at: r.at,
    state: clickStateOf(r.state),
    childTaskId: r.child_task_id,
    followChannelId: r.follow_channel_id,
    followMessageId: r.follow_message_id,
  };
}

/** A row that unanswered() selected (channel_id is not null there). */
export function unansweredOf(
  r: Omit<Row, 'state' | 'child_task_id' | 'follow_channel_id' | 'follow_message_id'>,
): UnansweredClick {
  return {
    id: Number(r.id),
    messageId: r.message_id,
    customId: r.custom_id,
    userId: r.user_id,
    at: Number(r.at),
    guildId: r.guild_id,
    channelId: r.channel_id ?? '',
    guildLocale: r.guild_locale,
    action: r.usage_action,
    tries: Number(r.recover_tries),
  };
}

/** A row as get() reads it. */
export function heldOf(r: Omit<Row, 'child_task_id' | 'follow_channel_id' | 'follow_message_id'>): HeldClick {
  const { tries: _tries, ...click } = unansweredOf(r);
  return { ...click, channelId: r.channel_id, state: clickStateOf(r.state) };
}

/** The columns of a new click (the optional place as NULLs). */
export const insertedClick = (a: ClickAttempt) => ({
  message_id: a.messageId,
  custom_id: a.customId,
  user_id: a.userId,
  at: a.at,
  guild_id: a.guildId ?? null,
  channel_id: a.channelId ?? null,
  guild_locale: a.guildLocale ?? null,
  made_by: a.madeBy ?? null,
  usage_action: a.action ?? null,
  usage_places: Math.max(1, Math.trunc(a.places ?? 1)),
});

export function createClickStore(db: Database): Synchronous<ClickStore> {
  const insertRow =
    db.prepare(`INSERT INTO clicks (message_id, custom_id, user_id, at, guild_id, channel_id, guild_locale, usage_action,
      usage_places, made_by)
    VALUES (@message_id, @custom_id, @user_id, @at, @guild_id, @channel_id, @guild_locale, @usage_action, @usage_places,
      @made_by)`);
  const insert = { run: (attempt: ClickAttempt) => insertRow.run(insertedClick(attempt)) };
  const unanswered = db.prepare<[number, number, number, number, number], Row>(`SELECT * FROM clicks
    WHERE state = 'pending' AND at >= ? AND at <= ? AND channel_id IS NOT NULL
      AND (recover_after IS NULL OR recover_after <= ?) AND recover_tries < ?
    ORDER BY at, id LIMIT ?`);
  const claimLook = db.prepare(`UPDATE clicks SET recover_after = @until, recover_tries = recover_tries + 1
    WHERE id = @id AND state = 'pending' AND (recover_after IS NULL OR recover_after <= @now)`);
  const complete = db.prepare(`UPDATE clicks SET state = 'submitted', child_task_id = @childTaskId,
    follow_channel_id = @followChannelId, follow_message_id = @followMessageId WHERE id = @id`);
  const completePending = db.prepare(`UPDATE clicks SET state = 'submitted', child_task_id = @childTaskId,
    follow_channel_id = @followChannelId, follow_message_id = @followMessageId WHERE id = @id AND state = 'pending'`);
  const byId = db.prepare<[number], Row>('SELECT * FROM clicks WHERE id = ?');
  const fail = db.prepare(`UPDATE clicks SET state = 'failed' WHERE id = ?`);
  const findRecent = db.prepare<[string, string, number], Row>(`SELECT * FROM clicks
    WHERE message_id = ? AND custom_id = ? AND at >= ? AND state <> 'failed' ORDER BY at DESC, id DESC LIMIT 1`);
  const countSince = db.prepare<[string, number], { n: number }>(
    'SELECT COUNT(*) AS n FROM clicks WHERE user_id = ? AND at >= ?',
  );
  const oldestSince = db.prepare<[string, number], { t: number | null }>(
    'SELECT MIN(at) AS t FROM clicks WHERE user_id = ? AND at >= ?',
  );
  const prune = db.prepare('DELETE FROM clicks WHERE at < ?');
  // One process per file and synchronous statements: the transaction is only for the write lock.
  const recordFirst = db.transaction((attempt: ClickAttempt, rules: FirstClickRules): FirstClick => {
    const previous =
      rules.repeatSince !== null && attempt.messageId !== null
        ? findRecent.get(attempt.messageId, attempt.customId, rules.repeatSince)
        : undefined;
    if (previous) return { kind: 'repeat', previous: fromRow(previous) };
    if (rules.rate && (countSince.get(attempt.userId, rules.rate.since)?.n ?? 0) >= rules.rate.limit)
      return { kind: 'rate_limited', oldest: oldestSince.get(attempt.userId, rules.rate.since)?.t ?? attempt.at };
    return { kind: 'recorded', id: Number(insert.run(attempt).lastInsertRowid) };
  });

  return {
    record: (attempt) => Number(insert.run(attempt).lastInsertRowid),
    recordFirst: (attempt, rules) => recordFirst.immediate(attempt, rules),
    complete(id, result, onlyPending = false) {
      (onlyPending ? completePending : complete).run({ id, ...result });
    },
    fail(id) {
      fail.run(id);
    },
    findRecent(messageId, customId, since) {
      const row = findRecent.get(messageId, customId, since);
      return row ? fromRow(row) : null;
    },
    countSince: (userId, since) => countSince.get(userId, since)?.n ?? 0,
    oldestSince: (userId, since) => oldestSince.get(userId, since)?.t ?? null,
    prune: (beforeMs) => prune.run(beforeMs).changes,
    // One instance per file: no other instance's clicks to look for sooner (silent).
    unanswered: (q) => unanswered.all(q.since, q.before, q.now, q.maxTries, q.limit).map(unansweredOf),
    claimLook: (id, now, until) => claimLook.run({ id, now, until }).changes === 1,
    get(id) {
      const row = byId.get(id);
      return row ? heldOf(row) : null;
    },
  };
}
