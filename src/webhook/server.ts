// The notifyHook receiver: a bare node:http server that takes task pushes from the Midjourney proxy on
// POST /notify/<secret> and answers GET /healthz. The proxy never retries and ignores the answer
// (mj-api.md §4), so every failure here is answered, logged and forgotten: nothing may crash the process.
// The secret lives in the path, so neither URLs nor paths are ever logged or echoed.
// Without a secret it is a /healthz-only listener (HEALTH_PORT): every other path is 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import { capConnections } from './connection-cap.js';
import type { HealthReport } from './health.js';
import { declaredTooLarge, readBody, routeOf, secretMatches, taskFromBody } from './notify-request.js';

/**
 * What the bot did with a push (a hint: its body is never shown): 'hinted' brought a followed task's
 * re-read forward, 'stale' was a task whose result is sent or on its way, 'queued' is a task the bot
 * does not follow, now being looked up in the API, 'dropped' hit a cap or a full queue, 'ignored' is a
 * task it neither follows nor picks up, 'relayed' went to the instance that follows the task (PostgreSQL).
 */
export type PushResult = 'hinted' | 'stale' | 'queued' | 'dropped' | 'ignored' | 'relayed';

export interface NotifyReceiverOptions {
  /** 0 = an ephemeral port (tests). */
  port: number;
  /** Default '0.0.0.0'. */
  host?: string;
  /** The path token: pushes go to POST /notify/<secret>. null: no pushes, /healthz only. */
  secret: string | null;
  /** Default 256 KiB; larger bodies get 413. */
  maxBodyBytes?: number;
  /** Open connections at once; at the cap the oldest idle one is closed for a newcomer. Default 128. */
  maxConnections?: number;
  /** A connection that sends nothing for this long is closed. Default 10 s. */
  idleTimeoutMs?: number;
  onPush(task: MjTask): PushResult | Promise<PushResult>;
  /** GET /healthz: 200 with `status: 'ok'` when healthy, else 503 with `status: 'unhealthy'`. */
  health(): HealthReport | Promise<HealthReport>;
  log: Logger;
}

export interface NotifyReceiver {
  /** Listens; resolves with the bound port. Rejects (e.g. EADDRINUSE) without leaving a server behind. */
  start(): Promise<{ port: number }>;
  /** Stops listening and closes every connection, idle keep-alive ones included. Idempotent. */
  stop(): Promise<void>;
  /** The bound port; 0 while not listening. */
  readonly port: number;
}

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;
/**
 * The proxy sends one short push per status change, so a handful of connections is its real load.
 * Every connection holds a file descriptor, and with a common limit of 1024 an unbounded receiver
 * lets idle sockets take the ones Discord and the API need: 128 leaves most of them to the bot.
 */
export const DEFAULT_MAX_CONNECTIONS = 128;
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

// A push is one small JSON body; a client slower than this is stuck or hostile.
const REQUEST_TIMEOUT_MS = 15_000;
const HEADERS_TIMEOUT_MS = 10_000;
// The proxy opens a connection per push; an idle keep-alive socket is only a held descriptor.
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
// How often node checks the header and request deadlines (its default, 30 s, lets them overrun).
const DEADLINE_CHECK_MS = 1_000;
/** Dropped connections are logged on the first and then every this many, not one line each. */
const DROP_LOG_EVERY = 1_000;

type Rejection =
  | 'not_found'
  | 'method_not_allowed'
  | 'too_large'
  | 'invalid_json'
  | 'not_a_task'
  | 'internal'
  | 'bad_request';

export function createNotifyReceiver(options: NotifyReceiverOptions): NotifyReceiver {
  const { secret, log } = options;
  const host = options.host ?? '0.0.0.0';
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let server: Server | null = null;
  let boundPort = 0;
  let dropped = 0;

  function send(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    const text = body === null ? '' : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      ...extraHeaders,
    });
    res.end(text);
  }

  function reject(
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    reason: Rejection,
    extra: Record<string, string> = {},
  ): void {
    // Anything that hits an unknown path is most likely a scanner: keep that out of the normal log.
    const level = reason === 'not_found' ? 'debug' : reason === 'internal' ? 'error' : 'warn';
    log[level](
      { event: 'notify.rejected', reason, statusCode: status, method: req.method, remote: req.socket.remoteAddress },
      'notify request rejected',
    );
    const body =
      status === 404 || status === 405 || status === 413
        ? null
        : { error: reason === 'invalid_json' ? 'invalid JSON' : reason === 'not_a_task' ? 'not a task' : 'internal' };
    send(res, status, body, extra);
  }

  async function handlePush(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Answering before the body is read leaves bytes on the wire: close the connection after the answer.
    const close = { Connection: 'close' };
    if (declaredTooLarge(req, maxBodyBytes)) return reject(req, res, 413, 'too_large', close);
    const body = await readBody(req, maxBodyBytes);
    if (body.kind === 'aborted') {
      log.debug(
        { event: 'notify.rejected', reason: 'aborted', remote: req.socket.remoteAddress },
        'notify request aborted by the client',
      );
      return;
    }
    if (body.kind === 'too_large') return reject(req, res, 413, 'too_large', close);
    const parsed = taskFromBody(body.text);
    if (parsed.kind === 'invalid_json') return reject(req, res, 400, 'invalid_json');
    if (parsed.kind === 'not_a_task') return reject(req, res, 400, 'not_a_task');
    const { task } = parsed;
    let result: PushResult;
    try {
      result = await options.onPush(task);
    } catch (err) {
      log.error({ event: 'notify.push_failed', taskId: task.id, err }, 'handling a notify push failed');
      return reject(req, res, 500, 'internal');
    }
    log.info(
      { event: 'notify.push', taskId: task.id, status: task.status, progress: task.progress, result },
      'notify push',
    );
    send(res, 200, { ok: true, result });
  }

  async function handleHealth(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return reject(req, res, 405, 'method_not_allowed', { Allow: 'GET, HEAD' });
    let report: HealthReport;
    try {
      report = await options.health();
    } catch (err) {
      log.error({ event: 'notify.health_failed', err }, 'health fields could not be read');
      return send(res, 500, { status: 'error' });
    }
    send(res, report.healthy ? 200 : 503, { status: report.healthy ? 'ok' : 'unhealthy', ...report.fields });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = routeOf(req.url);
    if (route.kind === 'health') return handleHealth(req, res);
    // Wrong secret and unknown path look the same from outside, whatever the method.
    if (route.kind !== 'notify' || secret === null || !secretMatches(route.candidate, secret))
      return reject(req, res, 404, 'not_found');
    if (req.method !== 'POST') return reject(req, res, 405, 'method_not_allowed', { Allow: 'POST' });
    await handlePush(req, res);
  }

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    handle(req, res).catch((err: unknown) => {
      log.error({ event: 'notify.rejected', reason: 'internal', statusCode: 500, err }, 'notify request failed');
      send(res, 500, { error: 'internal' });
    });
  }

  /** Unparsable HTTP (and resets/timeouts before a request exists): answer 400 if possible, never throw. */
  function onClientError(err: NodeJS.ErrnoException, socket: Socket): void {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // err.rawPacket holds the request bytes, secret included: only the code is logged.
    log.warn(
      { event: 'notify.rejected', reason: 'bad_request', statusCode: 400, code: err.code },
      'malformed HTTP request',
    );
    socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  }

  function onDrop(): void {
    dropped++;
    if (dropped % DROP_LOG_EVERY !== 1) return;
    log.warn(
      { event: 'notify.connections_dropped', dropped, maxConnections },
      'notify receiver at its connection cap: the oldest idle connections are closed for new ones',
    );
  }

  function createBoundedServer(): Server {
    const s = createServer(
      {
        requestTimeout: REQUEST_TIMEOUT_MS,
        headersTimeout: HEADERS_TIMEOUT_MS,
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        connectionsCheckingInterval: DEADLINE_CHECK_MS,
      },
      onRequest,
    );
    capConnections(s, maxConnections, onDrop);
    // With no 'timeout' listener, node destroys a socket once it has been idle this long.
    s.timeout = idleTimeoutMs;
    s.on('clientError', onClientError);
    return s;
  }

  return {
    get port() {
      return boundPort;
    },

    start() {
      if (server) return Promise.reject(new Error('The notify receiver is already started.'));
      const s = createBoundedServer();
      server = s;
      return new Promise((resolve, reject) => {
        const onListenError = (err: NodeJS.ErrnoException): void => {
          server = null;
          reject(
            new Error(`The notify receiver cannot listen on ${host}:${options.port} (${err.code ?? err.message}).`),
          );
        };
        s.once('error', onListenError);
        s.listen(options.port, host, () => {
          s.off('error', onListenError);
          s.on('error', (err: NodeJS.ErrnoException) =>
            log.error({ event: 'notify.server_error', code: err.code }, 'notify receiver error'),
          );
          const address = s.address();
          boundPort = typeof address === 'object' && address !== null ? address.port : options.port;
          log.info({ event: 'notify.listening', host, port: boundPort }, 'notify receiver listening');
          resolve({ port: boundPort });
        });
      });
    },

    async stop() {
      const s = server;
      if (!s) return;
      server = null;
      boundPort = 0;
      // The proxy never retries, but the tracker polls anyway: a push cut short here costs nothing.
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
      await closed;
    },
  };
}
