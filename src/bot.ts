// createBot(deps) is the one place that wires the bot together. `npm start` (src/main.ts) and the
// end-to-end tests both call it; tests only pass other config values and stand-in addresses.
import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config/load.js';
import { mjtaskCommand } from './discord/commands/mjtask.js';
import type { BotContext } from './discord/context.js';
import { registerCommands } from './discord/register.js';
import { createInteractionRouter } from './discord/router.js';
import { createLogger, type Logger } from './log.js';
import type { MjApi } from './mj/api.js';
import { createMjClient } from './mj/client.js';

export interface BotDeps {
  config: Config;
  clock?: Clock;
  log?: Logger;
  /** Defaults to the real HTTP client for config.mj. */
  mj?: MjApi;
  /** Extra discord.js client options: tests raise rest.globalRequestsPerSecond and skip the identify throttle. */
  discordClientOptions?: Pick<ClientOptions, 'rest' | 'ws'>;
}

export interface Bot {
  readonly client: Client;
  readonly context: BotContext;
  /** Logs in, waits for READY and registers the commands. Rejects with a clear message on a bad token. */
  start(): Promise<void>;
  /** Closes the gateway connection and every pool; safe to call twice. */
  stop(): Promise<void>;
}

export function createBot(deps: BotDeps): Bot {
  const { config } = deps;
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? createLogger({ level: config.logLevel, secrets: [config.discord.token, config.mj.apiKey] });
  const mj =
    deps.mj ??
    createMjClient({ baseUrl: config.mj.baseUrl, apiKey: config.mj.apiKey, authHeader: config.mj.authHeader, timeoutMs: config.mj.timeoutMs });
  const context: BotContext = { config, mj, log, clock };

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...deps.discordClientOptions,
    rest: { ...deps.discordClientOptions?.rest, api: config.discord.apiUrl },
  });
  const route = createInteractionRouter({ commands: [mjtaskCommand], buttons: [], modals: [] }, context);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (err) => log.error({ event: 'discord.error', err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ event: 'discord.warn' }, message));

  let stopped = false;
  return {
    client,
    context,
    async start() {
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      try {
        await client.login(config.discord.token);
      } catch (err) {
        await client.destroy();
        throw new Error(describeLoginError(err));
      }
      await ready;
      const applicationId = client.application?.id ?? client.user?.id;
      if (!applicationId) throw new Error('Discord did not tell the bot its application ID.');
      const count = await registerCommands(client.rest, applicationId, config.discord.guildId);
      log.info(
        { event: 'bot.ready', user: client.user?.tag, commands: count, scope: config.discord.guildId ? 'guild' : 'global' },
        'bot is ready',
      );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await client.destroy();
      await mj.close();
      log.info({ event: 'bot.stopped' }, 'bot stopped');
    },
  };
}

function describeLoginError(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  if (code === 'TokenInvalid' || (err as { status?: number })?.status === 401) {
    return 'Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal → Bot → Reset Token.';
  }
  if (code === 'DisallowedIntents') return 'Discord refused the gateway intents the bot asked for.';
  return `Could not connect to Discord: ${err instanceof Error ? err.message : String(err)}`;
}
