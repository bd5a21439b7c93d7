import { describe, expect, it } from 'vitest';
import { classifyAddress, isAllowedHost, normalizeHost, parseAllowedHosts } from '../../src/media/address-policy.js';

describe('address policy', () => {
  it.each([
    // Public unicast
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['151.101.1.69', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:82b::200e', 'public'],
    ['::ffff:8.8.8.8', 'public'],
    ['[2606:4700:4700::1111]', 'public'],
    // Loopback
    ['127.0.0.1', 'non_public'],
    ['127.255.255.254', 'non_public'],
    ['::1', 'non_public'],
    ['[::1]', 'non_public'],
    // RFC 1918
    ['10.0.0.1', 'non_public'],
    ['172.16.0.1', 'non_public'],
    ['172.31.255.255', 'non_public'],
    ['192.168.1.1', 'non_public'],
    // Link-local (cloud metadata lives here)
    ['169.254.169.254', 'non_public'],
    ['fe80::1', 'non_public'],
    // CGNAT
    ['100.64.0.1', 'non_public'],
    ['100.127.255.255', 'non_public'],
    // Multicast, broadcast, unspecified
    ['224.0.0.1', 'non_public'],
    ['239.255.255.250', 'non_public'],
    ['255.255.255.255', 'non_public'],
    ['0.0.0.0', 'non_public'],
    ['0.1.2.3', 'non_public'],
    ['::', 'non_public'],
    ['ff02::1', 'non_public'],
    // Reserved and documentation ranges
    ['192.0.2.1', 'non_public'],
    ['198.18.0.1', 'non_public'],
    ['203.0.113.7', 'non_public'],
    ['240.0.0.1', 'non_public'],
    ['2001:db8::1', 'non_public'],
    // IPv6 unique-local and the forms that embed an IPv4 address
    ['fc00::1', 'non_public'],
    ['fd12:3456:789a::1', 'non_public'],
    ['::ffff:127.0.0.1', 'non_public'],
    ['::ffff:7f00:1', 'non_public'],
    ['::ffff:10.0.0.1', 'non_public'],
    ['::ffff:169.254.169.254', 'non_public'],
    ['64:ff9b::7f00:1', 'non_public'],
    ['2002:7f00:1::1', 'non_public'],
    ['2001::1', 'non_public'],
    ['fec0::1', 'non_public'],
    // Not canonical addresses at all: names are resolved first, odd spellings never reach here as IPs
    ['localhost', 'not_an_ip'],
    ['127.1', 'not_an_ip'],
    ['0x7f000001', 'not_an_ip'],
    ['2130706433', 'not_an_ip'],
    ['', 'not_an_ip'],
  ])('%s is %s', (address, verdict) => {
    expect(classifyAddress(address)).toBe(verdict);
  });

  it('reads MEDIA_ALLOWED_HOSTS as exact, case-insensitive host names', () => {
    const allowed = parseAllowedHosts(' Images.Example. ,127.0.0.1  [::1]');
    expect([...allowed]).toEqual(['images.example', '127.0.0.1', '::1']);
    expect(isAllowedHost('IMAGES.example', allowed)).toBe(true);
    expect(isAllowedHost('[::1]', allowed)).toBe(true);
    expect(isAllowedHost('evil.images.example', allowed)).toBe(false);
    expect(isAllowedHost('127.0.0.2', allowed)).toBe(false);
    expect(parseAllowedHosts(undefined).size).toBe(0);
    expect(parseAllowedHosts(['a.example']).has('a.example')).toBe(true);
    expect(normalizeHost('[FE80::1]')).toBe('fe80::1');
  });
});
