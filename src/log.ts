// Structured JSON logs (pino). Secrets are redacted twice: by field name, and by value in the final
// line, so a token that slips into an error message or a URL is still never written.
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { SNOWFLAKE_DIGITS } from './config/snowflake.js';
import { createRedactor } from './redact.js';

export type { Logger };

export interface LoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Values that must never be written (bot token, API key, webhook secret). */
  secrets: ReadonlyArray<string | null | undefined>;
  /** Where lines go; defaults to stdout, pretty-printed when it is a terminal. */
  destination?: DestinationStream;
}

const REDACTED_PATHS = [
  'token',
  'apiKey',
  'secret',
  'authorization',
  '*.token',
  '*.apiKey',
  '*.secret',
  '*.authorization',
  'headers.authorization',
  'headers["mj-api-secret"]',
];

/**
 * Interaction and webhook tokens sit in Discord URLs (`/interactions/<id>/<token>/callback`,
 * `/webhooks/<appId>/<token>/…`), and discord.js puts the URL of a failed request in its errors.
 * Each is a credential for its interaction (15 minutes), so the path segment is replaced wherever
 * such a URL appears.
 */
const DISCORD_URL_TOKEN = new RegExp(
  String.raw`(\/(?:interactions|webhooks)\/${SNOWFLAKE_DIGITS}\/)[^/\s"'?#\\]{16,}`,
  'g',
);

export function redactDiscordUrlTokens(text: string): string {
  return text.replace(DISCORD_URL_TOKEN, '$1[redacted]');
}

/** Replaces every secret, in every encoding src/redact.ts knows, in a string (start-up errors, the doctor). */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  return createRedactor(secrets).text(text);
}

export function createLogger(options: LoggerOptions): Logger {
  // Built once: every log line passes the same redaction as every byte sent to Discord.
  const redactor = createRedactor(options.secrets);
  const destination =
    options.destination ??
    (process.stdout.isTTY
      ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' })
      : pino.destination(1));
  return pino(
    {
      level: options.level,
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: { streamWrite: (line) => redactDiscordUrlTokens(redactor.text(line)) },
      serializers: { err: pino.stdSerializers.err },
    },
    destination,
  );
}

/** What the tracker, the publisher and the channel messenger write about; every line names one. */
export type LogEvent =
  | 'tracker.started'
  | 'tracker.leases_lost'
  | 'tracker.lease_lost'
  | 'tracker.tasks_taken_over'
  | 'tracker.progress_found'
  | 'tracker.heartbeat_failed'
  | 'tracker.failed'
  | 'task.transition'
  | 'task.poll_failed'
  | 'task.unreadable'
  | 'tracker.hint_dropped'
  | 'task.progress_failed'
  | 'task.result_failed'
  | 'mj.list_unsupported'
  | 'publisher.render_failed'
  | 'publisher.failed'
  | 'publisher.progress_gone'
  | 'publisher.interaction_expired'
  | 'publisher.progress_refused'
  | 'publisher.result_image_refused'
  | 'publisher.result_gone'
  | 'publisher.result_refused'
  | 'publisher.result_retry'
  | 'publisher.delete_failed'
  | 'publisher.edit_failed'
  | 'publisher.lookup_failed'
  | 'interaction.expired'
  | 'discord.payload_refused'
  // The share keeper's, one set per shared budget (store/instances.ts SharedBudget).
  | `${'discord' | 'mj'}.share_changed`
  | `${'discord' | 'mj'}.share_beat_failed`
  | `${'discord' | 'mj'}.share_counted_out`
  | `${'discord' | 'mj'}.share_recovered`
  | 'cluster.instances_gone';

/** The fields of a line: an event, and errors as `err` objects so the serializer keeps their stack. */
export interface LogFields {
  event: LogEvent;
  err?: unknown;
  [field: string]: unknown;
}

type LogMethod = (fields: LogFields, msg: string) => void;

/** The part of pino's Logger the tracking side uses; a pino Logger is one. */
export interface EventLog {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

const ignore: LogMethod = () => {};
/** Writes nothing: the default where no logger is given. */
export const noLog: EventLog = { debug: ignore, info: ignore, warn: ignore, error: ignore };
