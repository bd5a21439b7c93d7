// createDiscordStandIn: a local Discord (REST v10 + gateway) that the real discord.js Client logs in
// to. Wires the world, stores, routes and gateway together and exposes the test-facing API.
import { randomBytes } from 'node:crypto';
import type { ClientOptions } from 'discord.js';
import { resolveClock, realClock, standInClock } from './clock.js';
import { INTENT_GUILDS, StandInCore } from './core.js';
import { Gateway, shardOf, type ShardStatus } from './gateway.js';
import { HttpFront } from './http-server.js';
import {
  buildAutocomplete,
  buildButtonClick,
  buildModalSubmit,
  buildSlashCommand,
  type PayloadContext,
} from './interaction-payloads.js';
import type { InteractionRecord } from './interactions.js';
import { Permission } from './permissions.js';
import { appRoutes } from './routes-app.js';
import { channelRoutes } from './routes-channels.js';
import { interactionRoutes } from './routes-interactions.js';
import type {
  ButtonClickArgs,
  DiscordStandInOptions,
  DispatchedInteraction,
  DisconnectOptions,
  GatewayLogEntry,
  InteractionResponseView,
  JsonObject,
  ModalSubmitArgs,
  RecordedRequest,
  SlashCommandArgs,
  AutocompleteArgs,
  StandInClock,
  StandInDefaults,
  StoredAttachment,
  StoredCommand,
  StoredMessage,
  UserSpec,
} from './types.js';
import { commandListViolations } from './validate-commands.js';
import { channelWire, guildCreateWire, memberWire, roleWire, userWire } from './wire.js';
import { DEFAULT_APPLICATION_ID, defaultGuildSpec, World } from './world.js';
import { createWaiter, type Waiter } from './wait.js';

export interface DiscordStandIn {
  /** For `new Client({ rest: { api: standIn.apiBase } })`. */
  readonly apiBase: string;
  /** Where the stand-in's "CDN" serves attachments (the bot's DISCORD_CDN_URL). */
  readonly cdnOrigin: string;
  readonly gatewayUrl: string;
  /** The only bot token the stand-in accepts. */
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: UserSpec;
  readonly defaults: StandInDefaults;
  readonly clock: StandInClock;
  readonly requests: readonly RecordedRequest[];
  readonly gatewayLog: readonly GatewayLogEntry[];
  /** Exceptions inside the stand-in (answered 500). A passing test should leave this empty. */
  readonly serverErrors: readonly Error[];
  /** rest/ws client options for a fast, unthrottled discord.js Client against this stand-in. */
  clientOptions(): Pick<ClientOptions, 'rest' | 'ws'>;
  requestsTo(method: string, path: RegExp | string): RecordedRequest[];
  /** Every 429 the stand-in answered (per-route buckets and the global limit). */
  count429(): number;
  /** The 429s of the global limit only. */
  countGlobal429(): number;
  /**
   * Runs `hook` for every request after the stand-in handled and recorded it, before the answer is
   * written (e.g. to kill a bot process that must never see the answer). Returns the unsubscribe.
   */
  beforeAnswer(hook: (request: RecordedRequest) => void): () => void;
  messages(channelId: string): StoredMessage[];
  message(channelId: string, messageId: string): StoredMessage | undefined;
  /** Every stored version of a message, oldest first. */
  messageHistory(messageId: string): StoredMessage[];
  /** An attachment by id (a message's, or one a member attached to a command), with its download count. */
  attachment(attachmentId: string): StoredAttachment | undefined;
  /** Simulates a member deleting the message (MESSAGE_DELETE is dispatched). */
  deleteMessage(channelId: string, messageId: string): boolean;
  interactionResponses(interactionId: string): InteractionResponseView;
  commands(guildId?: string): StoredCommand[];
  /** Registers commands as a deploy script would (validated like PUT …/commands). */
  registerCommands(commands: JsonObject[], guildId?: string): StoredCommand[];
  slashCommand(args: SlashCommandArgs): DispatchedInteraction;
  /** A member typing in an autocompleted option; the bot's choices are the callback's data (type 8). */
  autocomplete(args: AutocompleteArgs): DispatchedInteraction;
  clickButton(args: ButtonClickArgs): DispatchedInteraction;
  submitModal(args: ModalSubmitArgs): DispatchedInteraction;
  waitForResponse(interactionId: string, timeoutMs?: number): Promise<InteractionResponseView>;
  /** Resolves with the predicate's first truthy value; re-checked on every request/event and every 10 ms. */
  waitFor<T>(
    predicate: () => T | Promise<T>,
    timeoutMs?: number,
    what?: string,
  ): Promise<Exclude<T, false | null | undefined | 0 | ''>>;
  /** Shard 0's connection (the whole gateway when unsharded). */
  gatewayStatus(): { connected: boolean; sessionId: string | null; intents: number | null; seq: number };
  /** Every shard's connection. */
  shardStatus(): ShardStatus[];
  /** The shard that carries a guild's events. */
  shardOf(guildId: string): number;
  disconnectClient(options?: DisconnectOptions): void;
  /**
   * Denies the bot VIEW_CHANNEL (→ 50001), SEND_MESSAGES or ATTACH_FILES (→ 50013), or READ_MESSAGE_HISTORY
   * (its history lists nothing) via a member overwrite.
   */
  revokeAccess(channelId: string, what?: 'view' | 'send' | 'attach' | 'history'): void;
  restoreAccess(channelId: string): void;
  addMember(member?: { id?: string; username?: string; roles?: string[]; guildId?: string }): UserSpec;
  addRole(role: { name: string; permissions: bigint; guildId?: string }): string;
  addChannel(channel: { name: string; guildId?: string }): string;
  /** How the client shows a user: server nickname, else global name, else username (ids it cannot name: as given). */
  displayName(userId: string): string;
  /** A channel's name (without '#'); the id when it is not known. */
  channelName(channelId: string): string;
  close(): Promise<void>;
}

const REVOKABLE = {
  view: Permission.ViewChannel,
  send: Permission.SendMessages,
  attach: Permission.AttachFiles,
  history: Permission.ReadMessageHistory,
};

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
    ready: (sessionId, shard) => ({
      v: 10,
      user: { ...userWire(botUser), bot: true, verified: true, mfa_enabled: false, flags: 0, email: null },
      guilds: [...world.guilds.keys()]
        .filter((id) => shardOf(id, shardCount) === shard[0])
        .map((id) => ({ id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: core.origin.replace(/^http/, 'ws'),
      shard,
      application: { id: applicationId, flags: 0 },
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ['stand-in'],
    }),
    guildCreates: (shardId) =>
      [...world.guilds.values()]
        .filter((guild) => shardOf(guild.id, shardCount) === shardId)
        .map((guild) => guildCreateWire(guild)),
    membersChunk: (request) => {
      const guild = world.guild(String(request.guild_id));
      const ids = Array.isArray(request.user_ids)
        ? request.user_ids.map(String)
        : typeof request.user_ids === 'string'
          ? [request.user_ids]
          : null;
      const query = typeof request.query === 'string' ? request.query.toLowerCase() : '';
      const members = [...(guild?.members.values() ?? [])].filter((m) =>
        ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query),
      );
      const limit = typeof request.limit === 'number' && request.limit > 0 ? request.limit : members.length;
      return members.slice(0, limit).map((m) => memberWire(m));
    },
    onChange: () => core.notify(),
  });
  core.gateway = gateway;
  const port = await http.listen();
  core.origin = `http://127.0.0.1:${port}`;
  const waiter: Waiter = createWaiter(core);

  const context: PayloadContext = {
    world,
    messages: core.messages,
    commands: core.commands,
    interactions: core.interactions,
    ids: core.ids,
    applicationId,
    defaults,
    now: () => core.now(),
  };
  const dispatch = (record: InteractionRecord, viaShard?: number): DispatchedInteraction => {
    const guildId = typeof record.payload.guild_id === 'string' ? record.payload.guild_id : null;
    if (viaShard === undefined && !gateway.hasSession(guildId))
      throw new Error(
        `stand-in: no bot is connected to shard ${shardOf(guildId, shardCount)} of the gateway yet (wait for the client to be ready)`,
      );
    core.interactions.add(record);
    if (viaShard === undefined) gateway.dispatch('INTERACTION_CREATE', record.payload);
    else if (!gateway.dispatchOnShard(viaShard, 'INTERACTION_CREATE', record.payload))
      throw new Error(`stand-in: no bot is connected to shard ${viaShard} of the gateway`);
    core.notify();
    const resolved = (record.payload.data as { resolved?: { attachments?: JsonObject } } | undefined)?.resolved;
    const attachmentIds = Object.keys(resolved?.attachments ?? {});
    return { id: record.id, token: record.token, applicationId, ...(attachmentIds.length > 0 && { attachmentIds }) };
  };
  const guildOf = (guildId?: string) => world.requireGuild(guildId ?? defaults.guildId);
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
    interactionResponses: (interactionId) => {
      const view = core.interactions.view(interactionId, core.messages);
      if (!view) throw new Error(`stand-in: no interaction ${interactionId} was dispatched`);
      return view;
    },
    commands: (guildId) => core.commands.list(guildId),
    registerCommands: (commands, guildId) => {
      const violations = commandListViolations(commands);
      if (violations.length) throw new Error(`stand-in: invalid commands: ${JSON.stringify(violations)}`);
      return core.commands.overwrite(commands, guildId);
    },
    slashCommand: (args) => dispatch(buildSlashCommand(context, args), args.viaShard),
    autocomplete: (args) => dispatch(buildAutocomplete(context, args)),
    clickButton: (args) => dispatch(buildButtonClick(context, args), args.viaShard),
    submitModal: (args) => dispatch(buildModalSubmit(context, args)),
    waitForResponse: (interactionId, timeoutMs = 5000) =>
      waiter.waitFor<InteractionResponseView | null>(
        () => {
          const view = core.interactions.view(interactionId, core.messages);
          return view?.callbackType !== null ? view : null;
        },
        timeoutMs,
        `the bot's response to interaction ${interactionId}`,
      ),
    waitFor: (predicate, timeoutMs = 5000, what = 'condition') => waiter.waitFor(predicate, timeoutMs, what),
    gatewayStatus: () => gateway.status,
    shardStatus: () => gateway.shardStatus(),
    shardOf: (guildId) => shardOf(guildId, shardCount),
    disconnectClient: (disconnect) => gateway.drop(disconnect),
    revokeAccess: (channelId, what = 'view') => {
      const current = core.channelOr404(channelId).channel.overwrites.find((o) => o.type === 1 && o.id === botUser.id);
      const channel = world.setOverwrite(channelId, {
        id: botUser.id,
        type: 1,
        allow: 0n,
        deny: (current?.deny ?? 0n) | REVOKABLE[what],
      });
      gateway.dispatch('CHANNEL_UPDATE', channelWire(channel), INTENT_GUILDS);
    },
    restoreAccess: (channelId) => {
      const channel = world.setOverwrite(channelId, { id: botUser.id, type: 1 });
      gateway.dispatch('CHANNEL_UPDATE', channelWire(channel), INTENT_GUILDS);
    },
    addMember: (member = {}) => {
      const guild = guildOf(member.guildId);
      const id = member.id ?? core.ids.next();
      const user: UserSpec = { id, username: member.username ?? `member-${id.slice(-6)}`, global_name: null };
      const state = world.addMember(guild.id, { user, roles: member.roles ?? [] });
      gateway.dispatch('GUILD_MEMBER_ADD', { ...memberWire(state), guild_id: guild.id }, 1 << 1);
      return user;
    },
    addRole: (role) => {
      const guild = guildOf(role.guildId);
      const state = world.addRole(guild.id, { id: core.ids.next(), name: role.name, permissions: role.permissions });
      gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: roleWire(state) }, INTENT_GUILDS);
      return state.id;
    },
    addChannel: (channel) => {
      const guild = guildOf(channel.guildId);
      const state = world.addChannel(guild.id, { id: core.ids.next(), name: channel.name });
      gateway.dispatch('CHANNEL_CREATE', channelWire(state), INTENT_GUILDS);
      return state.id;
    },
    displayName: (userId) => {
      if (userId === botUser.id) return botUser.global_name ?? botUser.username;
      for (const guild of world.guilds.values()) {
        const member = guild.members.get(userId);
        if (member) return member.nick ?? member.user.global_name ?? member.user.username;
      }
      return userId;
    },
    channelName: (channelId) => world.channel(channelId)?.channel.name ?? channelId,
    close: async () => {
      if (closed) return;
      closed = true;
      waiter.cancelAll();
      await gateway.close();
      await http.close();
    },
  };
}
