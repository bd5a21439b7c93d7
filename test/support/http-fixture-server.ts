// A tiny HTTP server for the MJ client's unit tests: each route answers a canned status, headers and
// body (optionally after a delay, or by cutting the connection), and every request is recorded.
// Listens on 127.0.0.1:0 only. The full Midjourney stand-in lives in test/support/mj/.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent verbatim (so raw JSON with 19-digit numbers survives); anything else as JSON. */
  body?: unknown;
  /** Answer only after this many ms (for timeout tests). */
  delayMs?: number;
  /** Destroy the socket instead of answering (for network-error tests). */
  hangUp?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as received, e.g. "/v1/mj/task/123/fetch". */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type FixtureHandler = FixtureAnswer | ((req: RecordedRequest) => FixtureAnswer);

export interface FixtureServer {
  /** "http://127.0.0.1:<port>", no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far (to observe keep-alive reuse). */
  readonly connectionCount: number;
  /** Answer `METHOD /path` (exact path, without query) with `handler`; unknown routes get a plain 404. */
  on(method: string, path: string, handler: FixtureHandler): void;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, FixtureHandler>();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let connectionCount = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const path = recorded.url.split('?')[0];
      const handler = routes.get(`${recorded.method} ${path}`);
      const answer: FixtureAnswer = !handler
        ? { status: 404, headers: { 'content-type': 'text/plain' }, body: '404 page not found' }
        : typeof handler === 'function'
          ? handler(recorded)
          : handler;
      const respond = (): void => {
        if (answer.hangUp) {
          req.socket.destroy();
          return;
        }
        const body =
          answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status ?? 200, {
          ...(typeof answer.body === 'string' || answer.body === undefined
            ? {}
            : { 'content-type': 'application/json' }),
          ...answer.headers,
        });
        res.end(body);
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond();
        }, answer.delayMs);
        timers.add(timer);
      } else {
        respond();
      }
    });
  });
  server.on('connection', () => {
    connectionCount++;
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connectionCount() {
      return connectionCount;
    },
    on(method, path, handler) {
      routes.set(`${method.toUpperCase()} ${path}`, handler);
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released), for connection-refused tests. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
