import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';

const valid = {
  DISCORD_TOKEN: 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg.Gabcde.test-token-not-real-0123456789abc',
  MJ_API_URL: 'https://mj.example.com/',
  MJ_API_KEY: 'sk-secret-key-123456',
};

describe('MEDIA_ALLOWED_HOSTS', () => {
  it('is empty by default: only public addresses', () => {
    expect(loadConfig(valid).media).toEqual({
      allowedHosts: [],
      uploadMaxBytes: 10 * 1024 * 1024 - 1024,
      attachmentMaxBytes: 10 * 1024 * 1024,
      attachmentOrigins: ['https://cdn.discordapp.com', 'https://media.discordapp.net'],
    });
    expect(loadConfig({ ...valid, MEDIA_ALLOWED_HOSTS: '  ' }).media.allowedHosts).toEqual([]);
  });

  it('reads host names, IPv4 and IPv6 addresses separated by commas or spaces', () => {
    expect(
      loadConfig({ ...valid, MEDIA_ALLOWED_HOSTS: 'images.internal.example, 127.0.0.1 ::1,[fd00::2]' }).media
        .allowedHosts,
    ).toEqual(['images.internal.example', '127.0.0.1', '::1', '[fd00::2]']);
  });

  it.each(['http://images.example', '127.0.0.1:8080', 'images.example/path', 'a_b.example'])(
    'refuses %s with the fix',
    (value) => {
      let caught: unknown;
      try {
        loadConfig({ ...valid, MEDIA_ALLOWED_HOSTS: value });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      const [problem] = (caught as ConfigError).problems;
      expect(problem?.variable).toBe('MEDIA_ALLOWED_HOSTS');
      expect(problem?.fix).toContain('comma-separated list of host names');
      // The value is never echoed: it may be an internal name an admin does not want in a log.
      expect((caught as ConfigError).message).not.toContain(value);
    },
  );
});

describe('ATTACHMENT_MAX_MB and DISCORD_CDN_URL', () => {
  it('set the attachment limit in bytes and add one CDN origin (its port kept, its path dropped)', () => {
    const media = loadConfig({ ...valid, ATTACHMENT_MAX_MB: '2', DISCORD_CDN_URL: 'http://127.0.0.1:8081/cdn/' }).media;
    expect(media.attachmentMaxBytes).toBe(2 * 1024 * 1024);
    expect(media.attachmentOrigins).toEqual([
      'https://cdn.discordapp.com',
      'https://media.discordapp.net',
      'http://127.0.0.1:8081',
    ]);
  });

  it.each(['0', '26', 'ten'])('ATTACHMENT_MAX_MB=%s is refused', (value) => {
    expect(() => loadConfig({ ...valid, ATTACHMENT_MAX_MB: value })).toThrow(ConfigError);
  });

  it('DISCORD_UPLOAD_LIMIT_MB sets the largest result upload, less 1 KiB for the message (default 10 MB)', () => {
    expect(loadConfig(valid).media.uploadMaxBytes).toBe(10 * 1024 * 1024 - 1024);
    expect(loadConfig({ ...valid, DISCORD_UPLOAD_LIMIT_MB: '50' }).media.uploadMaxBytes).toBe(50 * 1024 * 1024 - 1024);
    for (const value of ['0', '501', 'ten'])
      expect(() => loadConfig({ ...valid, DISCORD_UPLOAD_LIMIT_MB: value })).toThrow(ConfigError);
  });

  it('DISCORD_CDN_URL must be an http(s) URL', () => {
    expect(() => loadConfig({ ...valid, DISCORD_CDN_URL: 'ftp://cdn.example' })).toThrow(ConfigError);
  });
});
