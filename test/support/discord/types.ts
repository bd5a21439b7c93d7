// Public shapes of the Discord stand-in. Wire objects are plain JSON in Discord's snake_case so tests
// can compare them with what Discord documents; bookkeeping fields are camelCase.
import type { Clock } from '../../../src/clock.js';

export type JsonObject = Record<string, unknown>;

export type * from './interaction-types.js';

/** A clock the test moves by hand; share it with the bot to drive deadlines without waiting. */
export interface ManualClock extends Clock {
  readonly manual: true;
  advance(ms: number): void;
  set(ms: number): void;
}

/** The stand-in's clock as exposed to tests; `advance` throws unless the clock is manual. */
export interface StandInClock extends Clock {
  advance(ms: number): void;
}

export interface UserSpec {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface RoleSpec {
  id: string;
  name: string;
  /** Permission bits (bigint or decimal string). */
  permissions: bigint | string;
  position?: number;
  managed?: boolean;
}

export interface PermissionOverwriteSpec {
  id: string;
  /** 0 = role, 1 = member. */
  type: 0 | 1;
  allow?: bigint | string;
  deny?: bigint | string;
}

export interface ChannelSpec {
  id: string;
  name: string;
  /** Only guild text channels (0) are modelled. */
  type?: 0;
  permission_overwrites?: PermissionOverwriteSpec[];
  topic?: string | null;
}

export interface MemberSpec {
  user: UserSpec;
  roles?: string[];
  nick?: string | null;
}

export interface GuildSpec {
  id: string;
  name?: string;
  ownerId?: string;
  channels: ChannelSpec[];
  /** The @everyone role (id = guild id) and the bot's managed role are added when missing. */
  roles?: RoleSpec[];
  /** The bot's own member is added when missing. */
  members?: MemberSpec[];
  locale?: string;
}

export interface EditBucketOptions {
  limit: number;
  windowMs: number;
}

export interface DiscordStandInOptions {
  applicationId?: string;
  /** Defaults to applicationId, as for every bot created since 2019. */
  botUserId?: string;
  botUsername?: string;
  /** Replaces the default world (one guild, two text channels, a member, an admin, an owner). */
  guilds?: GuildSpec[];
  /** Drives interaction deadlines, token lifetime, timestamps and snowflakes. 'manual' creates one. */
  clock?: Clock | 'manual';
  /** Per-channel bucket shared by message create/edit/delete on channel routes. Default 5 per 5000 ms. */
  editBucket?: EditBucketOptions;
  /** Per interaction token, its webhook's follow-ups, edits and deletes. Default: like editBucket. */
  webhookBucket?: EditBucketOptions;
  /**
   * Time source of the edit bucket. Real time by default: discord.js sleeps `retry_after` in real
   * time, so a bucket on a frozen manual clock would make it retry in a tight loop.
   */
  rateLimitClock?: Clock;
  /**
   * Discord's global limit, enforced on every request that counts against it (all but interaction
   * callbacks and interaction webhooks, `countsTowardGlobal`) as a sliding window on the rate-limit
   * clock, answered with a global 429. Default 50 per 1000 ms, like Discord (the bot's own request
   * gate keeps under it, while tests lift discord.js's 50/s throttle); null turns it off.
   */
  globalLimit?: EditBucketOptions | null;
  /**
   * Keep each request's body, files and answer in `requests` (default true). A benchmark that reads
   * them in `beforeAnswer` turns this off, so 100,000 requests do not hold every message body.
   */
  keepRequestBodies?: boolean;
  /** Initial-response deadline after dispatch (stand-in clock). Default 3000. */
  ackDeadlineMs?: number;
  /** Interaction token lifetime after dispatch (stand-in clock). Default 15 min. */
  tokenLifetimeMs?: number;
  /** HELLO heartbeat interval. Default 41250 like Discord. */
  heartbeatIntervalMs?: number;
  /**
   * Shards the bot must connect: /gateway/bot recommends this many, IDENTIFY must say
   * `[id, shards]`, and each guild's events go to its own shard. Default 1 (unsharded).
   */
  shards?: number;
  /** Per-file upload limit (Discord's default 10 MiB). */
  maxUploadBytes?: number;
  /**
   * How long (stand-in clock) a message nonce sent with `enforce_nonce: true` is remembered: a
   * repeat from the same author in the same channel gets the existing message back. Default 3 min
   * (Discord documents "the past few minutes").
   */
  nonceWindowMs?: number;
}

export interface UploadedFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string | null;
  bytes: Buffer;
}

export interface RecordedRequest {
  /** Stand-in clock when the request arrived. */
  at: number;
  /** Date.now() when the request arrived. */
  realAt: number;
  method: string;
  /** URL-decoded path below /api/v10, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or the parsed `payload_json` of a multipart body. */
  body: unknown;
  files: UploadedFile[];
  status: number;
  responseBody: unknown;
  /**
   * Whether Discord counts the request against the bot's global limit (50/s): every route except
   * interaction callbacks and the interaction webhook (`/webhooks/{application}/{token}/…`).
   */
  countsTowardGlobal: boolean;
  /** The client's User-Agent (the bot's request gate marks its own, GATED_USER_AGENT_MARK). */
  userAgent: string;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  content_type: string | null;
  url: string;
  proxy_url: string;
  description?: string;
  /** The uploaded bytes (not part of the wire object). */
  bytes: Buffer;
  /** A command attachment (ephemeral-attachments): what its CDN link answers instead of the bytes. */
  cdnStatus?: number;
  /** How many times the "CDN" served it (bookkeeping). */
  downloads?: number;
}

/**
 * A file a member attaches to a command's attachment option: the Discord client uploads it first, and
 * the interaction names it in data.resolved.attachments (ephemeral, on the CDN).
 */
export interface AttachmentUpload {
  filename: string;
  bytes: Buffer;
  /** What Discord reports as content_type; by default from the file name's extension. */
  contentType?: string | null;
  /** The CDN answers this HTTP status instead of the file (an expired or broken link). */
  cdnStatus?: number;
}

export interface MessageAuthor {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: null;
  bot?: boolean;
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  type: number;
  author: MessageAuthor;
  content: string;
  embeds: JsonObject[];
  components: JsonObject[];
  attachments: StoredAttachment[];
  flags: number;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: JsonObject[];
  mention_roles: string[];
  pinned: boolean;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: JsonObject;
  nonce?: string | number;
}

export interface StoredCommand extends JsonObject {
  id: string;
  application_id: string;
  guild_id?: string;
  name: string;
  type: number;
  description: string;
  version: string;
}

export interface GatewayLogEntry {
  at: number;
  realAt: number;
  direction: 'sent' | 'received' | 'connection';
  /** The shard the entry concerns (0 when unsharded, and for a connection not yet identified). */
  shard?: number;
  op?: number;
  t?: string | null;
  s?: number | null;
  /** For 'connection' entries: 'open', 'close <code>', 'drop'. */
  note?: string;
}

export interface DisconnectOptions {
  /** Close code; default: abrupt drop (the client sees 1006 and resumes). */
  code?: number;
  /** false: forget the session, so a RESUME gets INVALID_SESSION and the client re-identifies. */
  resumable?: boolean;
  /** Only this shard's connection; default every shard's. */
  shard?: number;
}

export interface StandInDefaults {
  guildId: string;
  channelId: string;
  /** A second text channel, handy for isolating rate-limit tests. */
  otherChannelId: string;
  userId: string;
  adminUserId: string;
  adminRoleId: string;
  ownerUserId: string;
  botRoleId: string;
}
