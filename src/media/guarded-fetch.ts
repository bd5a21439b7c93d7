// HTTP GETs that only reach public addresses (./address-policy.ts). The check sits in the socket's own
// DNS lookup (undici's `connect.lookup`), so the address that was checked is the address connected to:
// a name that answers "public" to a first query and "127.0.0.1" to a second has no second query to win.
// Redirects are followed here, one hop at a time, each hop checked again like the first.
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, fetch, type Response } from 'undici-7';
import { classifyAddress, isAllowedHost } from './address-policy.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to (dns.lookup with `all`); tests inject a fixed table. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardedFetchOptions {
  /** Hosts exempt from the address check (MEDIA_ALLOWED_HOSTS), normalized. */
  allowedHosts: ReadonlySet<string>;
  /** Redirect hops followed after the first request. Default 3. */
  maxRedirects?: number;
  resolve?: Resolver;
}

export type RefusalReason = 'scheme' | 'non_public_address' | 'too_many_redirects' | 'bad_redirect';

/** A request the policy stopped before any byte left for the refused address. */
export class FetchRefusedError extends Error {
  override readonly name = 'FetchRefusedError';
  constructor(
    readonly reason: RefusalReason,
    /** The host that was refused (never a path or query: those may carry signed tokens). */
    readonly host: string,
  ) {
    super(`refused ${reason} (${host})`);
  }
}

export interface GuardedFetch {
  /** GET `url`; the final (non-redirect) response, or a FetchRefusedError / network error. */
  get(url: URL, init: { signal: AbortSignal; headers: Record<string, string> }): Promise<{ res: Response; url: URL }>;
  close(): Promise<void>;
}

export const DEFAULT_MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The FetchRefusedError somewhere in undici's `cause` chain (fetch wraps connect errors), if any. */
export function refusalIn(err: unknown): FetchRefusedError | null {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (e instanceof FetchRefusedError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** A net `lookup` that resolves once and refuses unless every answer is public (or the host is allowed). */
function checkingLookup(allowedHosts: ReadonlySet<string>, resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        // Every answer is judged, not only the family asked for: one private answer among public
        // ones is as suspicious as a private answer alone.
        if (!isAllowedHost(hostname, allowedHosts) && addresses.some((a) => classifyAddress(a.address) !== 'public')) {
          const err = new FetchRefusedError('non_public_address', hostname);
          return callback(Object.assign(err, { code: 'ENOTFOUND' }), '', 0);
        }
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
        const usable = addresses.filter((a) => family === 0 || a.family === family);
        if (usable.length === 0) {
          return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
        }
        if (options.all) return (callback as (e: null, all: ResolvedAddress[]) => void)(null, usable);
        const first = usable[0]!;
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/** Refuses what can be refused without DNS: other schemes and IP literals outside the public range. */
function precheck(url: URL, allowedHosts: ReadonlySet<string>): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefusedError('scheme', url.hostname);
  if (isAllowedHost(url.hostname, allowedHosts)) return;
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0 && classifyAddress(bare) !== 'public')
    throw new FetchRefusedError('non_public_address', url.hostname);
}

export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const agent = new Agent({
    connect: { lookup: checkingLookup(options.allowedHosts, options.resolve ?? systemResolver) },
    // Downloads are rare and go to many hosts: idle sockets are not worth keeping.
    keepAliveTimeout: 1_000,
  });

  return {
    async get(first, init) {
      let url = first;
      for (let hop = 0; ; hop++) {
        precheck(url, options.allowedHosts);
        const res = await fetch(url, { ...init, redirect: 'manual', dispatcher: agent });
        if (!REDIRECT_STATUSES.has(res.status)) return { res, url };
        // A redirect's own body is never wanted; cancelling frees its socket.
        await res.body?.cancel().catch(() => undefined);
        if (hop >= maxRedirects) throw new FetchRefusedError('too_many_redirects', url.hostname);
        const location = res.headers.get('location');
        let next: URL;
        try {
          next = new URL(location ?? '', url);
        } catch {
          throw new FetchRefusedError('bad_redirect', url.hostname);
        }
        if (location === null) throw new FetchRefusedError('bad_redirect', url.hostname);
        url = next;
      }
    },
    close: () => agent.close(),
  };
}
