// What the bot tells Discord and the operator about its connection: its share of Discord's global
// request limit when it runs some of the shards, and a login failure in words an operator can act on.
import type { Config } from '../config/load.js';

/**
 * Discord's global limit is per bot, whatever runs it: an instance that runs `ids` of `count` shards
 * takes that share of DISCORD_MAX_REQUESTS_PER_SECOND, so instances together stay under it.
 */
export function globalShareOf(discord: Config['discord']): number {
  const { shards, maxRequestsPerSecond } = discord;
  if (shards === 'auto') return maxRequestsPerSecond;
  return Math.max(1, Math.floor((maxRequestsPerSecond * shards.ids.length) / shards.count));
}

export function describeLoginError(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (code === 'TokenInvalid' || (err as { status?: number })?.status === 401) {
    return 'Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal → Bot → Reset Token.';
  }
  if (code === 'DisallowedIntents') return 'Discord refused the gateway intents the bot asked for.';
  return `Could not connect to Discord: ${err instanceof Error ? err.message : String(err)}`;
}
