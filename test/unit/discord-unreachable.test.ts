import { HTTPError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { discordUnreachable } from '../../src/discord/unreachable.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('an error that means Discord did not answer', () => {
  it('is a timeout, a broken connection or a 5xx, also when fetch wraps it', () => {
    expect(discordUnreachable(coded('UND_ERR_CONNECT_TIMEOUT'))).toBe('timeout');
    expect(discordUnreachable(new TypeError('fetch failed', { cause: coded('ECONNRESET') }))).toBe('network');
    expect(discordUnreachable(coded('ECONNREFUSED'))).toBe('network');
    expect(discordUnreachable(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe('timeout');
    const bad = new HTTPError(503, 'Service Unavailable', 'POST', 'https://discord.com/api/v10/x', {
      body: undefined,
      files: undefined,
    });
    expect(discordUnreachable(bad)).toBe('server');
  });

  it('is not a bug with a code of its own, nor anything else', () => {
    expect(discordUnreachable(coded('ERR_INVALID_ARG_TYPE'))).toBeNull();
    expect(discordUnreachable(coded('SQLITE_BUSY'))).toBeNull();
    expect(discordUnreachable(new Error('x is undefined'))).toBeNull();
    expect(discordUnreachable('a string')).toBeNull();
    expect(discordUnreachable(null)).toBeNull();
  });
});
