// What a failed Discord REST call means, in words an admin can act on. discord.js throws
// DiscordAPIError (a JSON error from Discord), HTTPError (5xx), RateLimitError, or the transport's own
// error (refused, DNS, timeout); the last kind may carry the host but never the token.
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';

export type DiscordFailure =
  | { kind: 'rejected_token' }
  | { kind: 'api'; status: number; code: number | string; message: string }
  | { kind: 'server'; status: number }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string }
  | { kind: 'other'; message: string };

function codeOf(err: unknown): string {
  for (
    let e: unknown = err, depth = 0;
    e && typeof e === 'object' && depth < 4;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  }
  return '';
}

export function classifyDiscordError(err: unknown): DiscordFailure {
  if (err instanceof DiscordAPIError) {
    if (err.status === 401) return { kind: 'rejected_token' };
    return { kind: 'api', status: err.status, code: err.code, message: err.message };
  }
  if (err instanceof HTTPError) return { kind: 'server', status: err.status };
  if (err instanceof RateLimitError) return { kind: 'rate_limited', retryAfterMs: err.retryAfter };
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return { kind: 'timeout' };
  const code = codeOf(err);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return { kind: 'timeout' };
  if (code) return { kind: 'network', code };
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) return { kind: 'network', code: 'fetch failed' };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

/** A Discord JSON error code (10004 Unknown Guild, 50001 Missing Access, …), or null. */
export function apiCode(failure: DiscordFailure): number | null {
  return failure.kind === 'api' && typeof failure.code === 'number' ? failure.code : null;
}

/** One sentence for failures that mean the same on every route; `host` is DISCORD_API_URL's host. */
export function describeDiscordFailure(failure: DiscordFailure, host: string): { detail: string; fix: string } {
  switch (failure.kind) {
    case 'rejected_token':
      return {
        detail: 'Discord rejected DISCORD_TOKEN (HTTP 401)',
        fix: 'reset it in the Developer Portal → your application → Bot → Reset Token, and put the new token in .env',
      };
    case 'network':
      return {
        detail: `cannot reach Discord at ${host} (${failure.code})`,
        fix: 'check the internet connection, firewall or proxy, and DISCORD_API_URL (leave it empty for Discord itself)',
      };
    case 'timeout':
      return {
        detail: `Discord at ${host} did not answer in time`,
        fix: 'check the connection to Discord and DISCORD_API_URL, then run the doctor again',
      };
    case 'server':
      return {
        detail: `Discord at ${host} answered with a server error (HTTP ${failure.status})`,
        fix: 'Discord may be having an outage (discordstatus.com); try again later',
      };
    case 'rate_limited':
      return {
        detail: `Discord is rate limiting this bot (retry in ${Math.ceil(failure.retryAfterMs / 1000)} s)`,
        fix: 'wait a little and run the doctor again; if it persists, another program may be using the same token',
      };
    case 'api':
      return {
        detail: `Discord answered HTTP ${failure.status}: ${failure.message} (code ${failure.code})`,
        fix: 'see the message above; check the IDs in .env',
      };
    case 'other':
      return {
        detail: `the request to Discord failed: ${failure.message}`,
        fix: 'check DISCORD_API_URL and the connection to Discord',
      };
  }
}
