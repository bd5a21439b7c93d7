// createDiscordStandIn: a local Discord (REST v10 + gateway) that the real discord.js Client logs in
// to. Wires the world, stores, routes and gateway together and exposes the test-facing API
// (./stand-in-api.ts): what the gateway tells of the world is ./gateway-feed.ts, interactions
// ./interaction-driver.ts, members, roles, channels and access ./world-controls.ts.
import { randomBytes } from 'node:crypto';
import { resolveClock, realClock, standInClock } from './clock.js';
import { StandInCore } from './core.js';
import { Gateway, shardOf } from './gateway.js';
import { gatewayFeed } from './gateway-feed.js';
import { HttpFront } from './http-server.js';
import { interactionControls } from './interaction-driver.js';
import { appRoutes } from './routes-app.js';
import { channelRoutes } from './routes-channels.js';
import { interactionRoutes } from './routes-interactions.js';
import type { DiscordStandIn } from './stand-in-api.js';
import type { DiscordStandInOptions, UserSpec } from './types.js';
import { commandListViolations } from './validate-commands.js';
import { DEFAULT_APPLICATION_ID, defaultGuildSpec, World } from './world.js';
import { createWaiter, type Waiter } from './wait.js';
import { worldControls } from './world-controls.js';

export type { DiscordStandIn } from './stand-in-api.js';

export async function createDiscordStandIn(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
  const clock = resolveClock(options.clock);
  const applicationId = options.applicationId ?? DEFAULT_APPLICATION_ID;
  const botUser: UserSpec = {
    id: options.botUserId ?? applicationId,
    username: options.botUsername ?? 'mjtask-bot',
    global_name: null,
    bot: true,
  };
  const token = `${Buffer.from(botUser.id).toString('base64url')}.StandIn.${randomBytes(20).toString('base64url')}`;
  const world = new World(botUser, options.guilds ?? [defaultGuildSpec()], new Date(clock.now()).toISOString());
  const defaults = world.defaults();
  const core = new StandInCore(
    {
      applicationId,
      botUser,
      token,
      clock,
      rateLimitClock: options.rateLimitClock ?? realClock,
      editBucket: options.editBucket ?? { limit: 5, windowMs: 5000 },
      globalLimit: options.globalLimit === undefined ? { limit: 50, windowMs: 1000 } : options.globalLimit,
      keepRequestBodies: options.keepRequestBodies ?? true,
      webhookBucket: options.webhookBucket ?? options.editBucket ?? { limit: 5, windowMs: 5000 },
      ackDeadlineMs: options.ackDeadlineMs ?? 3000,
      tokenLifetimeMs: options.tokenLifetimeMs ?? 15 * 60_000,
      maxUploadBytes: options.maxUploadBytes ?? 10 * 1024 * 1024,
      nonceWindowMs: options.nonceWindowMs ?? 3 * 60_000,
      shards: options.shards ?? 1,
    },
    world,
  );
  const http = new HttpFront(core, [...appRoutes(core), ...channelRoutes(core), ...interactionRoutes(core)]);
  const shardCount = options.shards ?? 1;
  if (!Number.isInteger(shardCount) || shardCount < 1) throw new Error('stand-in: shards must be a whole number ≥ 1');
  const gateway = new Gateway(http.server, {
    token,
    shardCount,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    clock,
    ...gatewayFeed(world, botUser, applicationId, shardCount, () => core.origin),
    onChange: () => core.notify(),
  });
  core.gateway = gateway;
  const port = await http.listen();
  core.origin = `http://127.0.0.1:${port}`;
  const waiter: Waiter = createWaiter(core);
  let closed = false;

  return {
    apiBase: `${core.origin}/api`,
    cdnOrigin: core.origin,
    gatewayUrl: core.origin.replace(/^http/, 'ws'),
    token,
    applicationId,
    botUser,
    defaults,
    clock: standInClock(clock),
    requests: core.requests,
    gatewayLog: gateway.log,
    serverErrors: core.serverErrors,
    clientOptions: () => ({
      rest: { api: `${core.origin}/api`, globalRequestsPerSecond: 1e6 },
      // discord.js waits ~5 s between identifies; the stand-in has no identify limit to protect.
      ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => undefined }) },
    }),
    requestsTo: (method, path) => {
      const pattern = typeof path === 'string' ? new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : path;
      return core.requests.filter((r) => r.method === method.toUpperCase() && pattern.test(r.path));
    },
    count429: () => core.requests.filter((r) => r.status === 429).length,
    countGlobal429: () =>
      core.requests.filter((r) => r.status === 429 && (r.responseBody as { global?: unknown })?.global === true).length,
    beforeAnswer: (hook) => {
      core.answerHooks.add(hook);
      return () => core.answerHooks.delete(hook);
    },
    messages: (channelId) => core.messages.list(channelId),
    message: (channelId, messageId) => core.messages.get(channelId, messageId),
    messageHistory: (messageId) => core.messages.history(messageId),
    attachment: (attachmentId) => core.messages.attachment(attachmentId),
    deleteMessage: (channelId, messageId) => {
      const removed = core.messages.delete(channelId, messageId);
      if (removed) core.emitMessageDelete(removed);
      core.notify();
      return removed !== undefined;
    },
    commands: (guildId) => core.commands.list(guildId),
    registerCommands: (commands, guildId) => {
      const violations = commandListViolations(commands);
      if (violations.length) throw new Error(`stand-in: invalid commands: ${JSON.stringify(violations)}`);
      return core.commands.overwrite(commands, guildId);
    },
    ...interactionControls(core, gateway, waiter, world, defaults, applicationId, shardCount),
    waitFor: (predicate, timeoutMs = 5000, what = 'condition') => waiter.waitFor(predicate, timeoutMs, what),
    gatewayStatus: () => gateway.status,
    shardStatus: () => gateway.shardStatus(),
    shardOf: (guildId) => shardOf(guildId, shardCount),
    disconnectClient: (disconnect) => gateway.drop(disconnect),
    ...worldControls(core, gateway, world, botUser, defaults),
    close: async () => {
      if (closed) return;
      closed = true;
      waiter.cancelAll();
      await gateway.close();
      await http.close();
    },
  };
}
