// `npm run doctor` against the local Discord and Midjourney stand-ins: runDoctor in process for each
// way a setup goes wrong, and the real CLI as a child process for exit codes and printed lines.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../src/discord/commands/definitions.js';
import { runDoctor } from '../../src/doctor/checks.js';
import { formatReport } from '../../src/doctor/format.js';
import { inviteUrl } from '../../src/doctor/permissions.js';
import type { CheckResult, DoctorReport } from '../../src/doctor/types.js';
import { createDiscordStandIn, Permission, type DiscordStandIn, type JsonObject } from '../support/discord/index.js';
import { createMjStandIn, type MjStandIn, type MjStandInOptions } from '../support/mj/index.js';

const ROOT = join(import.meta.dirname, '../..');
const WEBHOOK_SECRET = `whsec_${randomBytes(12).toString('hex')}`;
const COMMANDS = commandDefinitions as unknown as JsonObject[];

let discord: DiscordStandIn;
let mj: MjStandIn;
let dir: string;
const cleanups: Array<() => Promise<void> | void> = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function discordStandIn(options?: Parameters<typeof createDiscordStandIn>[0]): Promise<DiscordStandIn> {
  const standIn = await createDiscordStandIn(options);
  cleanups.push(() => standIn.close());
  return standIn;
}

async function mjStandIn(options: MjStandInOptions = {}): Promise<MjStandIn> {
  const standIn = await createMjStandIn({ apiKey: `sk-doctor-${randomBytes(12).toString('hex')}`, ...options });
  cleanups.push(() => standIn.close());
  return standIn;
}

/** A complete, working setup; `extra` overrides (undefined removes a variable). */
function envFor(d: DiscordStandIn, m: MjStandIn, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    DISCORD_TOKEN: d.token,
    DISCORD_API_URL: d.apiBase,
    DISCORD_GUILD_ID: d.defaults.guildId,
    UPDATES_CHANNEL_ID: d.defaults.otherChannelId,
    MJ_API_URL: m.baseUrl,
    MJ_API_KEY: m.apiKey,
    MJ_AUTH_HEADER: 'mj-api-secret',
    MJ_TIMEOUT_MS: '1000',
    DATABASE_PATH: join(dir, 'data', 'bot.sqlite'),
    ...extra,
  };
}

interface Run {
  report: DoctorReport;
  lines: string[];
  check(name: string): CheckResult;
  statuses(): Record<string, string>;
}

/** Runs the doctor and asserts that no secret reached any result or printed line. */
async function doctor(env: Record<string, string | undefined>): Promise<Run> {
  const report = await runDoctor({ env, webhookHost: '127.0.0.1', discordTimeoutMs: 2000 });
  const lines = formatReport(report);
  expectNoSecrets(JSON.stringify(report.checks) + lines.join('\n'), env);
  return {
    report,
    lines,
    check: (name) => {
      const found = report.checks.find((c) => c.name === name);
      expect(found, `check "${name}" in ${JSON.stringify(report.checks.map((c) => c.name))}`).toBeDefined();
      return found!;
    },
    statuses: () => Object.fromEntries(report.checks.map((c) => [c.name, c.status])),
  };
}

function expectNoSecrets(text: string, env: Record<string, string | undefined>): void {
  for (const name of ['DISCORD_TOKEN', 'MJ_API_KEY', 'WEBHOOK_SECRET']) {
    const value = env[name];
    if (value && value.length >= 6) expect(text, `${name} must never be printed`).not.toContain(value);
  }
}

beforeAll(async () => {
  discord = await createDiscordStandIn();
  discord.registerCommands(COMMANDS, discord.defaults.guildId);
  mj = await createMjStandIn({ authStyle: 'both', apiKey: `sk-doctor-${randomBytes(12).toString('hex')}` });
});
afterAll(async () => {
  await discord?.close();
  await mj?.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjtask-doctor-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('runDoctor', () => {
  it('reports every check green on a working setup, and leaves nothing behind', async () => {
    const port = await freePort();
    const run = await doctor(
      envFor(discord, mj, { WEBHOOK_PORT: String(port), WEBHOOK_SECRET, WEBHOOK_PUBLIC_URL: `http://127.0.0.1:${port}` }),
    );
    expect(run.statuses()).toEqual({
      Configuration: 'ok',
      'Discord token': 'ok',
      'Discord server': 'ok',
      'Slash commands': 'ok',
      'Updates channel': 'ok',
      'Midjourney API key': 'ok',
      'Batched task reads': 'ok',
      'Webhook port': 'ok',
      'Webhook public URL': 'ok',
      Database: 'ok',
    });
    expect(run.report.ok).toBe(true);
    expect(run.check('Slash commands').detail).toContain('/mjtask, /imagine');
    expect(run.check('Updates channel').detail).toContain('#mj-updates');
    expect(run.check('Webhook public URL').detail).toContain(`http://127.0.0.1:${port}/notify/…`);
    expect(run.lines.at(-1)).toMatch(/10 ok, 0 warnings, 0 failed, 0 skipped: the bot is ready to start/);
    expect(run.lines[1]).toMatch(/^✔ Discord token — accepted: logged in as mjtask-bot/);
    // The made-up task id was read with the configured header only.
    expect(mj.requests.filter((r) => r.route === 'fetch').every((r) => r.headers['mj-api-secret'] === mj.apiKey)).toBe(true);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(discord.serverErrors).toEqual([]);
  });

  it('says Discord rejected the token, and skips what needs it', async () => {
    const run = await doctor(envFor(discord, mj, { DISCORD_TOKEN: `${discord.token.slice(0, -4)}AAAA` }));
    const token = run.check('Discord token');
    expect(token).toMatchObject({ status: 'fail', detail: expect.stringContaining('Discord rejected DISCORD_TOKEN') });
    expect(token.fix).toContain('reset it in the Developer Portal');
    expect(run.check('Discord server')).toMatchObject({ status: 'skip', detail: 'needs a working Discord token' });
    expect(run.check('Updates channel').status).toBe('skip');
    expect(run.check('Midjourney API key').status).toBe('ok');
    expect(run.report.ok).toBe(false);
    expect(run.lines.some((l) => l.startsWith('✖ Discord token — Discord rejected DISCORD_TOKEN (HTTP 401) → reset it'))).toBe(true);
  });

  it('says when Discord cannot be reached', async () => {
    const port = await freePort();
    const run = await doctor(envFor(discord, mj, { DISCORD_API_URL: `http://127.0.0.1:${port}/api` }));
    expect(run.check('Discord token')).toMatchObject({ status: 'fail', detail: `cannot reach Discord at 127.0.0.1:${port} (ECONNREFUSED)` });
  });

  it('warns when the slash commands are not registered, and reads global ones without a server', async () => {
    const fresh = await discordStandIn();
    const run = await doctor(envFor(fresh, mj, { UPDATES_CHANNEL_ID: undefined }));
    const commands = run.check('Slash commands');
    expect(commands).toMatchObject({ status: 'warn', fix: 'start the bot once or run npm run deploy-commands' });
    expect(commands.detail).toContain('/mjtask, /imagine');
    expect(run.check('Updates channel').status).toBe('skip');
    expect(run.report.ok).toBe(true);
    expect(run.lines).toContain(`⚠ Slash commands — ${commands.detail} → start the bot once or run npm run deploy-commands`);

    fresh.registerCommands(COMMANDS);
    const global = await doctor(envFor(fresh, mj, { DISCORD_GUILD_ID: undefined, UPDATES_CHANNEL_ID: undefined }));
    expect(global.check('Slash commands')).toMatchObject({ status: 'ok', detail: expect.stringContaining('registered globally') });
    expect(global.check('Discord server')).toMatchObject({ status: 'skip', detail: expect.stringContaining(inviteUrl(fresh.applicationId, null)) });
  });

  it('gives the invite link when the bot is not in the server (or the id is wrong)', async () => {
    const wrongGuild = '1180000000000009999';
    const run = await doctor(envFor(discord, mj, { DISCORD_GUILD_ID: wrongGuild }));
    const server = run.check('Discord server');
    expect(server).toMatchObject({ status: 'fail', detail: expect.stringContaining(`not in server ${wrongGuild}`) });
    const link = new URL(/https:\/\/discord\.com\/oauth2\/authorize\S+/.exec(server.fix ?? '')![0]);
    expect(Object.fromEntries(link.searchParams)).toEqual({
      client_id: discord.applicationId,
      scope: 'bot applications.commands',
      permissions: '117760',
      guild_id: wrongGuild,
      disable_guild_select: 'true',
    });
    expect(run.check('Slash commands')).toMatchObject({ status: 'skip' });
  });

  it('names each permission the bot lacks in the updates channel', async () => {
    const channelId = discord.defaults.otherChannelId;
    discord.revokeAccess(channelId, 'send');
    discord.revokeAccess(channelId, 'attach');
    try {
      const run = await doctor(envFor(discord, mj));
      expect(run.check('Updates channel')).toMatchObject({
        status: 'fail',
        detail: `the bot lacks Send Messages, Attach Files in #mj-updates (${channelId})`,
        fix: expect.stringContaining('allow Send Messages, Attach Files'),
      });
      discord.revokeAccess(channelId, 'view');
      const hidden = await doctor(envFor(discord, mj));
      expect(hidden.check('Updates channel')).toMatchObject({ status: 'fail', detail: `the bot cannot see channel ${channelId}` });
    } finally {
      discord.restoreAccess(channelId);
    }
    const unknown = await doctor(envFor(discord, mj, { UPDATES_CHANNEL_ID: '1180000000000009998' }));
    expect(unknown.check('Updates channel')).toMatchObject({ status: 'fail', detail: 'the bot cannot see channel 1180000000000009998: no such channel' });
  });

  it('applies role overwrites: @everyone denied, the bot role allowed but without Embed Links', async () => {
    const guildId = '1190000000000000100';
    const botRole = '1190000000000000401';
    const locked = '1190000000000000200';
    const world = await discordStandIn({
      guilds: [
        {
          id: guildId,
          channels: [
            {
              id: locked,
              name: 'locked',
              permission_overwrites: [
                { id: guildId, type: 0, deny: Permission.ViewChannel | Permission.SendMessages },
                { id: botRole, type: 0, allow: Permission.ViewChannel | Permission.SendMessages, deny: Permission.EmbedLinks },
              ],
            },
          ],
          roles: [{ id: botRole, name: 'mjtask-bot', permissions: Permission.ViewChannel | Permission.EmbedLinks | Permission.AttachFiles | Permission.ReadMessageHistory, managed: true }],
        },
      ],
    });
    world.registerCommands(COMMANDS, guildId);
    const run = await doctor(envFor(world, mj, { UPDATES_CHANNEL_ID: locked }));
    expect(run.check('Updates channel')).toMatchObject({ status: 'fail', detail: `the bot lacks Embed Links in #locked (${locked})` });
  });

  it('says the Midjourney API key is rejected', async () => {
    const run = await doctor(envFor(discord, mj, { MJ_API_KEY: 'sk-wrong-key-0123456789' }));
    expect(run.check('Midjourney API key')).toMatchObject({ status: 'fail', detail: expect.stringContaining('the key is rejected by 127.0.0.1') });
    expect(run.check('Midjourney API key').fix).toContain('MJ_API_KEY');
    expect(run.check('Batched task reads').status).toBe('skip');
  });

  it.each([
    { server: 'bearer', configured: 'mj-api-secret' },
    { server: 'mj-api-secret', configured: 'bearer' },
  ] as const)('says MJ_AUTH_HEADER should be $server when only that style works', async ({ server, configured }) => {
    const api = await mjStandIn({ authStyle: server, flavor: server === 'bearer' ? 'aggregator' : 'proxy' });
    const run = await doctor(envFor(discord, api, { MJ_AUTH_HEADER: configured }));
    const key = run.check('Midjourney API key');
    expect(key).toMatchObject({ status: 'fail', detail: expect.stringContaining(`MJ_AUTH_HEADER should be ${server}`), fix: `set MJ_AUTH_HEADER=${server} in .env` });
    // The batch check goes on with the style that works.
    expect(run.check('Batched task reads').status).toBe('ok');
  });

  it('says the Midjourney API cannot be reached, with its host', async () => {
    const port = await freePort();
    const run = await doctor(envFor(discord, mj, { MJ_API_URL: `http://127.0.0.1:${port}` }));
    expect(run.check('Midjourney API key')).toMatchObject({
      status: 'fail',
      detail: `the API cannot be reached (127.0.0.1:${port}): Could not reach the Midjourney API (ECONNREFUSED)`,
    });
  });

  it('says the Midjourney API answers with an error page (HTML 502) or too slowly', async () => {
    const api = await mjStandIn();
    api.fault('fetch', { kind: 'html', status: 502 });
    const run = await doctor(envFor(discord, api));
    const key = run.check('Midjourney API key');
    expect(key.status).toBe('fail');
    expect(key.detail).toMatch(/^the API answered with an error \(127\.0\.0\.1:\d+\): .*HTML page \(HTTP 502\)/);

    api.clearFaults();
    api.fault('fetch', { kind: 'slow', delayMs: 1500 });
    const slow = await doctor(envFor(discord, api, { MJ_TIMEOUT_MS: '200' }));
    expect(slow.check('Midjourney API key')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^the API did not answer in time .*200 ms/) });
  });

  it('warns when the API has no list-by-condition (one request per task)', async () => {
    const api = await mjStandIn({ listByCondition: false });
    const run = await doctor(envFor(discord, api));
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
    cleanups.push(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const port = (busy.address() as { port: number }).port;
    const run = await doctor(envFor(discord, mj, { WEBHOOK_PORT: String(port), WEBHOOK_SECRET, WEBHOOK_PUBLIC_URL: 'https://bot.example.com' }));
    const check = run.check('Webhook port');
    expect(check).toMatchObject({ status: 'fail', detail: expect.stringContaining(`port ${port} is in use — another program or a running bot`) });
    expect(check.detail).toContain('if the bot is running right now, this is expected');
  });

  it('fails on a database path whose folder is a file, a folder as the file, or a file that is not SQLite', async () => {
    writeFileSync(join(dir, 'occupied'), 'not a folder');
    const underFile = await doctor(envFor(discord, mj, { DATABASE_PATH: join(dir, 'occupied', 'bot.sqlite') }));
    expect(underFile.check('Database')).toMatchObject({ status: 'fail', detail: expect.stringContaining(`${join(dir, 'occupied')} is a file`) });

    mkdirSync(join(dir, 'folder.sqlite'));
    const folder = await doctor(envFor(discord, mj, { DATABASE_PATH: join(dir, 'folder.sqlite') }));
    expect(folder.check('Database')).toMatchObject({ status: 'fail', detail: `${join(dir, 'folder.sqlite')} is a folder, not a database file` });

    writeFileSync(join(dir, 'junk.sqlite'), 'x'.repeat(4096));
    const junk = await doctor(envFor(discord, mj, { DATABASE_PATH: join(dir, 'junk.sqlite') }));
    expect(junk.check('Database')).toMatchObject({ status: 'fail', detail: `cannot write ${join(dir, 'junk.sqlite')} (SQLITE_NOTADB)` });
  });

  it('lists every configuration problem and skips only the checks that need those settings', async () => {
    const run = await doctor(envFor(discord, mj, { DISCORD_TOKEN: undefined, MJ_API_KEY: '', MJ_AUTH_HEADER: 'basic', WEBHOOK_PORT: '8787' }));
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
    expect(run.check('Midjourney API key')).toMatchObject({ status: 'skip', detail: 'needs a valid MJ_API_KEY, MJ_AUTH_HEADER' });
    expect(run.check('Webhook')).toMatchObject({ status: 'skip', detail: 'needs a valid WEBHOOK_SECRET, WEBHOOK_PUBLIC_URL' });
    expect(run.check('Database').status).toBe('ok');
    expect(run.lines.filter((l) => l.startsWith('✖ Configuration — '))).toHaveLength(config.length);

    const partial = await doctor(envFor(discord, mj, { DISCORD_GUILD_ID: 'not-an-id' }));
    expect(partial.check('Configuration')).toMatchObject({ status: 'fail', detail: 'DISCORD_GUILD_ID must be a Discord ID (17–20 digits)' });
    expect(partial.check('Discord token').status).toBe('ok');
    expect(partial.check('Discord server')).toMatchObject({ status: 'skip', detail: 'needs a valid DISCORD_GUILD_ID' });
  });
});

describe('the doctor CLI', () => {
  /** Runs src/doctor/main.ts with tsx in `cwd` (where it reads .env) with only `env` set. */
  function cli(env: Record<string, string | undefined>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
    const env = envFor(discord, mj);
    // Secrets from .env, the rest from the environment: both are read, as by the bot.
    writeFileSync(join(dir, '.env'), `DISCORD_TOKEN=${env.DISCORD_TOKEN}\nMJ_API_KEY=${env.MJ_API_KEY}\n`);
    const result = await cli({ ...env, DISCORD_TOKEN: undefined, MJ_API_KEY: undefined }, dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('✔ '))).toHaveLength(8);
    expect(lines).toContain('– Webhook — not configured: the bot polls the Midjourney API for progress');
    expect(lines.at(-1)).toBe('8 ok, 0 warnings, 0 failed, 1 skipped: the bot is ready to start.');
    expectNoSecrets(result.stdout, env);
  });

  it('exits 1 and prints the fix when a check fails, without a secret', async () => {
    const api = await mjStandIn({ authStyle: 'bearer' });
    const env = envFor(discord, api, { MJ_API_KEY: `sk-doctor-wrong-${randomBytes(8).toString('hex')}` });
    const result = await cli(env, dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✖ Midjourney API key — the key is rejected by 127\.0\.0\.1:\d+ \(with either header style\) → check MJ_API_KEY/m);
    expect(result.stdout).toMatch(/^✔ Discord token — /m);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/1 failed.*fix the ✖ lines/);
    expectNoSecrets(result.stdout + result.stderr, env);
  });
});
