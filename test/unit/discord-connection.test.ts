import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/load.js';
import { describeLoginError, globalShareOf } from '../../src/discord/connection.js';

const discord = (shards: Config['discord']['shards'], maxRequestsPerSecond = 45) =>
  ({ shards, maxRequestsPerSecond }) as Config['discord'];

describe('globalShareOf', () => {
  it('gives an instance running every shard the whole budget', () => {
    expect(globalShareOf(discord('auto'))).toBe(45);
  });

  it("splits the budget by the instance's share of the shards, so the cluster stays under it", () => {
    expect(globalShareOf(discord({ count: 2, ids: [0] }))).toBe(22);
    expect(globalShareOf(discord({ count: 4, ids: [1, 3] }))).toBe(22);
    const shares = [[0], [1], [2]].map((ids) => globalShareOf(discord({ count: 3, ids })));
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(45);
  });

  it('never leaves an instance with no budget at all', () => {
    expect(globalShareOf(discord({ count: 100, ids: [7] }, 45))).toBe(1);
  });
});

describe('describeLoginError', () => {
  it('tells the operator how to fix a rejected token', () => {
    expect(describeLoginError({ code: 'TokenInvalid' })).toMatch(/Reset Token/);
    expect(describeLoginError({ status: 401 })).toMatch(/DISCORD_TOKEN/);
  });

  it('names refused intents and passes other failures through', () => {
    expect(describeLoginError({ code: 'DisallowedIntents' })).toMatch(/intents/);
    expect(describeLoginError(new Error('ECONNREFUSED'))).toBe('Could not connect to Discord: ECONNREFUSED');
  });
});
