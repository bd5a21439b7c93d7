// State and helpers shared by the REST routes, the gateway and the public stand-in object.
import type { Clock } from '../../../src/clock.js';
import { CommandStore } from './commands.js';
import type { Gateway } from './gateway.js';
import { DiscordHttpError, httpErrors } from './http-errors.js';
import { InteractionStore } from './interactions.js';
import { MessageStore, messageWire } from './message-store.js';
import { Permission } from './permissions.js';
import { ChannelBuckets, GlobalWindow, WEBHOOK_BUCKET_HASH, type MessageRouteMethod } from './rate-limit.js';
import { SnowflakeFactory } from './snowflake.js';
import type { JsonObject, MessageAuthor, RecordedRequest, StoredMessage, UploadedFile, UserSpec } from './types.js';
import type { ChannelState, GuildState, World } from './world.js';
import { FLAG_EPHEMERAL } from './validate-fields.js';

export interface ApiRequest {
  method: string;
  path: string;
  params: string[];
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** Requires `Authorization: Bot <token>`. */
  auth: boolean;
  handle(request: ApiRequest): ApiResponse;
}

export interface CoreSettings {
  applicationId: string;
  botUser: UserSpec;
  token: string;
  clock: Clock;
  rateLimitClock: Clock;
  editBucket: { limit: number; windowMs: number };
  /** Discord's global limit on counted requests; null = not enforced. */
  globalLimit: { limit: number; windowMs: number } | null;
  keepRequestBodies: boolean;
  webhookBucket: { limit: number; windowMs: number };
  ackDeadlineMs: number;
  tokenLifetimeMs: number;
  maxUploadBytes: number;
  nonceWindowMs: number;
  /** Shards the gateway expects (and /gateway/bot recommends). */
  shards: number;
}

// Intents that gate the dispatches the stand-in sends besides interactions.
export const INTENT_GUILDS = 1 << 0;
export const INTENT_GUILD_MESSAGES = 1 << 9;

export class StandInCore {
  readonly ids: SnowflakeFactory;
  readonly messages: MessageStore;
  readonly commands: CommandStore;
  readonly interactions = new InteractionStore();
  readonly buckets: ChannelBuckets;
  readonly globalWindow: GlobalWindow | null;
  /** One bucket per interaction token for its webhook's follow-ups, edits and deletes. */
  readonly webhookBuckets: ChannelBuckets;
  readonly requests: RecordedRequest[] = [];
  /** Exceptions thrown inside the stand-in itself (answered with 500); tests should expect none. */
  readonly serverErrors: Error[] = [];
  origin = '';
  gateway: Gateway | null = null;
  private readonly listeners = new Set<() => void>();
  /** Test hooks run after a request is handled and recorded, before its answer is written. */
  readonly answerHooks = new Set<(request: RecordedRequest) => void>();

  constructor(
    readonly settings: CoreSettings,
    readonly world: World,
  ) {
    this.ids = new SnowflakeFactory(settings.clock);
    this.messages = new MessageStore(this.ids, settings.clock, () => this.origin);
    this.commands = new CommandStore(this.ids, settings.applicationId);
    this.buckets = new ChannelBuckets(settings.editBucket, settings.rateLimitClock);
    this.globalWindow = settings.globalLimit ? new GlobalWindow(settings.globalLimit, settings.rateLimitClock) : null;
    this.webhookBuckets = new ChannelBuckets(settings.webhookBucket, settings.rateLimitClock);
  }

  /** Runs an interaction-webhook route inside its token's bucket (Discord's global limit does not count it). */
  limitedWebhook(token: string, method: MessageRouteMethod, run: () => ApiResponse): ApiResponse {
    const decision = this.webhookBuckets.take(token, method, WEBHOOK_BUCKET_HASH);
    if (!decision.allowed) throw new DiscordHttpError(429, decision.body, decision.headers);
    const response = run();
    return { ...response, headers: { ...decision.headers, ...response.headers } };
  }

  now(): number {
    return this.settings.clock.now();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  botAuthor(): MessageAuthor {
    const { botUser } = this.settings;
    return {
      id: botUser.id,
      username: botUser.username,
      discriminator: '0',
      global_name: botUser.global_name ?? null,
      avatar: null,
      bot: true,
    };
  }

  channelOr404(channelId: string): { guild: GuildState; channel: ChannelState } {
    const found = this.world.channel(channelId);
    if (!found) throw httpErrors.unknownChannel();
    return found;
  }

  /** Throws Discord's error when the bot lacks `bit` in the channel (50001 for VIEW_CHANNEL). */
  requireBotPermission(
    channelId: string,
    bit: bigint,
    onMissing: () => DiscordHttpError = httpErrors.missingPermissions,
  ): void {
    const permissions = this.world.permissions(channelId, this.settings.botUser.id);
    if (!(permissions & Permission.ViewChannel)) throw httpErrors.missingAccess();
    if (!(permissions & bit)) throw onMissing();
  }

  /** Runs a channel-message route inside the channel's bucket; its headers go on every answer. */
  limited(channelId: string, method: MessageRouteMethod, run: () => ApiResponse): ApiResponse {
    const decision = this.buckets.take(channelId, method);
    if (!decision.allowed) throw new DiscordHttpError(429, decision.body, decision.headers);
    try {
      const response = run();
      return { ...response, headers: { ...decision.headers, ...response.headers } };
    } catch (error) {
      if (error instanceof DiscordHttpError)
        throw new DiscordHttpError(error.status, error.body, { ...decision.headers, ...error.headers });
      throw error;
    }
  }

  /** MESSAGE_* dispatches go out only to a client that identified with GUILD_MESSAGES, as on Discord. */
  emitMessage(kind: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: StoredMessage): void {
    if (message.flags & FLAG_EPHEMERAL) return;
    const found = this.world.channel(message.channel_id);
    if (kind === 'MESSAGE_CREATE' && found) found.channel.lastMessageId = message.id;
    const member = found?.guild.members.get(message.author.id);
    const extra: JsonObject = found ? { guild_id: found.guild.id } : {};
    if (member && found)
      extra.member = { roles: member.roles, joined_at: member.joinedAt, deaf: false, mute: false, flags: 0 };
    this.gateway?.dispatch(kind, { ...messageWire(message), ...extra }, INTENT_GUILD_MESSAGES);
  }

  emitMessageDelete(message: StoredMessage): void {
    if (message.flags & FLAG_EPHEMERAL) return;
    const guildId = this.world.channel(message.channel_id)?.guild.id;
    this.gateway?.dispatch(
      'MESSAGE_DELETE',
      { id: message.id, channel_id: message.channel_id, ...(guildId ? { guild_id: guildId } : {}) },
      INTENT_GUILD_MESSAGES,
    );
  }
}
