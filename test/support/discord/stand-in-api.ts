// The test-facing API of the Discord stand-in (built by createDiscordStandIn in ./stand-in.ts): what a
// test reads (requests, messages, interactions, gateway state) and what it makes members and the server
// do (commands, clicks, modals, members, roles, channels, access, disconnects).
import type { ClientOptions } from 'discord.js';
import type { ShardStatus } from './gateway.js';
import type {
  AutocompleteArgs,
  ButtonClickArgs,
  DispatchedInteraction,
  DisconnectOptions,
  GatewayLogEntry,
  InteractionResponseView,
  JsonObject,
  ModalSubmitArgs,
  RecordedRequest,
  SlashCommandArgs,
  StandInClock,
  StandInDefaults,
  StoredAttachment,
  StoredCommand,
  StoredMessage,
  UserSpec,
} from './types.js';

export interface DiscordStandIn {
  /** For `new Client({ rest: { api: standIn.apiBase } })`. */
  readonly apiBase: string;
  /** Where the stand-in's "CDN" serves attachments (the bot's DISCORD_CDN_URL). */
  readonly cdnOrigin: string;
  readonly gatewayUrl: string;
  /** The only bot token the stand-in accepts. */
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: UserSpec;
  readonly defaults: StandInDefaults;
  readonly clock: StandInClock;
  readonly requests: readonly RecordedRequest[];
  readonly gatewayLog: readonly GatewayLogEntry[];
  /** Exceptions inside the stand-in (answered 500). A passing test should leave this empty. */
  readonly serverErrors: readonly Error[];
  /** rest/ws client options for a fast, unthrottled discord.js Client against this stand-in. */
  clientOptions(): Pick<ClientOptions, 'rest' | 'ws'>;
  requestsTo(method: string, path: RegExp | string): RecordedRequest[];
  /** Every 429 the stand-in answered (per-route buckets and the global limit). */
  count429(): number;
  /** The 429s of the global limit only. */
  countGlobal429(): number;
  /**
   * Runs `hook` for every request after the stand-in handled and recorded it, before the answer is
   * written (e.g. to kill a bot process that must never see the answer). Returns the unsubscribe.
   */
  beforeAnswer(hook: (request: RecordedRequest) => void): () => void;
  messages(channelId: string): StoredMessage[];
  message(channelId: string, messageId: string): StoredMessage | undefined;
  /** Every stored version of a message, oldest first. */
  messageHistory(messageId: string): StoredMessage[];
  /** An attachment by id (a message's, or one a member attached to a command), with its download count. */
  attachment(attachmentId: string): StoredAttachment | undefined;
  /** Simulates a member deleting the message (MESSAGE_DELETE is dispatched). */
  deleteMessage(channelId: string, messageId: string): boolean;
  interactionResponses(interactionId: string): InteractionResponseView;
  commands(guildId?: string): StoredCommand[];
  /** Registers commands as a deploy script would (validated like PUT …/commands). */
  registerCommands(commands: JsonObject[], guildId?: string): StoredCommand[];
  slashCommand(args: SlashCommandArgs): DispatchedInteraction;
  /** A member typing in an autocompleted option; the bot's choices are the callback's data (type 8). */
  autocomplete(args: AutocompleteArgs): DispatchedInteraction;
  clickButton(args: ButtonClickArgs): DispatchedInteraction;
  submitModal(args: ModalSubmitArgs): DispatchedInteraction;
  waitForResponse(interactionId: string, timeoutMs?: number): Promise<InteractionResponseView>;
  /** Resolves with the predicate's first truthy value; re-checked on every request/event and every 10 ms. */
  waitFor<T>(
    predicate: () => T | Promise<T>,
    timeoutMs?: number,
    what?: string,
  ): Promise<Exclude<T, false | null | undefined | 0 | ''>>;
  /** Shard 0's connection (the whole gateway when unsharded). */
  gatewayStatus(): { connected: boolean; sessionId: string | null; intents: number | null; seq: number };
  /** Every shard's connection. */
  shardStatus(): ShardStatus[];
  /** The shard that carries a guild's events. */
  shardOf(guildId: string): number;
  disconnectClient(options?: DisconnectOptions): void;
  /**
   * Denies the bot VIEW_CHANNEL (→ 50001), SEND_MESSAGES or ATTACH_FILES (→ 50013), or READ_MESSAGE_HISTORY
   * (its history lists nothing) via a member overwrite.
   */
  revokeAccess(channelId: string, what?: 'view' | 'send' | 'attach' | 'history'): void;
  restoreAccess(channelId: string): void;
  addMember(member?: { id?: string; username?: string; roles?: string[]; guildId?: string }): UserSpec;
  addRole(role: { name: string; permissions: bigint; guildId?: string }): string;
  addChannel(channel: { name: string; guildId?: string }): string;
  /** How the client shows a user: server nickname, else global name, else username (ids it cannot name: as given). */
  displayName(userId: string): string;
  /** A channel's name (without '#'); the id when it is not known. */
  channelName(channelId: string): string;
  close(): Promise<void>;
}
