// Which addresses the bot may download media from: public unicast only. A task's imageUrl comes from
// the API (and, through a forged push or a hostile upstream, from anyone), so without this check it
// could make the bot fetch its own loopback services or the private network and upload the answer to
// Discord. Pure: no DNS here, the caller resolves and asks about every address it would connect to.
import ipaddr from 'ipaddr.js';

/** Why an address is refused; 'public' is the only allowed answer. */
export type AddressVerdict = 'public' | 'not_an_ip' | 'non_public';

/**
 * `public` for a global unicast address. Everything ipaddr.js files under a special range is refused:
 * loopback, RFC 1918, link-local, CGNAT, multicast, broadcast, unspecified, reserved/documentation,
 * benchmarking, unique-local and site-local IPv6, and the IPv6 forms that carry an IPv4 address
 * (IPv4-mapped, NAT64, 6to4, Teredo), which could reach a private IPv4 host through a translator.
 * An IPv4-mapped address is judged by its IPv4 part, so `::ffff:8.8.8.8` is as public as 8.8.8.8.
 */
export function classifyAddress(text: string): AddressVerdict {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // ipaddr.js also reads "127.1" and "0x7f000001"; only the canonical forms DNS and URLs produce count.
  if (!ipaddr.IPv4.isValidFourPartDecimal(bare) && !ipaddr.IPv6.isValid(bare)) return 'not_an_ip';
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(bare);
  } catch {
    return 'not_an_ip';
  }
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) address = address.toIPv4Address();
  return address.range() === 'unicast' ? 'public' : 'non_public';
}

export function isPublicAddress(text: string): boolean {
  return classifyAddress(text) === 'public';
}

/** A URL hostname as the allow-list compares it: lower case, no IPv6 brackets, no trailing dot. */
export function normalizeHost(hostname: string): string {
  const lower = hostname.trim().toLowerCase();
  const bare = lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}

/** MEDIA_ALLOWED_HOSTS ("a.example, 127.0.0.1") as a set of normalized host names. */
export function parseAllowedHosts(list: string | readonly string[] | undefined): ReadonlySet<string> {
  const items = typeof list === 'string' ? list.split(/[\s,]+/) : (list ?? []);
  return new Set(items.map(normalizeHost).filter((h) => h !== ''));
}

/** Exact host names only: an allowed "cdn.example" does not allow "evil.cdn.example". */
export function isAllowedHost(hostname: string, allowed: ReadonlySet<string>): boolean {
  return allowed.has(normalizeHost(hostname));
}
