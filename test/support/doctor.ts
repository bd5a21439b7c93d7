// Shared setup of the doctor e2e files (test/e2e/doctor*.test.ts): a working Discord and Midjourney
// stand-in per file, a fresh folder per test, and runDoctor with a check that no secret is printed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { commandDefinitions } from '../../src/discord/commands/definitions.js';
import { runDoctor } from '../../src/doctor/checks.js';
import { formatReport } from '../../src/doctor/format.js';
import type { CheckResult, DoctorReport } from '../../src/doctor/types.js';
import { createDiscordStandIn, type DiscordStandIn, type JsonObject } from './discord/index.js';
import { createMjStandIn, type MjStandIn, type MjStandInOptions } from './mj/index.js';

export const WEBHOOK_SECRET = `whsec_${randomBytes(12).toString('hex')}`;
export const COMMANDS = commandDefinitions as unknown as JsonObject[];

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export type Env = Record<string, string | undefined>;

export interface DoctorFixture {
  /** A Discord stand-in with the bot's commands registered in its server (one per file). */
  readonly discord: DiscordStandIn;
  /** A Midjourney stand-in accepting both header styles (one per file). */
  readonly mj: MjStandIn;
  /** A fresh folder for this test (databases, .env). */
  readonly dir: string;
  /** Another Discord stand-in, closed after the test. */
  discordStandIn(options?: Parameters<typeof createDiscordStandIn>[0]): Promise<DiscordStandIn>;
  /** Another Midjourney stand-in, closed after the test. */
  mjStandIn(options?: MjStandInOptions): Promise<MjStandIn>;
  /** Runs `fn` after this test (servers it opened, …). */
  afterThisTest(fn: () => Promise<void> | void): void;
  /** A complete, working setup; `extra` overrides (undefined removes a variable). */
  envFor(d: DiscordStandIn, m: MjStandIn, extra?: Env): Env;
}

/** Registers the file's hooks and returns the stand-ins they create (read them inside tests). */
export function useDoctorFixture(): DoctorFixture {
  let discord: DiscordStandIn | undefined;
  let mj: MjStandIn | undefined;
  let dir = '';
  const cleanups: Array<() => Promise<void> | void> = [];
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
  return {
    get discord() {
      return discord as DiscordStandIn;
    },
    get mj() {
      return mj as MjStandIn;
    },
    get dir() {
      return dir;
    },
    async discordStandIn(options) {
      const standIn = await createDiscordStandIn(options);
      cleanups.push(() => standIn.close());
      return standIn;
    },
    async mjStandIn(options = {}) {
      const standIn = await createMjStandIn({ apiKey: `sk-doctor-${randomBytes(12).toString('hex')}`, ...options });
      cleanups.push(() => standIn.close());
      return standIn;
    },
    afterThisTest(fn) {
      cleanups.push(fn);
    },
    envFor(d, m, extra = {}) {
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
    },
  };
}

export interface Run {
  report: DoctorReport;
  lines: string[];
  check(name: string): CheckResult;
  statuses(): Record<string, string>;
}

export function expectNoSecrets(text: string, env: Env): void {
  for (const name of ['DISCORD_TOKEN', 'MJ_API_KEY', 'WEBHOOK_SECRET']) {
    const value = env[name];
    if (value && value.length >= 6) expect(text, `${name} must never be printed`).not.toContain(value);
  }
}

/** Runs the doctor and asserts that no secret reached any result or printed line. */
export async function doctor(env: Env): Promise<Run> {
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
