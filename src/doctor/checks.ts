// runDoctor: every check of `npm run doctor`, in the order an admin fixes things. A bad setting does
// not stop the run: only the checks that need it are skipped, so one run shows everything to fix.
import { ConfigError, configSecrets, loadConfig, type Config, type ConfigProblem } from '../config/load.js';
import { checkDatabase } from './database-check.js';
import { checkPostgres } from './postgres-check.js';
import { DISCORD_CHECK_NAMES, discordChecks } from './discord-checks.js';
import { MJ_CHECK_NAMES, mjChecks } from './mj-checks.js';
import { fail, ok, skip, type CheckResult, type DoctorReport } from './types.js';
import { WEBHOOK_CHECK_NAMES, webhookChecks } from './webhook-checks.js';

export interface DoctorDeps {
  /** The environment as the bot would read it (process.env after .env was loaded). */
  env: Record<string, string | undefined>;
  /** Interface the webhook port is tried on; default all interfaces, as a server listening on a port. */
  webhookHost?: string;
  /** Deadline per Discord request (default 10 s); the Midjourney API uses MJ_TIMEOUT_MS. */
  discordTimeoutMs?: number;
}

const CONFIG_NAME = 'Configuration';
const DISCORD_CORE = ['DISCORD_TOKEN', 'DISCORD_API_URL'];
const MJ_VARS = ['MJ_API_URL', 'MJ_API_KEY', 'MJ_AUTH_HEADER', 'MJ_TIMEOUT_MS'];
const WEBHOOK_VARS = ['WEBHOOK_PORT', 'WEBHOOK_SECRET', 'WEBHOOK_PUBLIC_URL'];

/** The settings each check reads; a check whose setting is invalid is skipped, naming it. */
const NEEDS: Record<string, string[]> = {
  [DISCORD_CHECK_NAMES.token]: DISCORD_CORE,
  [DISCORD_CHECK_NAMES.server]: [...DISCORD_CORE, 'DISCORD_GUILD_ID'],
  [DISCORD_CHECK_NAMES.commands]: [...DISCORD_CORE, 'DISCORD_GUILD_ID'],
  [DISCORD_CHECK_NAMES.channel]: [...DISCORD_CORE, 'UPDATES_CHANNEL_ID'],
  [MJ_CHECK_NAMES.key]: MJ_VARS,
  [MJ_CHECK_NAMES.list]: MJ_VARS,
  Webhook: WEBHOOK_VARS,
  [WEBHOOK_CHECK_NAMES.port]: WEBHOOK_VARS,
  [WEBHOOK_CHECK_NAMES.url]: [...WEBHOOK_VARS, 'MJ_API_URL'],
  Database: ['DATABASE_PATH', 'DATABASE_URL'],
};

/** Stand-ins for required values, so the rest of the configuration can still be read. */
const PLACEHOLDERS: Record<string, string> = {
  DISCORD_TOKEN: 'doctor-placeholder-token',
  MJ_API_URL: 'http://placeholder.invalid',
  MJ_API_KEY: 'doctor-placeholder-key',
};

interface ConfigReading {
  config: Config | null;
  problems: ConfigProblem[];
}

/**
 * loadConfig, repeated with each invalid variable replaced (a default, or a placeholder when required):
 * loadConfig reports the webhook's all-or-nothing rule only once the rest parses, and the doctor
 * wants every problem in one run, plus a Config for the checks whose settings are fine.
 */
function readConfig(env: Record<string, string | undefined>): ConfigReading {
  const problems: ConfigProblem[] = [];
  const patched = { ...env };
  for (let round = 0; round < 4; round++) {
    try {
      return { config: loadConfig(patched), problems };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      const fresh = err.problems.filter((p) => !problems.some((q) => q.variable === p.variable));
      if (fresh.length === 0) break;
      problems.push(...fresh);
      const bad = new Set(fresh.map((p) => p.variable));
      if (WEBHOOK_VARS.some((v) => bad.has(v))) for (const v of WEBHOOK_VARS) bad.add(v);
      for (const variable of bad) patched[variable] = PLACEHOLDERS[variable];
    }
  }
  return { config: null, problems };
}

function configurationResults(problems: ConfigProblem[]): CheckResult[] {
  if (problems.length === 0) return [ok(CONFIG_NAME, 'all settings are valid')];
  return problems.map((p) => fail(CONFIG_NAME, `${p.variable} ${p.problem}`, p.fix));
}

function secretsOf(env: Record<string, string | undefined>, config: Config | null): string[] {
  const values = [
    env.DISCORD_TOKEN,
    env.MJ_API_KEY,
    env.WEBHOOK_SECRET,
    config?.discord.token,
    config?.mj.apiKey,
    config?.webhook?.secret,
    // DATABASE_URL's password among them.
    ...(config ? configSecrets(config) : []),
  ];
  const out = new Set<string>();
  for (const v of values) {
    if (!v) continue;
    out.add(v);
    out.add(v.trim());
  }
  return [...out].filter((v) => v.length > 0 && !Object.values(PLACEHOLDERS).includes(v));
}

const needsText = (vars: string[]) => `needs a valid ${vars.length > 0 ? vars.join(', ') : 'configuration'}`;

export async function runDoctor(deps: DoctorDeps): Promise<DoctorReport> {
  const { config, problems } = readConfig(deps.env);
  const invalid = new Set(problems.map((p) => p.variable));
  const secrets = secretsOf(deps.env, config);
  const badOf = (vars: string[]) => vars.filter((v) => invalid.has(v));
  const clean = (vars: string[]) => badOf(vars).length === 0;
  const skipped = (names: string[], vars: string[]) => names.map((name) => skip(name, needsText(badOf(vars))));

  const [discord, mj] = await Promise.all([
    config && clean(DISCORD_CORE)
      ? discordChecks(config, { timeoutMs: deps.discordTimeoutMs ?? 10_000 })
      : Promise.resolve(skipped(Object.values(DISCORD_CHECK_NAMES), DISCORD_CORE)),
    config && clean(MJ_VARS) ? mjChecks(config) : Promise.resolve(skipped(Object.values(MJ_CHECK_NAMES), MJ_VARS)),
  ]);
  const webhook =
    config && clean(WEBHOOK_VARS)
      ? await webhookChecks(config.webhook, config.mj.baseUrl, deps.webhookHost)
      : skipped(['Webhook'], WEBHOOK_VARS);
  const databaseVars = ['DATABASE_PATH', 'DATABASE_URL'];
  const database =
    config && clean(databaseVars)
      ? config.databaseUrl !== null
        ? await checkPostgres(config.databaseUrl)
        : checkDatabase(config.databasePath)
      : skip('Database', needsText(badOf(databaseVars)));

  const checks = [...configurationResults(problems), ...discord, ...mj, ...webhook, database].map((result) => {
    // A check that ran on a substitute for an invalid optional setting is reported as skipped.
    const bad = badOf(NEEDS[result.name] ?? []);
    return bad.length > 0 ? skip(result.name, needsText(bad)) : result;
  });
  return { checks, ok: !checks.some((c) => c.status === 'fail'), secrets };
}
