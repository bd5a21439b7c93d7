// The bot's HTTP listeners: the notifyHook receiver (pushes feed the tracker; it answers /healthz too)
// and an optional /healthz-only port. Both report the same health: the instance, its shards, the
// tracker's counts and whether the database answers.
import { Status, type Client } from 'discord.js';
import type { Clock } from './clock.js';
import type { Config } from './config/load.js';
import type { Logger } from './log.js';
import { parseSubmitState } from './mj/submit-state.js';
import type { Store } from './store/store.js';
import { answerWaitMsFor } from './submit/recovery.js';
import type { Tracker } from './tracking/types.js';
import { createFeedPushHandler } from './webhook/feed.js';
import { healthReport, type DatabaseHealth, type HealthReport } from './webhook/health.js';
import { createNotifyReceiver, type NotifyReceiver } from './webhook/server.js';

export interface ListenerDeps {
  config: Config;
  client: Client;
  tracker: Tracker;
  store: Store;
  stateKey: Buffer;
  channelLocaleFor(guildId: string | null, guildLocale: string | null): Promise<string>;
  clock: Clock;
  log: Logger;
  /** Requests per second of Discord's global limit this instance may use now. */
  discordShare(): number;
  /** Requests per second towards the Midjourney API this instance may send now. */
  mjShare(): number;
  /** Host both listeners bind; default all interfaces. */
  host?: string;
}

export interface BotListeners {
  /** The notifyHook receiver (null when WEBHOOK_PORT is not set). */
  readonly receiver: NotifyReceiver | null;
  /** The /healthz-only port (null when HEALTH_PORT is not set). */
  readonly healthOnly: NotifyReceiver | null;
  /** Pushes other instances relay for the tasks this one owns, hinted to its tracker like its own. */
  readonly relayed: { start(): Promise<void>; stop(): Promise<void> };
}

export function createBotListeners(deps: ListenerDeps): BotListeners {
  const { config, client, tracker, store, log } = deps;
  const host = deps.host ? { host: deps.host } : {};
  const health = async (): Promise<HealthReport> =>
    healthReport({
      instanceId: config.instance.id,
      shards: [...client.ws.shards.values()].map((shard) => ({
        id: shard.id,
        status: (Status[shard.status] ?? String(shard.status)).toLowerCase(),
        ping: shard.ping,
      })),
      tracker: tracker.counts(),
      database: await databaseHealth(store),
      discordShare: deps.discordShare(),
      mjShare: deps.mjShare(),
    });
  const receiver = config.webhook
    ? createNotifyReceiver({
        port: config.webhook.port,
        ...host,
        secret: config.webhook.secret,
        onPush: createFeedPushHandler({
          tracker,
          store,
          configuredChannelId: config.updatesChannelId,
          // The seam where the state's signature is checked: the task's owner, or null when not ours.
          stateOwner: (state) => parseSubmitState(state, deps.stateKey),
          localeFor: (guildId, guildLocale) =>
            deps.channelLocaleFor(
              guildId,
              guildLocale ?? (guildId ? (client.guilds.cache.get(guildId)?.preferredLocale ?? null) : null),
            ),
          clock: deps.clock,
          // As long as the list look waits for a click's own answer.
          answerWaitMs: answerWaitMsFor(config.mj.timeoutMs),
          log,
        }),
        health,
        log,
      })
    : null;
  // /healthz alone, for a container HEALTHCHECK or a load balancer that must not see the push path.
  const healthOnly =
    config.instance.healthPort !== null
      ? createNotifyReceiver({
          port: config.instance.healthPort,
          ...host,
          secret: null,
          onPush: () => 'ignored',
          health,
          log,
        })
      : null;
  let stopRelayed: (() => Promise<void>) | null = null;
  const relayed = {
    async start() {
      stopRelayed ??= await store.relay.listen((taskId) => {
        const outcome = tracker.hint(taskId);
        log.debug({ event: 'webhook.relayed', taskId, outcome }, 'push relayed by another instance');
      });
    },
    async stop() {
      await stopRelayed?.();
      stopRelayed = null;
    },
  };
  return { receiver, healthOnly, relayed };
}

/** A read the database must answer; its message (never a value) when it cannot. */
async function databaseHealth(store: Store): Promise<DatabaseHealth> {
  try {
    await store.ping();
    return { ok: true, backend: store.backend };
  } catch (err) {
    return { ok: false, backend: store.backend, problem: err instanceof Error ? err.message : String(err) };
  }
}
