// The real bot (createBot, exactly what `npm start` runs) wired to the local Discord and Midjourney
// stand-ins. An e2e test starts one harness, drives it the way Discord would, and closes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createBot, type Bot } from '../../src/bot.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/log.js';
import { createMjClient } from '../../src/mj/client.js';
import { loadStoreOpener } from '../../src/store/open.js';
import type { BudgetOptions } from '../../src/tracking/budget.js';
import { createDiscordStandIn, type DiscordStandIn, type DiscordStandInOptions } from './discord/index.js';
import { standInEnv } from './stand-in-env.js';
import { createMjStandIn, type DialectName, type MjStandIn, type MjStandInOptions } from './mj/index.js';

export interface HarnessOptions {
  /**
   * Run against this real server's profile of the Midjourney stand-in (mj.dialect); the bot is left at
   * MJ_API_DIALECT=auto, so it detects the server at start as it would in production.
   */
  dialect?: DialectName;
  /** Extra or overriding environment variables for the bot (as in .env). */
  env?: Record<string, string>;
  mj?: MjStandInOptions;
  discord?: DiscordStandInOptions;
  /** Start the bot at once (default true). */
  startBot?: boolean;
  /**
   * Run the notifyHook receiver on a free 127.0.0.1 port: sets WEBHOOK_PORT, WEBHOOK_SECRET and
   * WEBHOOK_PUBLIC_URL, so every submit carries notifyHook and the MJ stand-in pushes to the bot.
   */
  webhook?: boolean;
  /** The bot's clock (tracker timeouts, store times); the system clock by default. */
  clock?: Clock;
  /** The publisher's per-channel budget; pair it with a matching `discord.editBucket`. */
  channelBudget?: BudgetOptions;
  /** The publisher's global budget; pair it with a matching `discord.globalLimit`. */
  globalBudget?: BudgetOptions;
}

export interface Harness {
  discord: DiscordStandIn;
  mj: MjStandIn;
  /** The running bot; replaced by restartBot(). */
  bot: Bot;
  /** The environment the bot was started with. */
  env: Record<string, string>;
  /** POST target for pushes (http://127.0.0.1:<port>/notify/<secret>) when `webhook` is on, else null. */
  notifyUrl: string | null;
  /** Every JSON log line the bot wrote, across restarts. */
  logLines(): string[];
  startBot(): Promise<Bot>;
  /** Stops the bot as SIGTERM would; the store on disk is kept. */
  stopBot(): Promise<void>;
  /** A fresh bot process-equivalent on the same store and stand-ins. */
  restartBot(): Promise<Bot>;
  /**
   * Waits until the bot has nothing in flight (no fetch, publish, result or delete), so a test can
   * assert that nothing more happens without sleeping. Work started by work (a poll answer that
   * publishes, a result that deletes its progress message) is waited for as well.
   */
  quiesce(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const discord = await createDiscordStandIn(options.discord);
  const mj = await createMjStandIn({
    authStyle: 'both',
    ...options.mj,
    ...(options.dialect ? { dialect: options.dialect } : {}),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'mjtask-bot-e2e-'));
  const env: Record<string, string> = {
    ...standInEnv(discord, mj, join(dataDir, 'bot.sqlite')),
    MJ_AUTH_HEADER: 'mj-api-secret',
    MJ_TIMEOUT_MS: '2000',
    POLL_FAST_MS: '40',
    POLL_SLOW_MS: '80',
    // Polls every 40 ms would spend the default budget (10/s) on their own; e2e tests of the budget set it.
    MJ_MAX_REQUESTS_PER_SECOND: '1000',
    LOG_LEVEL: 'debug',
    // Members' command attachments come from the Discord stand-in's "CDN".
    DISCORD_CDN_URL: discord.cdnOrigin,
    ...(options.webhook ? await webhookEnv() : {}),
    ...options.env,
  };
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });

  let bot: Bot | null = null;
  const harness: Harness = {
    discord,
    mj,
    env,
    notifyUrl:
      env.WEBHOOK_PUBLIC_URL && env.WEBHOOK_SECRET ? `${env.WEBHOOK_PUBLIC_URL}/notify/${env.WEBHOOK_SECRET}` : null,
    get bot(): Bot {
      if (!bot) throw new Error('the bot is not running');
      return bot;
    },
    logLines: () => lines,
    async startBot() {
      const config = loadConfig(env);
      const secrets = [config.discord.token, config.mj.apiKey, ...(config.webhook ? [config.webhook.secret] : [])];
      const log = createLogger({ level: config.logLevel, secrets, destination: sink });
      bot = createBot({
        config,
        openStore: await loadStoreOpener(config),
        log,
        // The generic stand-in is no real server (its answers look like the original Java proxy's), so the
        // bot gets the real client handed in and, without probes, keeps every button as the API sends it.
        ...(options.dialect ? {} : { mj: mjClientFor(config) }),
        discordClientOptions: discord.clientOptions(),
        webhookHost: '127.0.0.1',
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.channelBudget ? { channelBudget: options.channelBudget } : {}),
        ...(options.globalBudget ? { globalBudget: options.globalBudget } : {}),
      });
      await bot.start();
      return bot;
    },
    async stopBot() {
      const running = bot;
      bot = null;
      await running?.stop();
    },
    async restartBot() {
      await harness.stopBot();
      return harness.startBot();
    },
    async quiesce() {
      for (let pass = 0; pass < 2; pass++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        await harness.bot.idle();
      }
    },
    async close() {
      // The client must be destroyed before the gateway goes away, or it reconnects forever.
      await harness.stopBot();
      await discord.close();
      await mj.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.startBot !== false) await harness.startBot();
  return harness;
}

function mjClientFor(config: ReturnType<typeof loadConfig>) {
  const { baseUrl, apiKey, authHeader, timeoutMs } = config.mj;
  return createMjClient({ baseUrl, apiKey, authHeader, timeoutMs });
}

/** A port on 127.0.0.1 that was free a moment ago, for a listener whose URL must be known first. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The receiver on a free port: its public URL must be known before the bot starts. */
async function webhookEnv(): Promise<Record<string, string>> {
  const port = await freePort();
  return {
    WEBHOOK_PORT: String(port),
    WEBHOOK_SECRET: 'e2e-webhook-secret-0123456789abcdef',
    WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${port}`,
  };
}
