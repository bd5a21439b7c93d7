// The bot's two ways to Discord, built on one REST setup: the discord.js client (gateway,
// interaction answers) and the single-shot REST the request gate counts (progress, results,
// deletes). Both send through an agent of discord.js's own undici (rest-agent.ts) and through the
// one redaction of every configured secret (redacting-rest.ts).
import { Client, GatewayIntentBits, Options, type ClientOptions, type REST } from 'discord.js';
import type { Config } from '../config/load.js';
import type { Redactor } from '../redact.js';
import { closeGatedRest, createGatedRest } from './gated-rest.js';
import { redactingMakeRequest } from './redacting-rest.js';
import { createDiscordRestAgent } from './rest-agent.js';

/**
 * How often discord.js drops its idle per-route request handlers. It keeps one per interaction token
 * (a webhook route's major parameter is the application id and the token), and by default sweeps them
 * once an hour: at 100 answers a second that is 360,000 handlers (about 280 MB) between sweeps, 15 MB at the
 * bench's 10,000 tasks. A token lives 15 minutes and an idle handler holds nothing a new one would
 * not relearn from the next answer's headers (discord.js sweeps only handlers with nothing queued and
 * no limit in force). Swept every minute, the bench still held 5,900 of them (3.9 MB) at its peak.
 */
export const REST_HANDLER_SWEEP_MS = 15_000;

export interface DiscordConnection {
  client: Client;
  /** Single-shot: every request it sends is one the request gate counted. */
  gatedRest: REST;
  /** After client.destroy(): the gated REST's timers and the agent's sockets. */
  close(): Promise<void>;
}

export function createDiscordConnection(
  config: Config,
  redactor: Redactor,
  overrides?: Pick<ClientOptions, 'rest' | 'ws'>,
): DiscordConnection {
  const agent = createDiscordRestAgent();
  const { shards } = config.discord;
  const restOptions = {
    // discord.js holds every request of its client to one 50/s, interaction webhooks too. The client
    // sends members' answers (replies and their edits through the interaction's webhook), which Discord
    // does not count against its global limit: at 50 /imagine a second, two edits each queued behind
    // that 50/s and the members' answers came 6 s (p50) after the API's. They are held to the
    // interaction webhooks' own figure instead; a real global 429 from Discord still stops the client.
    globalRequestsPerSecond: config.discord.interactionRequestsPerSecond,
    handlerSweepInterval: REST_HANDLER_SWEEP_MS,
    ...overrides?.rest,
    api: config.discord.apiUrl,
    agent: agent as never,
    makeRequest: redactingMakeRequest(redactor, overrides?.rest?.makeRequest),
  };
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // discord.js keeps every message an interaction answer edits (editReply) in its channel's cache,
    // up to 200 per channel: thousands of Message objects the bot never reads (a click carries its
    // message in the interaction). Messages are not cached at all.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    // 'auto' asks /gateway/bot how many shards Discord wants and runs them all here.
    ...(shards === 'auto' ? { shards: 'auto' } : { shards: shards.ids, shardCount: shards.count }),
    ...overrides,
    rest: restOptions,
  });
  const gatedRest = createGatedRest(restOptions, config.discord.token);
  return {
    client,
    gatedRest,
    async close() {
      closeGatedRest(gatedRest);
      await agent.close().catch(() => undefined);
    },
  };
}
