// Reads and checks the configuration once. Every problem is collected, so an admin fixes them all in
// one go; the message names variables and fixes, never a value (values may be secrets).
import { hostname } from 'node:os';
import { DISCORD_CDN_ORIGINS, EnvSchema, FIXES, type Env, type MJ_DIALECT_SETTINGS } from './schema.js';

export interface Config {
  discord: {
    token: string;
    /** REST base without the version, e.g. https://discord.com/api. */
    apiUrl: string;
    guildId: string | null;
    /**
     * Which gateway shards this instance connects: 'auto' = every shard Discord recommends, in this
     * process; otherwise `ids` out of `count` (other instances run the rest).
     */
    shards: 'auto' | { count: number; ids: number[] };
    /** Requests per second on routes that count against Discord's global limit (50/s); interaction webhooks do not. */
    maxRequestsPerSecond: number;
    /**
     * Progress of a task a member started (click, /imagine, /blend, /describe, /mjtask) through that
     * interaction's webhook while its token lives: not counted against the global limit.
     */
    progressThroughInteraction: boolean;
    /**
     * Requests per second through members' interaction webhooks (progress follow-ups and their edits),
     * all interactions together: Discord does not count them against the global limit, but a burst of
     * progress still goes out as a steady stream. Each interaction's own bucket is followed from
     * Discord's headers.
     */
    interactionRequestsPerSecond: number;
  };
  mj: {
    /** Base URL without a trailing slash; the client appends /mj/... */
    baseUrl: string;
    apiKey: string;
    authHeader: 'bearer' | 'mj-api-secret';
    timeoutMs: number;
    /**
     * How long /mjtask waits for the API before acknowledging Discord: an answer in time is sent as
     * it is (public task, or private error) with no "thinking…" at all; a slower one gets a private
     * "thinking…", so a private error never follows a public one.
     */
    answerBudgetMs: number;
    /** MJ_API_DIALECT: the server named, or 'auto' (detected at start). */
    dialect: (typeof MJ_DIALECT_SETTINGS)[number];
    /** Requests per second towards the API, shared by submits (first), polls and push re-reads. */
    maxRequestsPerSecond: number;
  };
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  databasePath: string;
  /** DATABASE_URL: the PostgreSQL server to use instead of the SQLite file; null: SQLite. */
  databaseUrl: string | null;
  /** DATABASE_POOL_SIZE: connections this instance keeps open to PostgreSQL (unused with SQLite). */
  databasePoolSize: number;
  /** Channel where tasks started from the bot are reported (a per-server setting overrides it). */
  updatesChannelId: string | null;
  /** Servers the bot answers in; empty = every server it is in. Direct messages are always refused. */
  allowedGuildIds: string[];
  guards: {
    /** Who may click a task's buttons: anyone, the member who started it, or only ALLOWED_ROLE_IDS. */
    clickPolicy: 'anyone' | 'requester' | 'roles';
    /** Members with one of these roles may always click (and are the only ones under 'roles'). */
    allowedRoleIds: string[];
    /** Submits (clicks, /imagine) per member per minute; 0 = unlimited. */
    clicksPerMinute: number;
    /** Tasks a member may have running at once; 0 = unlimited. */
    maxRunningTasksPerMember: number;
    /** A second click on the same button of the same message within this window submits nothing. */
    doubleClickWindowMs: number;
    /** A member with this many banned prompts within bannedPromptWindowMs is paused; 0 = never. */
    bannedPromptLimit: number;
    bannedPromptWindowMs: number;
  };
  tracker: {
    /** Between polls of a running task. */
    pollFastMs: number;
    /** Between polls of a queued task ("", SUBMITTED, MODAL). */
    pollSlowMs: number;
    /** Between polls of a running task at 90 % or more (its result is near). */
    pollFinishingMs: number;
    /** After this, a task still not finished is shown as timed out. */
    maxAgeMs: number;
  };
  media: {
    /** Hosts result images may be downloaded from even when they are not public addresses. */
    allowedHosts: string[];
    /**
     * Largest file the bot uploads with a result (DISCORD_UPLOAD_LIMIT_MB, less 1 KiB for the message
     * itself): a larger image or video is linked instead.
     */
    uploadMaxBytes: number;
    /** Largest image a member may attach to a command (ATTACHMENT_MAX_MB), in bytes. */
    attachmentMaxBytes: number;
    /** Origins slash-command attachments may come from: Discord's CDN, plus DISCORD_CDN_URL's when set. */
    attachmentOrigins: string[];
  };
  instance: {
    /** Names this process in logs and /healthz (INSTANCE_ID, default host name and pid). */
    id: string;
    /** A /healthz-only listener (the webhook receiver answers /healthz as well). */
    healthPort: number | null;
    /**
     * LEASE_TTL_MS: how long a tracked task stays with an instance that stops renewing its lease (it
     * died, or lost the database) before another instance sharing the database takes it over.
     */
    leaseTtlMs: number;
  };
  webhook: {
    port: number;
    secret: string;
    publicUrl: string;
    /** The URL passed as notifyHook on every submit. */
    notifyHookUrl: string;
  } | null;
}

/** Every secret the configuration holds: what logs, replies and error messages must never show. */
export function configSecrets(config: Config): string[] {
  return [
    config.discord.token,
    config.mj.apiKey,
    ...(config.webhook ? [config.webhook.secret] : []),
    ...databasePasswordOf(config.databaseUrl),
  ];
}

/** DATABASE_URL's password, a secret like the tokens (none when the URL carries none). */
function databasePasswordOf(url: string | null): string[] {
  if (url === null) return [];
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? [] : [password];
  } catch {
    return [];
  }
}

export interface ConfigProblem {
  variable: string;
  problem: string;
  fix: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(formatProblems(problems));
  }
}

function formatProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.variable} ${p.problem}: ${p.fix}.`);
  return [
    `The bot cannot start: ${problems.length === 1 ? 'one setting needs' : `${problems.length} settings need`} fixing in .env (see .env.example):`,
    ...lines,
  ].join('\n');
}

/** The notifyHook receiver is all or nothing: a port without a secret or public URL is a mistake. */
function readWebhook(e: Env): Config['webhook'] {
  const set = [e.WEBHOOK_PORT, e.WEBHOOK_SECRET, e.WEBHOOK_PUBLIC_URL].filter((v) => v !== undefined).length;
  if (set === 0) return null;
  if (set < 3) {
    const missing = (['WEBHOOK_PORT', 'WEBHOOK_SECRET', 'WEBHOOK_PUBLIC_URL'] as const).filter(
      (k) => e[k] === undefined,
    );
    throw new ConfigError(
      missing.map((variable) => ({
        variable,
        problem: 'is missing (the webhook needs all three WEBHOOK_ variables)',
        fix: FIXES[variable] ?? '',
      })),
    );
  }
  const publicUrl = String(e.WEBHOOK_PUBLIC_URL).replace(/\/+$/, '');
  const secret = String(e.WEBHOOK_SECRET);
  return { port: Number(e.WEBHOOK_PORT), secret, publicUrl, notifyHookUrl: `${publicUrl}/notify/${secret}` };
}

/** SHARD_IDS needs SHARD_COUNT, and every id must be below it; SHARD_COUNT alone means all of them. */
function readShards(e: Env): Config['discord']['shards'] {
  if (e.SHARD_COUNT === undefined) {
    if (e.SHARD_IDS === undefined) return 'auto';
    throw new ConfigError([
      { variable: 'SHARD_COUNT', problem: 'is missing (SHARD_IDS needs it)', fix: FIXES.SHARD_COUNT ?? '' },
    ]);
  }
  const count = e.SHARD_COUNT;
  const ids = e.SHARD_IDS ?? Array.from({ length: count }, (_, i) => i);
  if (ids.some((id) => id >= count)) {
    throw new ConfigError([
      { variable: 'SHARD_IDS', problem: `names a shard not below SHARD_COUNT (${count})`, fix: FIXES.SHARD_IDS ?? '' },
    ]);
  }
  return { count, ids: [...ids].sort((a, b) => a - b) };
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const seen = new Set<string>();
    const problems: ConfigProblem[] = [];
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? 'configuration');
      if (seen.has(variable)) continue;
      seen.add(variable);
      const problem = issue.code === 'invalid_type' && env[variable] === undefined ? 'is missing' : issue.message;
      problems.push({ variable, problem, fix: FIXES[variable] ?? 'see .env.example' });
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const webhook = readWebhook(e);
  const shards = readShards(e);
  return {
    discord: {
      token: e.DISCORD_TOKEN,
      apiUrl: e.DISCORD_API_URL.replace(/\/+$/, ''),
      guildId: e.DISCORD_GUILD_ID ?? null,
      shards,
      maxRequestsPerSecond: e.DISCORD_MAX_REQUESTS_PER_SECOND,
      progressThroughInteraction: e.PROGRESS_THROUGH_INTERACTION === 'true',
      interactionRequestsPerSecond: e.INTERACTION_REQUESTS_PER_SECOND,
    },
    mj: {
      baseUrl: String(e.MJ_API_URL).replace(/\/+$/, ''),
      apiKey: e.MJ_API_KEY,
      authHeader: e.MJ_AUTH_HEADER,
      timeoutMs: e.MJ_TIMEOUT_MS,
      answerBudgetMs: e.MJTASK_ANSWER_BUDGET_MS,
      dialect: e.MJ_API_DIALECT,
      maxRequestsPerSecond: e.MJ_MAX_REQUESTS_PER_SECOND,
    },
    logLevel: e.LOG_LEVEL,
    databasePath: e.DATABASE_PATH,
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    updatesChannelId: e.UPDATES_CHANNEL_ID ?? null,
    allowedGuildIds: e.ALLOWED_GUILD_IDS,
    guards: {
      clickPolicy: e.CLICK_POLICY,
      allowedRoleIds: e.ALLOWED_ROLE_IDS,
      clicksPerMinute: e.CLICKS_PER_MINUTE,
      maxRunningTasksPerMember: e.MAX_RUNNING_TASKS_PER_MEMBER,
      doubleClickWindowMs: e.DOUBLE_CLICK_WINDOW_SECONDS * 1000,
      bannedPromptLimit: e.BANNED_PROMPT_LIMIT,
      bannedPromptWindowMs: e.BANNED_PROMPT_WINDOW_HOURS * 3_600_000,
    },
    tracker: {
      // Every state of every dialect at 3 s, Bearer keys (aggregators) too: their refresh is not in
      // phase with our polls, so polling every 15 s would add up to 15 s on top of it, while batched
      // polls (100 ids per request, under MJ_MAX_REQUESTS_PER_SECOND) make 3 s nearly free.
      pollFastMs: e.POLL_FAST_MS ?? 3_000,
      // A queued task's next state is its first progress, which members should see within 3 s of the
      // change: that is the poll's wait, its answer and the edit, so the wait alone must stay under it.
      pollSlowMs: e.POLL_SLOW_MS ?? 2_500,
      // Seen sooner, a result takes its place in its channel's bucket sooner (5 per 5 s); few tasks
      // are this close to the end at once, so these polls share list requests.
      pollFinishingMs: e.POLL_FINISHING_MS ?? 500,
      maxAgeMs: e.TASK_TIMEOUT_MINUTES * 60_000,
    },
    media: {
      allowedHosts: e.MEDIA_ALLOWED_HOSTS,
      uploadMaxBytes: e.DISCORD_UPLOAD_LIMIT_MB * 1024 * 1024 - 1024,
      attachmentMaxBytes: e.ATTACHMENT_MAX_MB * 1024 * 1024,
      attachmentOrigins: [...DISCORD_CDN_ORIGINS, ...(e.DISCORD_CDN_URL ? [new URL(e.DISCORD_CDN_URL).origin] : [])],
    },
    instance: {
      id: e.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
      healthPort: e.HEALTH_PORT ?? null,
      leaseTtlMs: e.LEASE_TTL_MS,
    },
    webhook,
  };
}
