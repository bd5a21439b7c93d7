// Pushes reach the owner: a notifyHook push may arrive at any instance, and only the task's owner
// (its lease, ./leases.ts) follows it. The receiving instance relays the task id, and the owner treats
// it like a push of its own (a hint: the task is re-read from the API, never taken from the push).
// PostgreSQL: NOTIFY / LISTEN on one channel (pg/push-relay.ts). SQLite serves one instance: a push
// for a task it does not follow has no one else to go to, so it is handled where it arrived.
// The same listening connection hears another instance's change of a server's settings, so each
// instance's short-lived copy of them (settings-cache.ts) is dropped as the change commits.

/** Task ids are short (digits on every known server); a longer payload is not relayed or accepted. */
export const MAX_RELAYED_ID_LENGTH = 100;

/** What else the listening connection hears from the other instances. */
export interface RelayWatchers {
  /** Another instance changed this server's settings (told once the change committed). */
  settingsChanged?(guildId: string): void;
  /** Listening (again, after a lost connection): whatever was told before it was missed. */
  resumed?(): void;
}

export interface PushRelay {
  /** Tells the other instances a push arrived for `taskId`; false when there is no one to tell (SQLite). */
  tell(taskId: string): Promise<boolean>;
  /**
   * Calls `onPush(taskId)` for each push another instance relayed, from now on (reconnecting after a
   * lost connection), and `watchers` for what else they tell; resolves once listening, with the
   * function that stops it.
   */
  listen(onPush: (taskId: string) => void, watchers?: RelayWatchers): Promise<() => Promise<void>>;
}

export const localPushRelay: PushRelay = {
  tell: () => Promise.resolve(false),
  listen: () => Promise.resolve(() => Promise.resolve()),
};

/** Whether a payload can be a server's id (a Discord snowflake). */
export const isGuildId = (guildId: string): boolean => /^\d{1,25}$/.test(guildId);

/** Whether a relayed payload can be a task id (bounded, printable, no separators). */
export const isRelayableId = (taskId: string): boolean =>
  taskId.length > 0 && taskId.length <= MAX_RELAYED_ID_LENGTH && /^[\w.:-]+$/.test(taskId);
