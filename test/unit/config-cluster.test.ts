// SHARD_COUNT / SHARD_IDS / HEALTH_PORT / INSTANCE_ID / DATABASE_POOL_SIZE: the settings that let several instances run one bot.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

const valid = {
  DISCORD_TOKEN: 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg.Gabcde.test-token-not-real-0123456789abc',
  MJ_API_URL: 'https://mj.example.com/',
  MJ_API_KEY: 'sk-secret-key-123456',
};

function problems(env: Record<string, string>): Array<{ variable: string; problem: string }> {
  try {
    loadConfig({ ...valid, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map(({ variable, problem }) => ({ variable, problem }));
  }
  throw new Error('expected a ConfigError');
}

describe('shards', () => {
  it('runs every recommended shard in this process when nothing is set', () => {
    expect(loadConfig(valid).discord.shards).toBe('auto');
  });

  it('SHARD_COUNT alone means all of its shards here', () => {
    expect(loadConfig({ ...valid, SHARD_COUNT: '3' }).discord.shards).toEqual({ count: 3, ids: [0, 1, 2] });
  });

  it('SHARD_IDS picks this instance’s share, in order, spaces allowed', () => {
    expect(loadConfig({ ...valid, SHARD_COUNT: '4', SHARD_IDS: '3, 1' }).discord.shards).toEqual({
      count: 4,
      ids: [1, 3],
    });
  });

  it.each([
    [{ SHARD_IDS: '0' }, 'SHARD_COUNT', /is missing \(SHARD_IDS needs it\)/],
    [{ SHARD_COUNT: '2', SHARD_IDS: '2' }, 'SHARD_IDS', /not below SHARD_COUNT \(2\)/],
    [{ SHARD_COUNT: '2', SHARD_IDS: '0,0' }, 'SHARD_IDS', /names a shard twice/],
    [{ SHARD_COUNT: '2', SHARD_IDS: 'one' }, 'SHARD_IDS', /shard numbers separated by commas/],
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT', /too small|positive|greater/i],
    [{ SHARD_COUNT: '99999' }, 'SHARD_COUNT', /at most 4096/],
  ])('%j is refused with a message on %s', (env, variable, message) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]!.variable).toBe(variable);
    expect(found[0]!.problem).toMatch(message);
  });
});

describe('instance', () => {
  it('names itself after the host and process unless INSTANCE_ID says otherwise', () => {
    expect(loadConfig(valid).instance).toEqual({
      id: expect.stringMatching(new RegExp(`-${process.pid}$`)),
      healthPort: null,
      leaseTtlMs: 30_000,
    });
    expect(loadConfig({ ...valid, INSTANCE_ID: 'bot-1', HEALTH_PORT: '8788', LEASE_TTL_MS: '3000' }).instance).toEqual({
      id: 'bot-1',
      healthPort: 8788,
      leaseTtlMs: 3_000,
    });
  });

  it('refuses a LEASE_TTL_MS below a second: renewals every third of it would flood the database', () => {
    expect(problems({ LEASE_TTL_MS: '500' })).toEqual([
      { variable: 'LEASE_TTL_MS', problem: expect.stringContaining('1000') as string },
    ]);
  });

  it('refuses an INSTANCE_ID that would not read well in a log line', () => {
    expect(problems({ INSTANCE_ID: 'bot 1; rm' })).toEqual([
      { variable: 'INSTANCE_ID', problem: 'must be 1–64 letters, digits, . _ or -' },
    ]);
  });
});

describe('database pool', () => {
  it('keeps 10 connections unless DATABASE_POOL_SIZE says otherwise, 1–100', () => {
    expect(loadConfig(valid).databasePoolSize).toBe(10);
    expect(loadConfig({ ...valid, DATABASE_POOL_SIZE: '25' }).databasePoolSize).toBe(25);
    expect(problems({ DATABASE_POOL_SIZE: '0' }).map((p) => p.variable)).toEqual(['DATABASE_POOL_SIZE']);
    expect(problems({ DATABASE_POOL_SIZE: '101' })).toEqual([
      { variable: 'DATABASE_POOL_SIZE', problem: expect.stringContaining('100') as string },
    ]);
  });
});
