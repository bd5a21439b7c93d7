// The environment variables the bot reads, each with the sentence an admin needs when it is wrong.
// Checked once at start (src/config/load.ts); nothing else reads process.env.
import { isIP } from 'node:net';
import { z } from 'zod';
import { isSnowflake } from './snowflake.js';
import { DEFAULT_INTERACTION_REQUESTS_PER_SECOND, DEFAULT_MAX_REQUESTS_PER_SECOND } from './discord-limits.js';

const DISCORD_API_DEFAULT = 'https://discord.com/api';
/** Where Discord serves command attachments (url and proxy_url of a resolved attachment). */
export const DISCORD_CDN_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'] as const;

const snowflake = z.string().refine(isSnowflake, 'must be a Discord ID (17–20 digits)');
const httpUrl = z
  .string()
  .url('must be a URL such as https://example.com')
  .refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://');

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v),
    schema.optional(),
  );

const required = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), schema);

const positiveInt = z.coerce.number().int().positive();

const idList = (what: string) =>
  z
    .string()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .refine((ids) => ids.every(isSnowflake), `must be ${what} IDs (17–20 digits) separated by commas`);

/** MJ_API_DIALECT: which Midjourney server the API is; `auto` asks it at start with read-only probes. */
export const MJ_DIALECT_SETTINGS = ['auto', 'nzk', 'fork', 'plus', 'newapi'] as const;

/** How each variable is fixed when it is missing or wrong; shown next to the problem. */
export const FIXES: Record<string, string> = {
  DISCORD_TOKEN: 'copy the bot token from the Discord Developer Portal → your application → Bot → Reset Token',
  DISCORD_API_URL: 'leave it empty to use Discord, or set the base of a REST proxy such as http://127.0.0.1:8080/api',
  DISCORD_GUILD_ID:
    'leave it empty to register commands globally, or set a server ID (Developer Mode → right-click the server → Copy Server ID)',
  DISCORD_MAX_REQUESTS_PER_SECOND:
    "a whole number from 1 to 50 (Discord's global limit is 50 per second; 45 leaves room for other requests)",
  INTERACTION_REQUESTS_PER_SECOND:
    "a whole number from 1 to 1000 of requests per second through members' interaction webhooks, e.g. 200",
  PROGRESS_THROUGH_INTERACTION:
    "true (progress of a member's task through their own interaction while its token lives) or false (always through the channel)",
  MJ_API_URL: 'set the base URL of your Midjourney API without /mj, e.g. https://api.example.com',
  MJ_API_KEY: 'set the key your Midjourney API gave you (sk-… for aggregators, the mj-api-secret for a proxy)',
  MJ_AUTH_HEADER:
    'use "bearer" (Authorization: Bearer <key>, aggregators) or "mj-api-secret" (self-hosted midjourney-proxy)',
  MJ_TIMEOUT_MS: 'a whole number of milliseconds, e.g. 15000',
  MJTASK_ANSWER_BUDGET_MS:
    'a whole number of milliseconds from 0 to 2500 (Discord wants an answer within 3 s), e.g. 2000',
  MJ_API_DIALECT:
    'leave it empty (auto: the bot asks the API at start), or name the server: nzk (novicezk/midjourney-proxy), fork (trueai-org/midjourney-proxy), plus (midjourney-proxy-plus) or newapi (new-api)',
  MJ_MAX_REQUESTS_PER_SECOND: 'a whole number of requests per second towards the Midjourney API, e.g. 10',
  LOG_LEVEL: 'one of debug, info, warn, error',
  DATABASE_PATH: 'a file path such as ./data/mjtask-bot.sqlite (its folder is created if missing)',
  DATABASE_URL:
    'leave it empty for SQLite (DATABASE_PATH), or set a PostgreSQL URL such as postgres://mjtask:password@db.example.com:5432/mjtask',
  DATABASE_POOL_SIZE: 'a whole number of connections to PostgreSQL, 1–100, e.g. 10',
  UPDATES_CHANNEL_ID:
    'leave it empty, or set a text channel ID (Developer Mode → right-click the channel → Copy Channel ID)',
  CLICK_POLICY: 'use "anyone", "requester" (the member who started the task) or "roles" (only ALLOWED_ROLE_IDS)',
  ALLOWED_ROLE_IDS: 'a comma-separated list of role IDs, e.g. 123456789012345678,234567890123456789',
  ALLOWED_GUILD_IDS:
    'leave it empty to work in every server the bot is in, or list server IDs separated by commas, e.g. 123456789012345678,234567890123456789',
  BANNED_PROMPT_LIMIT: 'a whole number of banned prompts after which a member is paused, e.g. 3 (0 = never pause)',
  BANNED_PROMPT_WINDOW_HOURS: 'a whole number of hours over which banned prompts are counted, e.g. 24',
  CLICKS_PER_MINUTE: 'a whole number of submits a member may make per minute, e.g. 6 (0 = no limit)',
  MAX_RUNNING_TASKS_PER_MEMBER: 'a whole number, e.g. 3 (0 = no limit)',
  DOUBLE_CLICK_WINDOW_SECONDS: 'a whole number of seconds, e.g. 60',
  POLL_FAST_MS: 'a whole number of milliseconds between polls of a running task, e.g. 3000',
  POLL_SLOW_MS: 'a whole number of milliseconds between polls of a queued task, e.g. 3000',
  POLL_FINISHING_MS: 'a whole number of milliseconds between polls of a task at 90 % or more, e.g. 500',
  TASK_TIMEOUT_MINUTES: 'a whole number of minutes after which a task is shown as timed out, e.g. 60',
  MEDIA_ALLOWED_HOSTS:
    'a comma-separated list of host names (no scheme, no port), e.g. images.internal.example,127.0.0.1',
  ATTACHMENT_MAX_MB: 'a whole number of megabytes from 1 to 25, e.g. 10',
  DISCORD_UPLOAD_LIMIT_MB:
    "a whole number of megabytes from 1 to 500: your server's upload limit, e.g. 10 (50 or 100 with boosts)",
  DISCORD_CDN_URL:
    'leave it empty (images come from cdn.discordapp.com and media.discordapp.net), or set the base URL of a CDN stand-in or proxy, e.g. http://127.0.0.1:8081',
  WEBHOOK_PORT: 'a free TCP port for the notifyHook receiver, e.g. 8787 (empty = no receiver)',
  WEBHOOK_SECRET: 'a long random string (at least 16 characters), e.g. from `openssl rand -hex 16`',
  WEBHOOK_PUBLIC_URL: 'the public base URL where the Midjourney API reaches WEBHOOK_PORT, e.g. https://bot.example.com',
  SHARD_COUNT: 'the total number of shards of the whole bot, e.g. 2 (empty = as many as Discord recommends, all here)',
  SHARD_IDS: 'the shards this instance connects, comma-separated, each below SHARD_COUNT, e.g. 0,1',
  HEALTH_PORT: 'a free TCP port for GET /healthz alone (the webhook receiver answers it too), e.g. 8788',
  INSTANCE_ID: 'a short name for this instance in logs and /healthz, e.g. bot-1 (letters, digits, . _ -)',
  LEASE_TTL_MS:
    'a whole number of milliseconds from 1000 to 600000 a task stays with an instance that stops renewing it, e.g. 30000',
};

export const EnvSchema = z.object({
  DISCORD_TOKEN: required(
    z
      .string({ error: 'is missing' })
      .min(1, 'is missing')
      .regex(/^[A-Za-z0-9_.-]{20,}$/, 'does not look like a bot token'),
  ),
  DISCORD_API_URL: optional(httpUrl).default(DISCORD_API_DEFAULT),
  DISCORD_GUILD_ID: optional(snowflake),
  DISCORD_MAX_REQUESTS_PER_SECOND: optional(positiveInt.max(50, "must be at most 50 (Discord's global limit)")).default(
    DEFAULT_MAX_REQUESTS_PER_SECOND,
  ),
  INTERACTION_REQUESTS_PER_SECOND: optional(positiveInt.max(1000, 'must be at most 1000')).default(
    DEFAULT_INTERACTION_REQUESTS_PER_SECOND,
  ),
  PROGRESS_THROUGH_INTERACTION: optional(
    z.preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(['true', 'false'], { error: 'must be true or false' }),
    ),
  ).default('true'),
  MJ_API_URL: required(z.string({ error: 'is missing' }).min(1, 'is missing').pipe(httpUrl)),
  MJ_API_KEY: required(z.string({ error: 'is missing' }).min(1, 'is missing')),
  MJ_AUTH_HEADER: optional(
    z.preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(['bearer', 'mj-api-secret'], { error: 'must be "bearer" or "mj-api-secret"' }),
    ),
  ).default('bearer'),
  MJ_API_DIALECT: optional(
    z.preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(MJ_DIALECT_SETTINGS, { error: 'must be auto, nzk, fork, plus or newapi' }),
    ),
  ).default('auto'),
  MJ_TIMEOUT_MS: optional(positiveInt.max(120_000, 'must be at most 120000')).default(15_000),
  MJTASK_ANSWER_BUDGET_MS: optional(z.coerce.number().int().min(0).max(2_500, 'must be at most 2500')).default(2_000),
  MJ_MAX_REQUESTS_PER_SECOND: optional(positiveInt.max(1000, 'must be at most 1000')).default(10),
  LOG_LEVEL: optional(
    z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' }),
  ).default('info'),
  DATABASE_PATH: optional(z.string().min(1)).default('./data/mjtask-bot.sqlite'),
  DATABASE_URL: optional(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/[^/\s]+/, 'must be a PostgreSQL URL (postgres://user:password@host:port/database)'),
  ),
  DATABASE_POOL_SIZE: optional(positiveInt.max(100, 'must be at most 100')).default(10),
  UPDATES_CHANNEL_ID: optional(snowflake),
  CLICK_POLICY: optional(
    z.preprocess(
      (v) => (typeof v === 'string' ? v.toLowerCase() : v),
      z.enum(['anyone', 'requester', 'roles'], { error: 'must be anyone, requester or roles' }),
    ),
  ).default('requester'),
  ALLOWED_ROLE_IDS: optional(idList('role')).default([]),
  ALLOWED_GUILD_IDS: optional(idList('server')).default([]),
  BANNED_PROMPT_LIMIT: optional(z.coerce.number().int().min(0).max(1000)).default(3),
  BANNED_PROMPT_WINDOW_HOURS: optional(positiveInt.max(24 * 30)).default(24),
  CLICKS_PER_MINUTE: optional(z.coerce.number().int().min(0).max(1000)).default(6),
  MAX_RUNNING_TASKS_PER_MEMBER: optional(z.coerce.number().int().min(0).max(1000)).default(3),
  DOUBLE_CLICK_WINDOW_SECONDS: optional(z.coerce.number().int().min(0).max(86_400)).default(60),
  POLL_FAST_MS: optional(positiveInt.min(20).max(600_000)),
  POLL_SLOW_MS: optional(positiveInt.min(20).max(600_000)),
  POLL_FINISHING_MS: optional(positiveInt.min(20).max(600_000)),
  TASK_TIMEOUT_MINUTES: optional(positiveInt.max(24 * 60)).default(60),
  MEDIA_ALLOWED_HOSTS: optional(
    z
      .string()
      .transform((v) => v.split(/[\s,]+/).filter(Boolean))
      .refine(
        (hosts) => hosts.every((h) => /^[a-z0-9.-]+$/i.test(h) || isIP(h.replace(/^\[(.*)\]$/, '$1')) === 6),
        'must be host names without a scheme, path or port, separated by commas',
      ),
  ).default([]),
  ATTACHMENT_MAX_MB: optional(positiveInt.max(25, 'must be at most 25')).default(10),
  DISCORD_UPLOAD_LIMIT_MB: optional(positiveInt.max(500, 'must be at most 500')).default(10),
  DISCORD_CDN_URL: optional(httpUrl),
  WEBHOOK_PORT: optional(z.coerce.number().int().min(0).max(65_535)),
  WEBHOOK_SECRET: optional(z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16–128 letters, digits, - or _')),
  WEBHOOK_PUBLIC_URL: optional(httpUrl),
  // Discord caps a bot's shard count far below this; it only keeps a typo from spawning thousands.
  SHARD_COUNT: optional(positiveInt.max(4096, 'must be at most 4096')),
  SHARD_IDS: optional(
    z
      .string()
      .transform((v) => v.split(/[\s,]+/).filter(Boolean))
      .refine(
        (ids) => ids.length > 0 && ids.every((id) => /^\d{1,4}$/.test(id)),
        'must be shard numbers separated by commas',
      )
      .transform((ids) => ids.map(Number))
      .refine((ids) => new Set(ids).size === ids.length, 'names a shard twice'),
  ),
  HEALTH_PORT: optional(z.coerce.number().int().min(0).max(65_535)),
  INSTANCE_ID: optional(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, . _ or -')),
  LEASE_TTL_MS: optional(positiveInt.min(1_000).max(600_000)).default(30_000),
});

export type Env = z.output<typeof EnvSchema>;
