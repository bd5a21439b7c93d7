// The public-address rule against a real server on 127.0.0.1: refused downloads never reach it,
// whether the URL names the address, a name resolves to it, or a redirect leads there.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/media/guarded-fetch.js';
import { createImageDownloader } from '../../src/media/image-download.js';
import { createLogger } from '../../src/log.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 7)]);
let server: Server;
let port = 0;
/** Paths the server was asked for, in order. */
let seen: string[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  seen.push(req.url ?? '');
  const url = new URL(req.url ?? '/', 'http://x');
  const hops = /^\/hops\/(\d+)$/.exec(url.pathname);
  if (hops) {
    const left = Number(hops[1]);
    res.writeHead(302, { location: left > 1 ? `/hops/${left - 1}` : '/ok.png' });
    return void res.end();
  }
  if (url.pathname === '/to-loopback') {
    res.writeHead(302, { location: `http://127.0.0.1:${port}/ok.png` });
    return void res.end();
  }
  if (url.pathname === '/to-named-loopback') {
    res.writeHead(307, { location: `http://internal.example:${port}/ok.png` });
    return void res.end();
  }
  if (url.pathname === '/to-file') {
    res.writeHead(302, { location: 'file:///etc/passwd' });
    return void res.end();
  }
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
  res.end(PNG);
}

/** A DNS stand-in: every test name points at the local server, as a hostile or rebinding zone would. */
const resolveToLoopback: Resolver = () => Promise.resolve([{ address: '127.0.0.1', family: 4 }]);
const resolveMixed: Resolver = () =>
  Promise.resolve([
    { address: '8.8.8.8', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ]);

const lines: string[] = [];
const log = createLogger({
  level: 'debug',
  secrets: [],
  destination: { write: (line: string) => void lines.push(line) },
});

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
beforeEach(() => {
  seen = [];
  lines.length = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('image download with no allowed hosts', () => {
  const downloader = createImageDownloader({ timeoutMs: 2_000, resolve: resolveToLoopback, log });

  it.each([
    ['an IPv4 loopback literal', () => `http://127.0.0.1:${port}/ok.png`],
    ['an IPv6 loopback literal', () => `http://[::1]:${port}/ok.png`],
    ['an IPv4-mapped loopback literal', () => `http://[::ffff:127.0.0.1]:${port}/ok.png`],
    ['a name that resolves to loopback', () => `http://images.example:${port}/ok.png`],
    ['a private address', () => `http://10.0.0.1:${port}/ok.png`],
    ['a cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
  ])('refuses %s without sending a request', async (_name, url) => {
    expect(await downloader.download(url())).toBeNull();
    expect(seen).toEqual([]);
    const refused = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === 'media.refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ reason: 'non_public_address', level: 40 });
    // Neither the path nor the query (they may carry signed tokens) is logged.
    expect(lines.join('\n')).not.toContain('/ok.png');
  });

  it('refuses a name whose answers mix a public and a private address', async () => {
    const mixed = createImageDownloader({ timeoutMs: 2_000, resolve: resolveMixed });
    expect(await mixed.download(`http://cdn.example:${port}/ok.png`)).toBeNull();
    expect(seen).toEqual([]);
  });

  it('refuses localhost through the system resolver', async () => {
    const system = createImageDownloader({ timeoutMs: 2_000 });
    expect(await system.download(`http://localhost:${port}/ok.png`)).toBeNull();
    expect(seen).toEqual([]);
  });
});

describe('image download from an allowed host', () => {
  const allowedHosts = new Set(['images.allowed.example']);
  const downloader = createImageDownloader({ timeoutMs: 2_000, resolve: resolveToLoopback, allowedHosts, log });
  const base = () => `http://images.allowed.example:${port}`;

  it('downloads from it, and follows up to three redirects on it', async () => {
    expect((await downloader.download(`${base()}/ok.png`))?.data.equals(PNG)).toBe(true);
    seen = [];
    expect((await downloader.download(`${base()}/hops/3`))?.data.equals(PNG)).toBe(true);
    expect(seen).toEqual(['/hops/3', '/hops/2', '/hops/1', '/ok.png']);
  });

  it('refuses a fourth redirect without following it', async () => {
    expect(await downloader.download(`${base()}/hops/4`)).toBeNull();
    expect(seen).toEqual(['/hops/4', '/hops/3', '/hops/2', '/hops/1']);
    expect(lines.some((l) => l.includes('"reason":"too_many_redirects"'))).toBe(true);
  });

  it('refuses a redirect to 127.0.0.1 (not itself allowed)', async () => {
    expect(await downloader.download(`${base()}/to-loopback`)).toBeNull();
    expect(seen).toEqual(['/to-loopback']);
    expect(lines.some((l) => l.includes('"reason":"non_public_address"') && l.includes('127.0.0.1'))).toBe(true);
  });

  it('refuses a redirect to a name that resolves to loopback', async () => {
    expect(await downloader.download(`${base()}/to-named-loopback`)).toBeNull();
    expect(seen).toEqual(['/to-named-loopback']);
  });

  it('refuses a redirect to another scheme', async () => {
    expect(await downloader.download(`${base()}/to-file`)).toBeNull();
    expect(seen).toEqual(['/to-file']);
    expect(lines.some((l) => l.includes('"reason":"scheme"'))).toBe(true);
  });

  it('follows no redirects at all when maxRedirects is 0', async () => {
    const strict = createImageDownloader({ resolve: resolveToLoopback, allowedHosts, maxRedirects: 0 });
    expect(await strict.download(`${base()}/hops/1`)).toBeNull();
    expect(seen).toEqual(['/hops/1']);
  });
});
