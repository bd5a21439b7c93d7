// One fixed-window bucket per channel for message create/edit/delete on channel routes, reported the
// way Discord does (x-ratelimit-* on every answer, 429 + retry_after when exhausted) so discord.js's
// own limiter can follow it.
import type { Clock } from '../../../src/clock.js';
import type { EditBucketOptions, JsonObject } from './types.js';

// Discord gives each route its own bucket hash, while this stand-in counts creates, edits and deletes
// of a channel together. discord.js therefore queues a burst on one route by the headers, but a mix of
// routes in one channel overruns the shared count and meets real 429s, as a bot sharing limits does.
export const MESSAGE_BUCKET_HASHES = {
  POST: '7a1e5c0d2b9f4e8c9d3a6b1f0e2c4d5a',
  PATCH: '3c9b2e7f1a0d4c6b8e5f2a9d7c1b0e4f',
  DELETE: 'e4d2a1c9b8f7e6d5c4b3a2f1e0d9c8b7',
} as const;

export type MessageRouteMethod = keyof typeof MESSAGE_BUCKET_HASHES;

export type BucketDecision =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; headers: Record<string, string>; body: JsonObject };

const seconds = (ms: number): string => (Math.max(ms, 0) / 1000).toFixed(3);

export class ChannelBuckets {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly options: EditBucketOptions,
    private readonly clock: Clock,
  ) {}

  take(
    channelId: string,
    method: MessageRouteMethod,
    bucketHash: string = MESSAGE_BUCKET_HASHES[method],
  ): BucketDecision {
    const now = this.clock.now();
    let window = this.windows.get(channelId);
    if (!window || now >= window.start + this.options.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(channelId, window);
    }
    const resetAt = window.start + this.options.windowMs;
    const allowed = window.count < this.options.limit;
    if (allowed) window.count += 1;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.options.limit),
      'x-ratelimit-remaining': String(this.options.limit - window.count),
      'x-ratelimit-reset': seconds(resetAt),
      'x-ratelimit-reset-after': seconds(resetAt - now),
      'x-ratelimit-bucket': bucketHash,
    };
    if (allowed) return { allowed, headers };
    const retryAfterMs = resetAt - now;
    return {
      allowed,
      headers: { ...headers, 'x-ratelimit-scope': 'user', 'retry-after': String(Math.ceil(retryAfterMs / 1000)) },
      body: { message: 'You are being rate limited.', retry_after: Number(seconds(retryAfterMs)), global: false },
    };
  }
}

/**
 * Interaction endpoints are not bound to the global limit (discord.md §3.2, `rate-limits.mdx`): the
 * callback and the interaction's webhook (its token in the path). Everything else counts.
 */
const OUTSIDE_GLOBAL = [/^\/interactions\/\d+\/[^/]+\/callback$/, /^\/webhooks\/\d+\/[^/]+(?:\/|$)/];

export function countsTowardGlobal(path: string): boolean {
  return !OUTSIDE_GLOBAL.some((pattern) => pattern.test(path));
}

/**
 * Discord's global limit: at most `limit` counted requests in any `windowMs`, kept as a sliding log
 * of accepted arrivals (stricter than any fixed window, so a bot that passes here passes Discord).
 */
export class GlobalWindow {
  private readonly arrivals: number[] = [];
  private next = 0;

  constructor(
    private readonly options: EditBucketOptions,
    private readonly clock: Clock,
  ) {}

  /** null when the request may pass (it is counted), else the 429 to answer. */
  take(): { headers: Record<string, string>; body: JsonObject } | null {
    const now = this.clock.now();
    const { limit, windowMs } = this.options;
    // The slot about to be overwritten holds the oldest of the last `limit` accepted arrivals.
    const oldest = this.arrivals.length < limit ? undefined : this.arrivals[this.next];
    if (oldest === undefined || oldest <= now - windowMs) {
      this.arrivals[this.next] = now;
      this.next = (this.next + 1) % limit;
      return null;
    }
    const retryAfterMs = oldest + windowMs - now;
    return {
      headers: {
        'x-ratelimit-global': 'true',
        'x-ratelimit-scope': 'global',
        'retry-after': String(Math.ceil(retryAfterMs / 1000)),
      },
      body: { message: 'You are being rate limited.', retry_after: Number(seconds(retryAfterMs)), global: true },
    };
  }
}

/** The interaction webhook's bucket: one per token (Discord scopes webhook buckets by webhook id + token). */
export const WEBHOOK_BUCKET_HASH = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';
