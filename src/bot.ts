// createBot(deps) is the one place that wires the bot together. `npm start` (src/main.ts) and the
// end-to-end tests both call it; tests only pass other config values and stand-in addresses.
//
// Three flows share these parts: command → fetch → render (/mjtask), click → submit → track
// (discord/interactions.ts → submit/), tracker → render → edit (tracking/). The webhook only feeds the tracker.
import { Events, type Client, type ClientOptions } from 'discord.js';
import { createBotListeners } from './bot-listeners.js';
import { createBotMj } from './bot-mj.js';
import { systemClock, type Clock } from './clock.js';
import { configSecrets, type Config } from './config/load.js';
import { createRestChannelMessenger } from './discord/channel-messenger.js';
import { createDiscordConnection } from './discord/client-setup.js';
import { describeLoginError, globalShareOf } from './discord/connection.js';
import { clusterSharesFor } from './discord/share-keeper.js';
import { createRestInteractionMessenger } from './discord/interaction-messenger.js';
import { registerCommands } from './discord/register.js';
import { createInteractionRouter } from './discord/router.js';
import { handlersInFlight } from './discord/handlers-in-flight.js';
import { channelLanguage } from './i18n/index.js';
import { createLogger, type Logger } from './log.js';
import { parseAllowedHosts } from './media/address-policy.js';
import { createAttachmentDownloader } from './media/attachment-download.js';
import { createImageDownloader, type ImageDownloader } from './media/image-download.js';
import type { MjApi } from './mj/api.js';
import { deriveStateKey, parseSubmitState } from './mj/submit-state.js';
import { createRedactor } from './redact.js';
import { renderTask } from './render/task-message.js';
import { aliveWindowMsFor } from './store/instances.js';
import type { StoreOpener } from './store/open.js';
import { withCachedSettings } from './store/settings-cache.js';
import type { Store } from './store/store.js';
import type { HandlerDeps } from './submit/deps.js';
import { createKeyedLock } from './submit/keyed-lock.js';
import { createRemixMemory } from './submit/remix-memory.js';
import { answerWaitMsFor, createSubmitRecovery, DEFAULT_RECOVERY } from './submit/recovery.js';
import type { BudgetOptions } from './tracking/budget.js';
import { createPublisher } from './tracking/publisher.js';
import { systemScheduler } from './tracking/scheduler.js';
import { createTracker } from './tracking/tracker.js';
import type { Tracker } from './tracking/types.js';

export interface BotDeps {
  config: Config;
  /** The configured store's opener, from loadStoreOpener(config) (store/open.ts). */
  openStore: StoreOpener;
  clock?: Clock;
  log?: Logger;
  /** Defaults to the real HTTP client for config.mj. */
  mj?: MjApi;
  /** Defaults to downloading result images over HTTP (attached so they outlive Discord's CDN links). */
  images?: ImageDownloader;
  /** Extra discord.js client options: tests raise rest.globalRequestsPerSecond and skip the identify throttle. */
  discordClientOptions?: Pick<ClientOptions, 'rest' | 'ws'>;
  /** Host the notifyHook receiver binds; default all interfaces. */
  webhookHost?: string;
  /** Per-channel budget of the publisher (default 5 per 5 s); tests that shrink the stand-in's bucket shrink this with it. */
  channelBudget?: BudgetOptions;
  /** Every channel request together (default DISCORD_MAX_REQUESTS_PER_SECOND per 1 s); tests shrink it with the stand-in's global limit. */
  globalBudget?: BudgetOptions;
}

/** The bot's parts, for tests that look inside. */
export interface BotParts {
  config: Config;
  log: Logger;
  store: Store;
  tracking: Tracker;
}

export interface Bot {
  readonly client: Client;
  readonly context: BotParts;
  /** Port the notifyHook receiver listens on (0 when there is none). */
  readonly webhookPort: number;
  /** Logs in, waits for READY, registers the commands, resumes tracking and opens the webhook. */
  start(): Promise<void>;
  /** Resolves once the tracker has no fetch, publish, result or delete in flight (tests wait on it instead of sleeping). */
  idle(): Promise<void>;
  /** Resolves once the handler of this interaction (if one runs) is over: the member's answer is final. */
  handled(interactionId: string): Promise<void>;
  /** Stops taking pushes, lets the tracker record what is in flight, closes Discord, the API pool and the database. Idempotent. */
  stop(): Promise<void>;
}

export function createBot(deps: BotDeps): Bot {
  const { config } = deps;
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? createLogger({ level: config.logLevel, secrets: configSecrets(config) });
  const mjSide = createBotMj(config, deps.mj, clock, log);
  const { budget: mjBudget, capabilities } = mjSide;
  // SQLite opens (checks, migrates) here; PostgreSQL connects and migrates in start(). Every part reads
  // the servers' settings through one short-lived copy per instance (store/settings-cache.ts).
  const store = withCachedSettings(deps.openStore({ clock, log }), clock);
  // Every request body to Discord passes this one redaction of the configured secrets.
  const redactor = createRedactor(configSecrets(config));
  const discord = createDiscordConnection(config, redactor, deps.discordClientOptions);
  const { client, gatedRest } = discord;

  const publisher = createPublisher({
    messenger: createRestChannelMessenger(gatedRest, { log }),
    interactions: createRestInteractionMessenger(gatedRest, { log }),
    tokenClock: clock,
    // Redacted before the renderer cuts anything (the seam cannot recognise a secret cut too short).
    render: (task, opts) => renderTask(task, { ...opts, redact: redactor.text, capabilities: capabilities() }),
    images:
      deps.images ??
      createImageDownloader({
        allowedHosts: parseAllowedHosts(config.media.allowedHosts),
        maxBytes: config.media.uploadMaxBytes,
        log,
      }),
    log,
    options: {
      global: deps.globalBudget ?? { limit: globalShareOf(config.discord), windowMs: 1_000 },
      // Not shared with other instances or shards: Discord does not count these against the global limit.
      interactionGlobal: { limit: config.discord.interactionRequestsPerSecond, windowMs: 1_000 },
      ...(deps.channelBudget ? { budget: deps.channelBudget } : {}),
    },
  });
  // Instances on one PostgreSQL database divide Discord's global limit and the API's among those alive
  // (a test's own Discord budget stays fixed).
  const shares = clusterSharesFor(
    config,
    {
      ...(deps.globalBudget ? {} : { discord: (share: number) => publisher.setGlobalShare?.(share) }),
      mj: (share: number) => mjBudget.setMaxPerSecond(share),
    },
    // An instance gone from the registry leaves its tasks to claim at once (tracking/leases.ts), and
    // the submits it never heard back from to look for (submit/recovery.ts).
    {
      registry: store.instances,
      scheduler: systemScheduler,
      clock,
      log,
      onGone: () => {
        tracker.claimFreed();
        recovery.sweepNow();
      },
    },
  );
  const tracker = createTracker({
    mj: mjBudget.background,
    store,
    publisher,
    clock,
    log,
    options: {
      fastPollMs: config.tracker.pollFastMs,
      slowPollMs: config.tracker.pollSlowMs,
      finishingPollMs: config.tracker.pollFinishingMs,
      maxAgeMs: config.tracker.maxAgeMs,
    },
    // Instances sharing a PostgreSQL database split the tracked tasks by lease (tracking/leases.ts).
    lease: { owner: config.instance.id, ttlMs: config.instance.leaseTtlMs },
  });

  const updatesChannelFor = async (guildId: string | null, fallbackChannelId: string): Promise<string> =>
    (guildId ? await store.settings.getUpdatesChannel(guildId) : null) ?? config.updatesChannelId ?? fallbackChannelId;
  // The language of a server's channel messages, fixed on each task when the bot starts following it.
  const channelLocaleFor = async (guildId: string | null, guildLocale: string | null): Promise<string> =>
    channelLanguage(guildId ? (await store.settings.effective(guildId)).channelLocale : null, guildLocale);
  const stateKey = deriveStateKey({ discordToken: config.discord.token, mjApiKey: config.mj.apiKey });
  const attachments = createAttachmentDownloader({
    maxBytes: config.media.attachmentMaxBytes,
    allowedHosts: parseAllowedHosts(config.media.allowedHosts),
    log,
  });
  const handlers: HandlerDeps = {
    config,
    mj: mjBudget.member,
    log,
    clock,
    messages: publisher,
    tracker,
    settings: store.settings,
    usage: store.usage,
    clickLog: store.clicks,
    owners: store.owners,
    followed: store.tracked,
    bannedPrompts: store.bannedPrompts,
    stateKey,
    lock: createKeyedLock(),
    remix: createRemixMemory(),
    redact: redactor.text,
    updatesChannelFor,
    channelLocaleFor,
    capabilities,
    attachments,
  };
  const recovery = createSubmitRecovery({
    ...{ clicks: store.clicks, tracked: store.tracked, usage: store.usage, tracker, updatesChannelFor, clock, log },
    channelLocaleFor,
    listsRecent: () => capabilities().offers.recentList,
    recentTasks: () => mjBudget.background.recentTasks?.() ?? Promise.resolve([]),
    originOf: (state) => parseSubmitState(state, stateKey),
    scheduler: systemScheduler,
    options: {
      ...DEFAULT_RECOVERY,
      answerWaitMs: answerWaitMsFor(config.mj.timeoutMs),
      ...(store.instances && {
        registry: { instanceId: config.instance.id, aliveMs: aliveWindowMsFor(config.instance.leaseTtlMs) },
      }),
    },
  });
  const context: BotParts = { config, log, store, tracking: tracker };
  const handling = handlersInFlight(createInteractionRouter(handlers), log);
  client.on(Events.InteractionCreate, (interaction) => handling.run(interaction));
  client.on(Events.Error, (err) => log.error({ event: 'discord.error', err }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ event: 'discord.warn' }, message));

  const {
    receiver,
    healthOnly: healthListener,
    relayed,
  } = createBotListeners({
    config,
    client,
    tracker,
    store,
    stateKey,
    channelLocaleFor,
    clock,
    log,
    discordShare: () => publisher.counts?.().channels.limit ?? globalShareOf(config.discord),
    mjShare: () => mjBudget.maxPerSecond(),
    ...(deps.webhookHost ? { host: deps.webhookHost } : {}),
  });

  let stopped = false;
  return {
    client,
    context,
    get webhookPort() {
      return receiver?.port ?? 0;
    },
    async start() {
      // The database first: a server that cannot be reached stops the start before Discord is asked.
      await store.ready();
      // This instance's parts of Discord's and the API's limits, next to the others on the database, before any request.
      await shares?.start();
      // Listening from the first moment: while Discord logs in, /healthz says 503 and why.
      await healthListener?.start();
      // Asked while Discord logs in; every task is rendered after it is known.
      const detecting = mjSide.detect();
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      try {
        await client.login(config.discord.token);
      } catch (err) {
        await client.destroy();
        await discord.close();
        throw new Error(describeLoginError(err));
      }
      await ready;
      const applicationId = client.application?.id ?? client.user?.id;
      if (!applicationId) throw new Error('Discord did not tell the bot its application ID.');
      const count = await registerCommands(client.rest, applicationId, config.discord.guildId);
      await detecting;
      // Resume after READY: the publisher needs a logged-in REST client to edit messages.
      await tracker.start();
      recovery.start();
      await relayed.start();
      await receiver?.start();
      log.info(
        {
          event: 'bot.ready',
          user: client.user?.tag,
          commands: count,
          scope: config.discord.guildId ? 'guild' : 'global',
          resumedTasks: tracker.counts().active,
          instance: config.instance.id,
          shards: [...client.ws.shards.keys()],
        },
        'bot is ready',
      );
    },
    idle: () => tracker.idle(),
    handled: handling.handled,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Order matters: no new pushes, then the tracker records what is in flight, then the rest.
      await receiver?.stop();
      await relayed.stop();
      await healthListener?.stop();
      recovery.stop();
      await tracker.stop();
      await shares?.stop();
      await client.destroy();
      await discord.close();
      await mjSide.close();
      await attachments.close().catch(() => undefined);
      await store.close();
      log.info({ event: 'bot.stopped' }, 'bot stopped');
    },
  };
}
