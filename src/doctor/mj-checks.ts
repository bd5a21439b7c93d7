// Checks 5–6: the Midjourney API key (and its header style), then whether the API offers batched
// task reads. Both go through the bot's own client, so they see the API exactly as the bot will.
import type { Config } from '../config/load.js';
import { createMjClient } from '../mj/client.js';
import { chooseDialect } from '../mj/dialect-api.js';
import { isMjApiError, type MjErrorKind } from '../mj/errors.js';
import { fail, ok, skip, warn, type CheckResult } from './types.js';

export const MJ_CHECK_NAMES = {
  key: 'Midjourney API key',
  list: 'Batched task reads',
  dialect: 'Midjourney server',
} as const;
const N = MJ_CHECK_NAMES;

/** A made-up id: "no such task" (in any of the APIs' shapes) proves the key was accepted. */
export const PROBE_TASK_ID = '1000000000000000';

type AuthStyle = Config['mj']['authHeader'];
const HEADER_LABEL: Record<AuthStyle, string> = {
  bearer: 'Authorization: Bearer',
  'mj-api-secret': 'mj-api-secret header',
};
const OTHER_STYLE: Record<AuthStyle, AuthStyle> = { bearer: 'mj-api-secret', 'mj-api-secret': 'bearer' };

const KIND_WORDS: Partial<Record<MjErrorKind, string>> = {
  upstream: 'the API answered with an error',
  timeout: 'the API did not answer in time',
  network: 'the API cannot be reached',
  rate_limited: 'the API is rate limiting requests',
};
const KIND_FIX: Partial<Record<MjErrorKind, string>> = {
  upstream:
    "check MJ_API_URL (the base URL, without /mj) and the provider's status; a proxy in front of the API may be down",
  timeout: 'check that the API is up and reachable from here; raise MJ_TIMEOUT_MS if it is only slow',
  network: 'check MJ_API_URL, that the API is running, and any firewall between this machine and it',
  rate_limited: 'wait a minute and run the doctor again',
};

type Probe = { outcome: 'accepted' } | { outcome: 'error'; kind: MjErrorKind | 'setup'; message: string };

function describe(err: unknown): Probe {
  if (isMjApiError(err)) return { outcome: 'error', kind: err.kind, message: err.message };
  return { outcome: 'error', kind: 'setup', message: err instanceof Error ? err.message : String(err) };
}

async function withClient<T>(
  config: Config,
  style: AuthStyle,
  run: (client: ReturnType<typeof createMjClient>) => Promise<T>,
): Promise<T> {
  const client = createMjClient({
    baseUrl: config.mj.baseUrl,
    apiKey: config.mj.apiKey,
    authHeader: style,
    timeoutMs: config.mj.timeoutMs,
    connections: 1,
  });
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

async function probeKey(config: Config, style: AuthStyle): Promise<Probe> {
  try {
    return await withClient(config, style, async (client) => {
      await client.fetchTask(PROBE_TASK_ID);
      return { outcome: 'accepted' } as const;
    });
  } catch (err) {
    if (isMjApiError(err) && err.kind === 'not_found') return { outcome: 'accepted' };
    return describe(err);
  }
}

const trimPeriod = (s: string) => s.replace(/\.\s*$/, '');

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export async function mjChecks(config: Config): Promise<CheckResult[]> {
  const host = hostOf(config.mj.baseUrl);
  const configured = config.mj.authHeader;
  const first = await probeKey(config, configured);
  let key: CheckResult;
  let working: AuthStyle | null = null;
  if (first.outcome === 'accepted') {
    working = configured;
    key = ok(N.key, `${host} accepted the key (${HEADER_LABEL[configured]})`);
  } else if (first.kind === 'unauthorized') {
    const other = OTHER_STYLE[configured];
    const second = await probeKey(config, other);
    if (second.outcome === 'accepted') {
      working = other;
      key = fail(
        N.key,
        `${host} accepts the key only as ${HEADER_LABEL[other]}: MJ_AUTH_HEADER should be ${other}`,
        `set MJ_AUTH_HEADER=${other} in .env`,
      );
    } else {
      key = fail(
        N.key,
        `the key is rejected by ${host} (with either header style)`,
        'check MJ_API_KEY: copy it again from your provider (sk-… for aggregators, the mj-api-secret for a self-hosted proxy)',
      );
    }
  } else if (first.kind === 'setup') {
    key = fail(N.key, trimPeriod(first.message), 'check MJ_API_URL and MJ_API_KEY in .env');
  } else {
    const words = KIND_WORDS[first.kind] ?? `the check failed (${first.kind})`;
    const line = `${words} (${host}): ${trimPeriod(first.message)}`;
    const fix = KIND_FIX[first.kind] ?? 'check MJ_API_URL';
    key = first.kind === 'rate_limited' ? warn(N.key, line, fix) : fail(N.key, line, fix);
  }
  const list = working ? await listCheck(config, working, host) : skip(N.list, 'needs an accepted Midjourney API key');
  return [key, list, await dialectCheck(config, working ?? configured, host)];
}

const SERVER_NAMES = {
  nzk: 'novicezk/midjourney-proxy (nzk)',
  fork: 'trueai-org/midjourney-proxy (fork)',
  plus: 'midjourney-proxy-plus (plus)',
  newapi: 'new-api (newapi)',
  unknown: 'not recognised',
} as const;

/** The same probes the bot runs at start with MJ_API_DIALECT=auto, and what they found. */
async function dialectCheck(config: Config, style: AuthStyle, host: string): Promise<CheckResult> {
  const found = await withClient(config, style, (client) => chooseDialect('auto', client.probe));
  const detected = found.capabilities.dialect;
  const why = found.evidence.join('; ');
  const setting = config.mj.dialect;
  if (setting === 'auto') {
    if (detected === 'unknown')
      return warn(
        N.dialect,
        `${host}: ${SERVER_NAMES.unknown}, so the bot shows every button as the API sends it (${why})`,
        'set MJ_API_DIALECT to nzk, fork, plus or newapi in .env',
      );
    return ok(N.dialect, `${host} is ${SERVER_NAMES[detected]}, detected because ${why}`);
  }
  if (detected !== 'unknown' && detected !== setting)
    return warn(
      N.dialect,
      `MJ_API_DIALECT=${setting}, but ${host} answers like ${SERVER_NAMES[detected]} (${why})`,
      `set MJ_API_DIALECT=${detected} (or auto) in .env`,
    );
  const checked = detected === setting ? ', and the probes agree' : ' (the probes could not confirm it)';
  return ok(N.dialect, `${host} is ${SERVER_NAMES[setting]}: MJ_API_DIALECT${checked}`);
}

async function listCheck(config: Config, style: AuthStyle, host: string): Promise<CheckResult> {
  try {
    await withClient(config, style, (client) => client.fetchTasks([PROBE_TASK_ID]));
    return ok(N.list, `${host} offers POST /mj/task/list-by-condition: running tasks are polled in batches`);
  } catch (err) {
    if (isMjApiError(err) && err.kind === 'unsupported') {
      return warn(
        N.list,
        `${host} has no /mj/task/list-by-condition: the bot will poll each task separately (slower, more requests)`,
        'nothing to fix; raise POLL_FAST_MS if the API rate limits you',
      );
    }
    const probe = describe(err);
    return warn(
      N.list,
      `list-by-condition failed (${host}): ${trimPeriod(probe.outcome === 'error' ? probe.message : '')}`,
      'the bot retries at every poll; check the API if this persists',
    );
  }
}
