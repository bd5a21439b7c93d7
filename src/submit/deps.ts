// The one object every interaction handler gets: the parts of the bot, passed in rather than
// imported, so tests run the same handlers against stand-ins. Built once in bot.ts.
import type { Clock } from '../clock.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../log.js';
import type { AttachmentDownloader } from '../media/attachment-download.js';
import type { MjApi } from '../mj/api.js';
import type { BannedPromptLog } from '../store/banned-prompts.js';
import type { DialectCapabilities } from '../mj/capabilities.js';
import type { ClickLog } from '../store/clicks.js';
import type { GuildSettingsRepo } from '../store/guild-settings.js';
import type { TaskOwnerRepo } from '../store/task-owners.js';
import type { TrackedTaskRepo } from '../store/tracked-tasks.js';
import type { UsageLog } from '../store/usage.js';
import type { Publisher, Tracker } from '../tracking/types.js';
import type { KeyedLock } from './keyed-lock.js';
import type { RemixMemory } from './remix-memory.js';

export interface HandlerDeps {
  config: Config;
  mj: MjApi;
  log: Logger;
  clock: Clock;
  /** Edits of messages no follow owns (a clicked button shown as used), paced like every channel request. */
  messages: Pick<Publisher, 'editMessage'>;
  /** Follows a submitted or shown task to its result; counts a member's running tasks. */
  tracker: Pick<Tracker, 'follow' | 'prepare' | 'runningCountFor' | 'isRunningFor'>;
  /** Per-server settings (/mjsettings, /mjupdates), with their audit trail. */
  settings: GuildSettingsRepo;
  /** Paid submits and refusals per server, member and day: the daily quota and budget, /mjusage. */
  usage: UsageLog;
  /** Every paid submit with its outcome: double clicks and rate limits read it. */
  clickLog: ClickLog;
  /** Who started each task the bot submitted: the first source of ownership. */
  owners: TaskOwnerRepo;
  /** The tasks the tracker follows: who watched a task with /mjtask (the shower of its result). */
  followed: Pick<TrackedTaskRepo, 'get'>;
  /** Banned prompts per member: a member with too many is paused. */
  bannedPrompts: BannedPromptLog;
  /** Signs and verifies the submit `state` (deriveStateKey). */
  stateKey: Buffer;
  /** One submit at a time per (message, button), so a double click finds the first in the click log. */
  lock: KeyedLock;
  /** What the API last showed of the account's Remix mode. */
  remix: RemixMemory;
  /** Removes every configured secret from a text (src/redact.ts), before anything cuts it. */
  redact: (text: string) => string;
  /** Where tasks started in this server are reported: the server's setting, UPDATES_CHANNEL_ID, else the fallback. */
  updatesChannelFor(guildId: string | null, fallbackChannelId: string): Promise<string>;
  /** Downloads the images members attach to commands (Discord's CDN only, checked, bounded). */
  attachments: Pick<AttachmentDownloader, 'download'>;
  /**
   * The language of this server's channel messages (a src/i18n language code): its /mjsettings
   * choice, else `guildLocale`. Fixed on a task when the bot starts following it.
   */
  channelLocaleFor(guildId: string | null, guildLocale: string | null): Promise<string>;
  /** What the Midjourney server can run (MJ_API_DIALECT or detected at start); absent: every button as sent. */
  capabilities?: () => DialectCapabilities;
}
