// The publisher's ChannelMessenger over Discord's REST API (the bot token, channel routes), so bot
// messages stay editable for as long as the bot can see the channel (no 15-min interaction token).
// Every failure becomes a DiscordDeliveryError whose kind says what the caller should do.
import type { EventLog } from '../log.js';
import { DiscordAPIError, HTTPError, RateLimitError, RESTEvents, Routes, type REST, type RawFile } from 'discord.js';
import type { BucketReport, RouteMethod } from '../tracking/reported-bucket.js';
import { isSnowflake } from '../config/snowflake.js';
import { MAX_LISTED_MESSAGES } from '../tracking/progress-lookup.js';
import {
  DiscordDeliveryError,
  type ChannelMessenger,
  type DeliveryErrorKind,
  type ListedMessage,
  type MessageBody,
  type OutgoingFile,
} from '../tracking/messenger.js';

export { DiscordDeliveryError, type ChannelMessenger } from '../tracking/messenger.js';

/** Unknown Message, Unknown Channel, Missing Access, Missing Permissions: the message is out of reach for good. */
export const GONE_CODES: ReadonlySet<number> = new Set([10008, 10003, 50001, 50013]);
/** Invalid Webhook Token, Unknown Webhook: an interaction token past its 15 minutes. */
const EXPIRED_TOKEN_CODES: ReadonlySet<number> = new Set([50027, 10015]);
/** "Too many edits to messages older than 1 hour": an undocumented sub-limit; wait a minute. */
const OLD_MESSAGE_EDIT_LIMIT = 30046;

export interface RestChannelMessengerOptions {
  /** Told about refused payloads (50035 …): they point at a renderer bug and are not retried. */
  log?: EventLog;
}

function rawFiles(files: readonly OutgoingFile[] | undefined): RawFile[] | undefined {
  if (!files || files.length === 0) return undefined;
  return files.map((f, i) => ({
    key: `files[${i}]`,
    name: f.name,
    data: f.data,
    ...(f.contentType ? { contentType: f.contentType } : {}),
  }));
}

/** `attachments` naming exactly the uploaded files: on an edit this drops every older attachment. */
function attachmentList(
  files: readonly OutgoingFile[] | undefined,
): Array<{ id: number; filename: string }> | undefined {
  return files && files.length > 0 ? files.map((f, i) => ({ id: i, filename: f.name })) : undefined;
}

/** Maps what @discordjs/rest throws to a delivery error kind. */
export function toDeliveryError(err: unknown): DiscordDeliveryError {
  if (err instanceof DiscordDeliveryError) return err;
  if (err instanceof RateLimitError)
    return new DiscordDeliveryError('rate_limited', 'Discord rate limit', undefined, err.retryAfter, 429);
  if (err instanceof DiscordAPIError) {
    const code = typeof err.code === 'number' ? err.code : Number(err.code);
    const raw = err.rawError as { retry_after?: unknown };
    let kind: DeliveryErrorKind = 'invalid';
    let retryAfterMs: number | undefined;
    if (GONE_CODES.has(code)) kind = 'gone';
    else if (EXPIRED_TOKEN_CODES.has(code)) kind = 'expired';
    else if (err.status === 429) {
      kind = 'rate_limited';
      retryAfterMs = typeof raw.retry_after === 'number' ? Math.ceil(raw.retry_after * 1000) : 1_000;
    } else if (code === OLD_MESSAGE_EDIT_LIMIT) {
      kind = 'rate_limited';
      retryAfterMs = 60_000;
    } else if (err.status >= 500 || err.status === 401) kind = 'transient'; // 401: a token problem, not this message's
    return new DiscordDeliveryError(
      kind,
      `Discord ${err.status} ${code}: ${err.message}`,
      code,
      retryAfterMs,
      err.status,
    );
  }
  if (err instanceof HTTPError) {
    const kind: DeliveryErrorKind =
      err.status === 429 ? 'rate_limited' : err.status >= 500 || err.status === 0 ? 'transient' : 'invalid';
    return new DiscordDeliveryError(
      kind,
      `Discord HTTP ${err.status}`,
      undefined,
      kind === 'rate_limited' ? 1_000 : undefined,
      err.status,
    );
  }
  // Network failures and timeouts (after @discordjs/rest's own retries).
  return new DiscordDeliveryError(
    'transient',
    `Discord request failed: ${err instanceof Error ? err.message : String(err)}`,
  );
}

const CHANNEL_MESSAGE_PATH = /^\/channels\/(\d+)\/messages(?:\/\d+)?$/;
const isRouteMethod = (method: string): method is RouteMethod =>
  method === 'POST' || method === 'PATCH' || method === 'DELETE';

/** A route bucket's headers (all three, as numbers), or null (an answer without them, e.g. a 5xx from a proxy). */
export function bucketReportOf(headers: { get(name: string): string | null }): BucketReport | null {
  const limit = Number(headers.get('x-ratelimit-limit') ?? NaN);
  const remaining = Number(headers.get('x-ratelimit-remaining') ?? NaN);
  const resetAfter = Number(headers.get('x-ratelimit-reset-after') ?? NaN);
  if (![limit, remaining, resetAfter].every(Number.isFinite)) return null;
  return { limit, remaining, resetAfterMs: Math.ceil(resetAfter * 1000) };
}

export function createRestChannelMessenger(rest: REST, options: RestChannelMessengerOptions = {}): ChannelMessenger {
  const fail = (err: unknown, what: string, channelId: string): never => {
    const error = toDeliveryError(err);
    if (error.kind === 'invalid') {
      const details = err instanceof DiscordAPIError ? err.rawError : undefined;
      options.log?.error(
        { event: 'discord.payload_refused', channelId, code: error.code, status: error.status, details },
        `Discord refused a message ${what}`,
      );
    }
    throw error;
  };

  return {
    watchBuckets(observe) {
      rest.on(RESTEvents.Response, (request, response) => {
        const channelId = CHANNEL_MESSAGE_PATH.exec(request.path)?.[1];
        const method = request.method.toUpperCase();
        const report = bucketReportOf(response.headers);
        if (channelId && report && isRouteMethod(method)) observe(channelId, method, report);
      });
    },
    async send(channelId, body, opts = {}) {
      const files = rawFiles(opts.files);
      const payload: Record<string, unknown> = { ...body };
      if (opts.nonce !== undefined) Object.assign(payload, { nonce: opts.nonce, enforce_nonce: true });
      const attachments = attachmentList(opts.files);
      if (attachments) payload.attachments = attachments;
      try {
        const message = (await rest.post(Routes.channelMessages(channelId), {
          body: payload,
          ...(files ? { files } : {}),
        })) as { id: string };
        return { id: message.id };
      } catch (err) {
        return fail(err, 'send', channelId);
      }
    },
    async edit(channelId, messageId, body: MessageBody, opts = {}) {
      const files = rawFiles(opts.files);
      const attachments = attachmentList(opts.files);
      const payload: Record<string, unknown> = attachments ? { ...body, attachments } : { ...body };
      try {
        const message = (await rest.patch(Routes.channelMessage(channelId, messageId), {
          body: payload,
          ...(files ? { files } : {}),
        })) as { id: string };
        return { id: message.id };
      } catch (err) {
        return fail(err, 'edit', channelId);
      }
    },
    async delete(channelId, messageId) {
      try {
        await rest.delete(Routes.channelMessage(channelId, messageId));
      } catch (err) {
        fail(err, 'delete', channelId);
      }
    },
    async listAfter(channelId, afterId, limit) {
      const query = new URLSearchParams({ after: afterId, limit: String(Math.min(limit, MAX_LISTED_MESSAGES)) });
      try {
        const listed: unknown = await rest.get(Routes.channelMessages(channelId), { query });
        return Array.isArray(listed) ? listed.slice(0, MAX_LISTED_MESSAGES).flatMap(listedMessage) : [];
      } catch (err) {
        return fail(err, 'list', channelId);
      }
    },
  };
}

/** The fields of a listed message the bot reads; [] for an entry without a snowflake id. */
function listedMessage(raw: unknown): ListedMessage[] {
  const m = (raw ?? {}) as { id?: unknown; content?: unknown; interaction_metadata?: { id?: unknown } | null };
  if (!isSnowflake(m.id)) return [];
  const interactionId = m.interaction_metadata?.id;
  return [
    {
      id: m.id,
      content: typeof m.content === 'string' ? m.content : '',
      interactionId: typeof interactionId === 'string' ? interactionId : null,
    },
  ];
}
