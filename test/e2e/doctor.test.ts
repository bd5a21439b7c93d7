// `npm run doctor` against the local Discord and Midjourney stand-ins: runDoctor in process on a
// working setup and for each way the API key, the API, the webhook, the database and the configuration
// go wrong, and the real CLI as a child process for exit codes and printed lines. The Discord-side
// checks are in doctor-discord.test.ts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctor, expectNoSecrets, freePort, useDoctorFixture, WEBHOOK_SECRET } from '../support/doctor.js';

const ROOT = join(import.meta.dirname, '../..');
const fx = useDoctorFixture();

describe('runDoctor', () => {
  it('reports every check green on a working setup, and leaves nothing behind', async () => {
    const port = await freePort();
    const run = await doctor(
      fx.envFor(fx.discord, fx.mj, {
        WEBHOOK_PORT: String(port),
        WEBHOOK_SECRET,
        WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${port}`,
      }),
    );
    expect(run.statuses()).toEqual({
      Configuration: 'ok',
      'Discord token': 'ok',
      'Discord server': 'ok',
      'Slash commands': 'ok',
      'Updates channel': 'ok',
      'Midjourney API key': 'ok',
      'Batched task reads': 'ok',
      'Midjourney server': 'ok',
      'Webhook port': 'ok',
      'Webhook public URL': 'ok',
      Database: 'ok',
    });
    expect(run.report.ok).toBe(true);
    expect(run.check('Slash commands').detail).toContain('/mjtask, /imagine');
    expect(run.check('Updates channel').detail).toContain('#mj-updates');
    expect(run.check('Webhook public URL').detail).toContain(`http://127.0.0.1:${port}/notify/…`);
    expect(run.lines.at(-1)).toMatch(/11 ok, 0 warnings, 0 failed, 0 skipped: the bot is ready to start/);
    expect(run.lines[1]).toMatch(/^✔ Discord token — accepted: logged in as mjtask-bot/);
    // The key check's made-up task id was read with the configured header only (the server probes also
    // ask without credentials, on their own id).
    const keyChecks = fx.mj.requests.filter((r) => r.route === 'fetch' && r.path.includes('1000000000000000'));
    expect(keyChecks.length).toBeGreaterThan(0);
    expect(keyChecks.every((r) => r.headers['mj-api-secret'] === fx.mj.apiKey)).toBe(true);
    expect(existsSync(join(fx.dir, 'data'))).toBe(false);
    expect(fx.discord.serverErrors).toEqual([]);
  });

  it('says the Midjourney API key is rejected', async () => {
    const run = await doctor(fx.envFor(fx.discord, fx.mj, { MJ_API_KEY: 'sk-wrong-key-0123456789' }));
    expect(run.check('Midjourney API key')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('the key is rejected by 127.0.0.1'),
    });
    expect(run.check('Midjourney API key').fix).toContain('MJ_API_KEY');
    expect(run.check('Batched task reads').status).toBe('skip');
  });

  it.each([
    { server: 'bearer', configured: 'mj-api-secret' },
    { server: 'mj-api-secret', configured: 'bearer' },
  ] as const)('says MJ_AUTH_HEADER should be $server when only that style works', async ({ server, configured }) => {
    const api = await fx.mjStandIn({ authStyle: server, flavor: server === 'bearer' ? 'aggregator' : 'proxy' });
    const run = await doctor(fx.envFor(fx.discord, api, { MJ_AUTH_HEADER: configured }));
    const key = run.check('Midjourney API key');
    expect(key).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`MJ_AUTH_HEADER should be ${server}`),
      fix: `set MJ_AUTH_HEADER=${server} in .env`,
    });
    // The batch check goes on with the style that works.
    expect(run.check('Batched task reads').status).toBe('ok');
  });

  it('says the Midjourney API cannot be reached, with its host', async () => {
    const port = await freePort();
    const run = await doctor(fx.envFor(fx.discord, fx.mj, { MJ_API_URL: `http://127.0.0.1:${port}` }));
    expect(run.check('Midjourney API key')).toMatchObject({
      status: 'fail',
      detail: `the API cannot be reached (127.0.0.1:${port}): Could not reach the Midjourney API (ECONNREFUSED)`,
    });
  });

  it('says the Midjourney API answers with an error page (HTML 502) or too slowly', async () => {
    const api = await fx.mjStandIn();
    api.fault('fetch', { kind: 'html', status: 502 });
    const run = await doctor(fx.envFor(fx.discord, api));
    const key = run.check('Midjourney API key');
    expect(key.status).toBe('fail');
    expect(key.detail).toMatch(/^the API answered with an error \(127\.0\.0\.1:\d+\): .*HTML page \(HTTP 502\)/);

    api.clearFaults();
    api.fault('fetch', { kind: 'slow', delayMs: 1500 });
    const slow = await doctor(fx.envFor(fx.discord, api, { MJ_TIMEOUT_MS: '200' }));
    expect(slow.check('Midjourney API key')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^the API did not answer in time .*200 ms/),
    });
  });

  it('warns when the API has no list-by-condition (one request per task)', async () => {
    const api = await fx.mjStandIn({ listByCondition: false });
    const run = await doctor(fx.envFor(fx.discord, api));
    expect(run.check('Midjourney API key').status).toBe('ok');
    expect(run.check('Batched task reads')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('the bot will poll each task separately (slower, more requests)'),
    });
    expect(run.report.ok).toBe(true);
  });

  it('fails when the webhook port is in use, and says a running bot explains it', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    fx.afterThisTest(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const port = (busy.address() as { port: number }).port;
    const run = await doctor(
      fx.envFor(fx.discord, fx.mj, {
        WEBHOOK_PORT: String(port),
        WEBHOOK_SECRET,
        WEBHOOK_PUBLIC_URL: 'https://bot.example.com',
      }),
    );
    const check = run.check('Webhook port');
    expect(check).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`port ${port} is in use — another program or a running bot`),
    });
    expect(check.detail).toContain('if the bot is running right now, this is expected');
  });

  it('fails on a database path whose folder is a file, a folder as the file, or a file that is not SQLite', async () => {
    writeFileSync(join(fx.dir, 'occupied'), 'not a folder');
    const underFile = await doctor(
      fx.envFor(fx.discord, fx.mj, { DATABASE_PATH: join(fx.dir, 'occupied', 'bot.sqlite') }),
    );
    expect(underFile.check('Database')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining(`${join(fx.dir, 'occupied')} is a file`),
    });

    mkdirSync(join(fx.dir, 'folder.sqlite'));
    const folder = await doctor(fx.envFor(fx.discord, fx.mj, { DATABASE_PATH: join(fx.dir, 'folder.sqlite') }));
    expect(folder.check('Database')).toMatchObject({
      status: 'fail',
      detail: `${join(fx.dir, 'folder.sqlite')} is a folder, not a database file`,
    });

    writeFileSync(join(fx.dir, 'junk.sqlite'), 'x'.repeat(4096));
    const junk = await doctor(fx.envFor(fx.discord, fx.mj, { DATABASE_PATH: join(fx.dir, 'junk.sqlite') }));
    expect(junk.check('Database')).toMatchObject({
      status: 'fail',
      detail: `cannot write ${join(fx.dir, 'junk.sqlite')} (SQLITE_NOTADB)`,
    });
  });

  it('says a PostgreSQL server (DATABASE_URL) cannot be reached, naming it without its password', async () => {
    const port = await freePort();
    const run = await doctor(
      fx.envFor(fx.discord, fx.mj, { DATABASE_URL: `postgres://mjtask:pg-secret-password@127.0.0.1:${port}/mjtask` }),
    );
    expect(run.check('Database')).toMatchObject({
      status: 'fail',
      detail: `PostgreSQL at 127.0.0.1:${port}/mjtask cannot be reached (ECONNREFUSED)`,
      fix: expect.stringContaining('DATABASE_URL'),
    });
    expect(run.lines.join('\n')).not.toContain('pg-secret-password');
  });

  it('lists every configuration problem and skips only the checks that need those settings', async () => {
    const run = await doctor(
      fx.envFor(fx.discord, fx.mj, {
        DISCORD_TOKEN: undefined,
        MJ_API_KEY: '',
        MJ_AUTH_HEADER: 'basic',
        WEBHOOK_PORT: '8787',
      }),
    );
    const config = run.report.checks.filter((c) => c.name === 'Configuration');
    expect(config.map((c) => c.detail)).toEqual(
      expect.arrayContaining([
        'DISCORD_TOKEN is missing',
        'MJ_API_KEY is missing',
        expect.stringMatching(/^MJ_AUTH_HEADER must be "bearer" or "mj-api-secret"/),
        // Reported by loadConfig only once the rest parses; the doctor lists it in the same run.
        'WEBHOOK_SECRET is missing (the webhook needs all three WEBHOOK_ variables)',
        'WEBHOOK_PUBLIC_URL is missing (the webhook needs all three WEBHOOK_ variables)',
      ]),
    );
    expect(config.every((c) => c.status === 'fail' && (c.fix ?? '').length > 0)).toBe(true);
    expect(run.check('Discord token')).toMatchObject({ status: 'skip', detail: 'needs a valid DISCORD_TOKEN' });
    expect(run.check('Midjourney API key')).toMatchObject({
      status: 'skip',
      detail: 'needs a valid MJ_API_KEY, MJ_AUTH_HEADER',
    });
    expect(run.check('Webhook')).toMatchObject({
      status: 'skip',
      detail: 'needs a valid WEBHOOK_SECRET, WEBHOOK_PUBLIC_URL',
    });
    expect(run.check('Database').status).toBe('ok');
    expect(run.lines.filter((l) => l.startsWith('✖ Configuration — '))).toHaveLength(config.length);

    const partial = await doctor(fx.envFor(fx.discord, fx.mj, { DISCORD_GUILD_ID: 'not-an-id' }));
    expect(partial.check('Configuration')).toMatchObject({
      status: 'fail',
      detail: 'DISCORD_GUILD_ID must be a Discord ID (17–20 digits)',
    });
    expect(partial.check('Discord token').status).toBe('ok');
    expect(partial.check('Discord server')).toMatchObject({ status: 'skip', detail: 'needs a valid DISCORD_GUILD_ID' });
  });
});

describe('runDoctor names the Midjourney server', () => {
  it.each([
    ['nzk', 'novicezk/midjourney-proxy (nzk)'],
    ['fork', 'trueai-org/midjourney-proxy (fork)'],
    ['plus', 'midjourney-proxy-plus (plus)'],
    ['newapi', 'new-api (newapi)'],
  ] as const)('%s, with the evidence', async (dialect, name) => {
    const api = await fx.mjStandIn({ dialect });
    const run = await doctor(fx.envFor(fx.discord, api, { MJ_AUTH_HEADER: 'mj-api-secret' }));
    const check = run.check('Midjourney server');
    expect(check.status).toBe('ok');
    expect(check.detail).toContain(`is ${name}, detected because GET /mj/task/0000000000000000/fetch`);
  });

  it('warns when MJ_API_DIALECT names another server than the probes find', async () => {
    const api = await fx.mjStandIn({ dialect: 'fork' });
    const run = await doctor(fx.envFor(fx.discord, api, { MJ_AUTH_HEADER: 'mj-api-secret', MJ_API_DIALECT: 'nzk' }));
    expect(run.check('Midjourney server')).toMatchObject({
      status: 'warn',
      fix: 'set MJ_API_DIALECT=fork (or auto) in .env',
    });
  });
});

describe('the doctor CLI', () => {
  /** Runs src/doctor/main.ts with tsx in `cwd` (where it reads .env) with only `env` set. */
  function cli(
    env: Record<string, string | undefined>,
    cwd: string,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const clean = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
      const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/doctor/main.ts')], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...clean },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('exits 0 with one ✔ line per check when everything works, reading secrets from .env', async () => {
    const env = fx.envFor(fx.discord, fx.mj);
    // Secrets from .env, the rest from the environment: both are read, as by the bot.
    writeFileSync(join(fx.dir, '.env'), `DISCORD_TOKEN=${env.DISCORD_TOKEN}\nMJ_API_KEY=${env.MJ_API_KEY}\n`);
    const result = await cli({ ...env, DISCORD_TOKEN: undefined, MJ_API_KEY: undefined }, fx.dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('✔ '))).toHaveLength(9);
    expect(lines).toContain('– Webhook — not configured: the bot polls the Midjourney API for progress');
    expect(lines.at(-1)).toBe('9 ok, 0 warnings, 0 failed, 1 skipped: the bot is ready to start.');
    expectNoSecrets(result.stdout, env);
  });

  it('exits 1 and prints the fix when a check fails, without a secret', async () => {
    const api = await fx.mjStandIn({ authStyle: 'bearer' });
    const env = fx.envFor(fx.discord, api, { MJ_API_KEY: `sk-doctor-wrong-${randomBytes(8).toString('hex')}` });
    const result = await cli(env, fx.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^✖ Midjourney API key — the key is rejected by 127\.0\.0\.1:\d+ \(with either header style\) → check MJ_API_KEY/m,
    );
    expect(result.stdout).toMatch(/^✔ Discord token — /m);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/1 failed.*fix the ✖ lines/);
    expectNoSecrets(result.stdout + result.stderr, env);
  });
});
