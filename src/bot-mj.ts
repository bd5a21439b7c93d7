// The bot's Midjourney side: the HTTP client (or a test's MjApi), which server it is (MJ_API_DIALECT,
// or what the probes find while Discord logs in) and the one request budget every caller goes through.
import type { Clock } from './clock.js';
import type { Config } from './config/load.js';
import { shareByShards } from './discord/connection.js';
import type { Logger } from './log.js';
import type { MjApi } from './mj/api.js';
import { CAPABILITIES, type DialectCapabilities } from './mj/capabilities.js';
import { createMjClient, type MjHttpClient } from './mj/client.js';
import { chooseDialect, describeDialectChoice, withDialectReads, type DialectChoice } from './mj/dialect-api.js';
import { createMjBudget, type MjBudget } from './tracking/mj-budget.js';
import { systemScheduler } from './tracking/scheduler.js';

export interface BotMj {
  /** Members' requests first, then polls and push re-reads; closed last by stop(). */
  budget: MjBudget;
  /** What the server offers, as known now (the setting's at once; auto: after detect()). */
  readonly capabilities: () => DialectCapabilities;
  /** Tells which server this is (MJ_API_DIALECT=auto: the probes), then logs and uses it; never rejects. */
  readonly detect: () => Promise<void>;
  close(): Promise<void>;
}

export function createBotMj(config: Config, testApi: MjApi | undefined, clock: Clock, log: Logger): BotMj {
  const httpClient: MjHttpClient | null = testApi
    ? null
    : createMjClient({
        baseUrl: config.mj.baseUrl,
        apiKey: config.mj.apiKey,
        authHeader: config.mj.authHeader,
        timeoutMs: config.mj.timeoutMs,
      });
  // The server's capabilities: MJ_API_DIALECT's at once, or (auto) what the probes find in start().
  const setting = config.mj.dialect;
  let dialect: DialectChoice = {
    capabilities: CAPABILITIES[setting === 'auto' ? 'unknown' : setting],
    source: setting === 'auto' ? 'undecided' : 'setting',
    evidence: [],
  };
  const capabilities = () => dialect.capabilities;
  const mj = withDialectReads(testApi ?? httpClient!, capabilities);
  // One budget for every request to the API: members' requests first, then polls and push re-reads.
  // The admin's key has one rate limit: an instance running some of the shards takes their part of it.
  const budget = createMjBudget(mj, {
    maxPerSecond: shareByShards(config.mj.maxRequestsPerSecond, config.discord.shards),
    requestTimeoutMs: config.mj.timeoutMs,
    clock,
    scheduler: systemScheduler,
  });
  return {
    budget,
    capabilities,
    detect: () =>
      chooseDialect(setting, httpClient?.probe)
        .catch((err: unknown) => {
          log.warn({ event: 'mj.dialect_failed', err }, 'could not tell which Midjourney server this is');
          return dialect;
        })
        .then((chosen) => {
          dialect = chosen;
          const { fields, message } = describeDialectChoice(chosen);
          log.info({ event: 'mj.dialect', ...fields }, message);
        }),
    async close() {
      budget.close();
      await mj.close();
    },
  };
}
