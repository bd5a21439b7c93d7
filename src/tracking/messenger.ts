// What the publisher needs from Discord: create, edit and delete messages in a channel, and through a
// member's interaction webhook. The real implementations are src/discord/channel-messenger.ts and
// src/discord/interaction-messenger.ts (REST); tests pass in-memory ones. Failures are
// DiscordDeliveryError values with a kind, so the publisher branches on meaning, not on codes.
import type { BucketReport, RouteMethod } from './reported-bucket.js';

/** A message body as Discord's REST API takes it (snake_case). */
export interface MessageBody {
  content?: string;
  embeds?: readonly unknown[];
  components?: readonly unknown[];
  allowed_mentions?: { parse: readonly string[]; users?: readonly string[] };
  /** Message flags; the publisher sets SUPPRESS_NOTIFICATIONS on progress messages. */
  flags?: number;
}

export interface OutgoingFile {
  name: string;
  data: Buffer;
  contentType?: string;
}

export interface SendOptions {
  /**
   * Sent with `enforce_nonce: true`: Discord returns the existing message instead of creating a
   * second one when the same author repeats the nonce within a few minutes. ≤ 25 characters.
   */
  nonce?: string;
  files?: readonly OutgoingFile[];
}

export interface EditOptions {
  /** When given, these replace every existing attachment of the message. */
  files?: readonly OutgoingFile[];
}

/** Told Discord's rate-limit headers of each channel answer (channel id, the request's method, the headers). */
export type BucketObserver = (channelId: string, method: RouteMethod, report: BucketReport) => void;

/** A message as the channel's history lists it: what finding a task's progress message again needs. */
export interface ListedMessage {
  id: string;
  content: string;
  /** The interaction it answers (its interaction_metadata.id: a follow-up carries it too), else null. */
  interactionId: string | null;
}

export interface ChannelMessenger {
  /** Optional: calls `observe` with the rate-limit headers of every answer from now on. */
  watchBuckets?(observe: BucketObserver): void;
  send(channelId: string, body: MessageBody, options?: SendOptions): Promise<{ id: string }>;
  edit(channelId: string, messageId: string, body: MessageBody, options?: EditOptions): Promise<{ id: string }>;
  delete(channelId: string, messageId: string): Promise<void>;
  /**
   * Optional (without it nothing is found): up to `limit` (≤ 100, progress-lookup.ts) messages of
   * the channel created right after the snowflake `afterId`, in any order (GET /channels/{id}/messages
   * ?after=; Discord lists none without Read Message History, and shows the content of the bot's own
   * messages without the Message Content intent).
   */
  listAfter?(channelId: string, afterId: string, limit: number): Promise<ListedMessage[]>;
}

/** The webhook of a member's interaction: its token is the credential (15 minutes), kept in memory only. */
export interface InteractionHook {
  applicationId: string;
  token: string;
}

/** Messages of an interaction's webhook, which Discord does not count against the bot's global limit. */
export interface InteractionMessenger {
  /** A new follow-up message of the interaction (public: the interaction's answer is given already). */
  followUp(hook: InteractionHook, body: MessageBody): Promise<{ id: string }>;
  /** `messageRef`: '@original' or a follow-up's id. */
  edit(hook: InteractionHook, messageRef: string, body: MessageBody): Promise<{ id: string }>;
  delete(hook: InteractionHook, messageRef: string): Promise<void>;
}

/**
 * gone: message or channel no longer reachable (10008, 10003, 50001, 50013) — stop, never retry;
 * rate_limited: 429 (wait retryAfterMs); transient: network, timeout, 5xx; invalid: Discord refused
 * the request itself (50035 and other 4xx) — retrying the same body would fail again; expired: an
 * interaction token that no longer works (50027, 10015) — the channel routes take over.
 */
export type DeliveryErrorKind = 'gone' | 'rate_limited' | 'transient' | 'invalid' | 'expired';

export class DiscordDeliveryError extends Error {
  override readonly name = 'DiscordDeliveryError';
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    readonly code?: number | string,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isDiscordDeliveryError(err: unknown): err is DiscordDeliveryError {
  return err instanceof DiscordDeliveryError;
}

/** The kind of a failed request; anything that is not a DiscordDeliveryError counts as transient. */
export function deliveryFailure(err: unknown): { kind: DeliveryErrorKind; retryAfterMs: number } {
  return isDiscordDeliveryError(err)
    ? { kind: err.kind, retryAfterMs: err.retryAfterMs ?? 1_000 }
    : { kind: 'transient', retryAfterMs: 0 };
}

/** Discord message flag: the message does not trigger push or desktop notifications. */
export const SUPPRESS_NOTIFICATIONS = 1 << 12;
