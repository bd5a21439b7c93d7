import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from '../../src/config/schema.js';
import { ConfigError, configSecrets, loadConfig } from '../../src/config/load.js';

const TOKEN = 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg.Gabcde.test-token-not-real-0123456789abc';
const valid = { DISCORD_TOKEN: TOKEN, MJ_API_URL: 'https://mj.example.com/', MJ_API_KEY: 'sk-secret-key-123456' };

function problemsOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('accepts .env.example copied as it is, once the three required values are filled in, and documents every variable', () => {
    const example = parse(readFileSync(join(import.meta.dirname, '../../.env.example')));
    expect(Object.keys(example).sort()).toEqual(Object.keys(EnvSchema.shape).sort());
    const config = loadConfig({ ...example, ...valid });
    expect(config.webhook).toBeNull();
    expect(config.guards).toEqual({
      clickPolicy: 'requester',
      allowedRoleIds: [],
      clicksPerMinute: 6,
      maxRunningTasksPerMember: 3,
      doubleClickWindowMs: 60_000,
      bannedPromptLimit: 3,
      bannedPromptWindowMs: 86_400_000,
    });
    expect(config.allowedGuildIds).toEqual([]);
    expect(problemsOf(example).problems.map((p) => p.variable)).toEqual(['DISCORD_TOKEN', 'MJ_API_URL', 'MJ_API_KEY']);
  });

  it('reads DATABASE_URL (PostgreSQL), keeps its password among the secrets, and refuses another scheme', () => {
    expect(loadConfig(valid).databaseUrl).toBeNull();
    const config = loadConfig({
      ...valid,
      DATABASE_URL: 'postgres://mjtask:p%40ss-word-42@db.example.com:5432/mjtask',
    });
    expect(config.databaseUrl).toBe('postgres://mjtask:p%40ss-word-42@db.example.com:5432/mjtask');
    expect(configSecrets(config)).toContain('p@ss-word-42');
    expect(configSecrets(loadConfig({ ...valid, DATABASE_URL: 'postgresql://db/mjtask' }))).toHaveLength(2);
    expect(problemsOf({ ...valid, DATABASE_URL: 'mysql://db/mjtask' }).problems).toEqual([
      expect.objectContaining({ variable: 'DATABASE_URL' }),
    ]);
  });

  it('reads a minimal valid environment with defaults', () => {
    const config = loadConfig(valid);
    expect(config.discord).toEqual({
      token: TOKEN,
      apiUrl: 'https://discord.com/api',
      guildId: null,
      shards: 'auto',
      maxRequestsPerSecond: 45,
      progressThroughInteraction: true,
      interactionRequestsPerSecond: 200,
    });
    expect(config.mj).toEqual({
      baseUrl: 'https://mj.example.com',
      apiKey: 'sk-secret-key-123456',
      authHeader: 'bearer',
      timeoutMs: 15_000,
      answerBudgetMs: 2_000,
      dialect: 'auto',
      maxRequestsPerSecond: 10,
    });
    expect(config.logLevel).toBe('info');
  });

  it('reads every optional variable', () => {
    const config = loadConfig({
      ...valid,
      DISCORD_API_URL: 'http://127.0.0.1:3000/api/',
      DISCORD_GUILD_ID: '123456789012345678',
      MJ_AUTH_HEADER: 'MJ-API-SECRET',
      MJ_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'debug',
    });
    expect(config.discord.apiUrl).toBe('http://127.0.0.1:3000/api');
    expect(config.discord.guildId).toBe('123456789012345678');
    expect(config.mj.authHeader).toBe('mj-api-secret');
    expect(config.mj.timeoutMs).toBe(5000);
    expect(config.logLevel).toBe('debug');
  });

  it('reads the poll intervals (queued 2.5 s, running 3 s, finishing 0.5 s by default), and refuses one under 20 ms', () => {
    expect(loadConfig(valid).tracker).toMatchObject({ pollFastMs: 3_000, pollSlowMs: 2_500, pollFinishingMs: 500 });
    const config = loadConfig({ ...valid, POLL_FAST_MS: '2000', POLL_SLOW_MS: '4000', POLL_FINISHING_MS: '250' });
    expect(config.tracker).toMatchObject({ pollFastMs: 2_000, pollSlowMs: 4_000, pollFinishingMs: 250 });
    expect(problemsOf({ ...valid, POLL_FINISHING_MS: '10' }).problems).toEqual([
      expect.objectContaining({ variable: 'POLL_FINISHING_MS' }),
    ]);
  });

  it('reads ALLOWED_GUILD_IDS and the banned-prompt pause, and refuses an ID list that is not IDs', () => {
    const config = loadConfig({
      ...valid,
      ALLOWED_GUILD_IDS: '123456789012345678, 223456789012345678',
      BANNED_PROMPT_LIMIT: '5',
      BANNED_PROMPT_WINDOW_HOURS: '12',
    });
    expect(config.allowedGuildIds).toEqual(['123456789012345678', '223456789012345678']);
    expect(config.guards).toMatchObject({ bannedPromptLimit: 5, bannedPromptWindowMs: 12 * 3_600_000 });
    const problems = problemsOf({ ...valid, ALLOWED_GUILD_IDS: 'my-server' }).problems;
    expect(problems).toEqual([
      {
        variable: 'ALLOWED_GUILD_IDS',
        problem: 'must be server IDs (17–20 digits) separated by commas',
        fix: expect.stringContaining('leave it empty to work in every server'),
      },
    ]);
  });

  it('reads DISCORD_MAX_REQUESTS_PER_SECOND up to Discord global 50, and refuses more', () => {
    expect(loadConfig({ ...valid, DISCORD_MAX_REQUESTS_PER_SECOND: '30' }).discord.maxRequestsPerSecond).toBe(30);
    expect(problemsOf({ ...valid, DISCORD_MAX_REQUESTS_PER_SECOND: '51' }).problems).toEqual([
      {
        variable: 'DISCORD_MAX_REQUESTS_PER_SECOND',
        problem: "must be at most 50 (Discord's global limit)",
        fix: expect.stringContaining('from 1 to 50'),
      },
    ]);
  });

  it('reads INTERACTION_REQUESTS_PER_SECOND (200 by default, not held to the global 50), and refuses over 1000', () => {
    expect(loadConfig(valid).discord.interactionRequestsPerSecond).toBe(200);
    expect(loadConfig({ ...valid, INTERACTION_REQUESTS_PER_SECOND: '120' }).discord.interactionRequestsPerSecond).toBe(
      120,
    );
    expect(problemsOf({ ...valid, INTERACTION_REQUESTS_PER_SECOND: '1001' }).problems).toEqual([
      { variable: 'INTERACTION_REQUESTS_PER_SECOND', problem: 'must be at most 1000', fix: expect.any(String) },
    ]);
  });

  it('reads PROGRESS_THROUGH_INTERACTION (on by default), and refuses what is not true or false', () => {
    expect(loadConfig(valid).discord.progressThroughInteraction).toBe(true);
    expect(loadConfig({ ...valid, PROGRESS_THROUGH_INTERACTION: 'False' }).discord.progressThroughInteraction).toBe(
      false,
    );
    expect(problemsOf({ ...valid, PROGRESS_THROUGH_INTERACTION: 'no' }).problems).toEqual([
      {
        variable: 'PROGRESS_THROUGH_INTERACTION',
        problem: 'must be true or false',
        fix: expect.stringContaining('true'),
      },
    ]);
  });

  it('treats empty optional variables as unset', () => {
    const config = loadConfig({ ...valid, DISCORD_API_URL: '', DISCORD_GUILD_ID: '  ', MJ_AUTH_HEADER: '' });
    expect(config.discord.apiUrl).toBe('https://discord.com/api');
    expect(config.discord.guildId).toBeNull();
    expect(config.mj.authHeader).toBe('bearer');
  });

  it('names every missing required variable in one message, each with its fix', () => {
    const err = problemsOf({});
    expect(err.problems.map((p) => p.variable)).toEqual(['DISCORD_TOKEN', 'MJ_API_URL', 'MJ_API_KEY']);
    for (const p of err.problems) {
      expect(p.problem).toBe('is missing');
      expect(err.message).toContain(`${p.variable} is missing: ${p.fix}`);
    }
    expect(err.message).toMatch(/^The bot cannot start: 3 settings need fixing/);
    expect(err.message).not.toMatch(/at .*\.ts/); // no stack trace in the message
  });

  it.each([
    ['DISCORD_TOKEN', 'short', /does not look like a bot token/],
    ['DISCORD_API_URL', 'discord.com/api', /must be a URL/],
    ['DISCORD_API_URL', 'ftp://discord.com/api', /must start with http/],
    ['DISCORD_GUILD_ID', 'my-server', /must be a Discord ID/],
    ['MJ_API_URL', 'not a url', /must be a URL/],
    ['MJ_API_URL', 'ws://mj.example.com', /must start with http/],
    ['MJ_API_KEY', '', /is missing/],
    ['MJ_AUTH_HEADER', 'basic', /must be "bearer" or "mj-api-secret"/],
    ['MJ_TIMEOUT_MS', 'soon', /number/i],
    ['MJ_TIMEOUT_MS', '-5', /too small|positive|greater/i],
    ['MJ_TIMEOUT_MS', '999999', /at most 120000/],
    ['MJTASK_ANSWER_BUDGET_MS', '3000', /at most 2500/],
    ['LOG_LEVEL', 'verbose', /must be debug, info, warn or error/],
  ])('%s=%j gives its own message', (variable, value, expected) => {
    const err = problemsOf({ ...valid, [variable]: value });
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.variable).toBe(variable);
    expect(err.problems[0]!.problem).toMatch(expected);
    expect(err.message).toContain(variable);
  });

  it('never echoes a value, so a secret pasted in the wrong variable is not printed', () => {
    const err = problemsOf({
      DISCORD_TOKEN: 'sk-this-is-an-api-key!!',
      MJ_API_URL: 'sk-another-secret',
      MJ_API_KEY: '',
    });
    expect(err.message).not.toContain('sk-this-is-an-api-key');
    expect(err.message).not.toContain('sk-another-secret');
  });
});
