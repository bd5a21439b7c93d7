// What the bot tells Discord and the operator about its connection: its share of Discord's global
// request limit when it runs some of the shards, and a login failure in words an operator can act on.
import type { Config } from '../config/load.js';

/**
 * Discord's global limit is per bot, whatever runs it: an instance that runs `ids` of `count` shards
 * takes that share of DISCORD_MAX_REQUESTS_PER_SECOND, so instances together stay under it.
 */
export function globalShareOf(discord: Config['discord']): number {
  return shareByShards(discord.maxRequestsPerSecond, discord.shards);
}

/**
 * The part of a limit the whole bot shares that an instance running `shards` takes: `ids` of `count`
 * shards take that part of `max` (at least 1); every shard, the whole of it.
 */
export function shareByShards(max: number, shards: Config['discord']['shards']): number {
  if (shards === 'auto') return max;
  return Math.max(1, Math.floor((max * shards.ids.length) / shards.count));
}

/** The weight of an instance in the cluster's division of the global limit: the shards it runs (every shard: 1). */
export function shardWeightOf(discord: Config['discord']): number {
  return discord.shards === 'auto' ? 1 : Math.max(1, discord.shards.ids.length);
}

/** What an instance heard of another one on its last beat (store/instances.ts). */
export interface LiveInstance {
  shards: number;
  /** The part of the limit it said it may use; never less than what it uses. */
  share: number;
}

/**
 * The part of `max` requests per second this instance may take, next to the instances alive with it
 * (`others`): its fair part by shards, and never more than the others leave free by what they
 * recorded. Each instance records a larger share before using it and uses a smaller one before
 * recording it, so a recorded share is never below a used one, and the parts used add up to at most
 * `max` (give or take the 1 a joining instance starts with). When an instance dies its row falls
 * silent, and on their next beats the others divide its part among them.
 */
export function clusterShareOf(max: number, myShards: number, others: readonly LiveInstance[]): number {
  const shards = others.reduce((sum, o) => sum + o.shards, myShards);
  const fair = Math.floor((max * myShards) / shards);
  const free = max - others.reduce((sum, o) => sum + o.share, 0);
  return Math.max(1, Math.min(fair, free));
}

export function describeLoginError(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (code === 'TokenInvalid' || (err as { status?: number })?.status === 401) {
    return 'Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal → Bot → Reset Token.';
  }
  if (code === 'DisallowedIntents') return 'Discord refused the gateway intents the bot asked for.';
  return `Could not connect to Discord: ${err instanceof Error ? err.message : String(err)}`;
}
