// What every interaction handler gets: the parts of the bot, passed in rather than imported, so tests
// run the same handlers against stand-ins.
import type { Config } from '../config/load.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { MjApi } from '../mj/api.js';
import type { MjTask } from '../mj/schema.js';
import type { Store } from '../store/store.js';
import type { TaskTarget } from '../store/tracked-tasks.js';

/** Follows a task to its result (the tracker). */
export interface TaskFollower {
  /**
   * Starts following `taskId`. When `target.messageId` is null the first progress message is posted
   * in `target.channelId` before this resolves, and its id returned.
   */
  follow(taskId: string, target: TaskTarget, initialTask?: MjTask): Promise<{ messageId: string | null }>;
  /** How many tasks this member has running now (for MAX_RUNNING_TASKS_PER_MEMBER). */
  runningCountFor(userId: string): number;
}

export interface BotContext {
  config: Config;
  mj: MjApi;
  log: Logger;
  clock: Clock;
  /** Tracked tasks, server settings and the click log (SQLite). */
  store: Store;
  tracking: TaskFollower;
  /** Where tasks started in this server are reported: the server's setting, UPDATES_CHANNEL_ID, else the fallback. */
  updatesChannelFor(guildId: string | null, fallbackChannelId: string): string;
}
