// The HTTP side: /api/v10 routing, bot-token auth, JSON and multipart bodies, Discord-style errors,
// the request record, and the attachment "CDN".
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiRequest, ApiResponse, Route, StandInCore } from './core.js';
import { DiscordHttpError, httpErrors } from './http-errors.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { countsTowardGlobal } from './rate-limit.js';
import type { UploadedFile } from './types.js';

const API_PREFIX = '/api/v10';
// Far above Discord's per-file limit, so oversize uploads reach the route and get Discord's 40005.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function decodePath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

function parseBody(raw: Buffer, contentType: string): { body: unknown; files: UploadedFile[] } {
  if (raw.length === 0) return { body: undefined, files: [] };
  const boundary = contentType.startsWith('multipart/form-data') ? boundaryOf(contentType) : null;
  if (boundary) {
    const { fields, files } = parseMultipart(raw, boundary);
    const { payload_json: payloadJson, ...rest } = fields;
    let body: unknown = Object.keys(rest).length ? { ...rest } : undefined;
    if (payloadJson !== undefined) {
      try {
        body = JSON.parse(payloadJson) as unknown;
      } catch {
        throw httpErrors.invalidJson();
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  } catch {
    throw httpErrors.invalidJson();
  }
}

export class HttpFront {
  readonly server: Server;

  constructor(
    private readonly core: StandInCore,
    private readonly routes: Route[],
  ) {
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const at = this.core.now();
    const realAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const raw = await readBody(request).catch(() => Buffer.alloc(0));
    if (method === 'GET' && /^\/(cdn|media)\/(ephemeral-)?attachments\//.test(url.pathname))
      return this.serveAttachment(url.pathname, response);

    const path = url.pathname.startsWith(`${API_PREFIX}/`)
      ? decodePath(url.pathname.slice(API_PREFIX.length))
      : decodePath(url.pathname);
    let body: unknown;
    let files: UploadedFile[] = [];
    let result: ApiResponse;
    const counted = countsTowardGlobal(path);
    try {
      // Discord answers a global 429 before it looks at anything else.
      const limited = counted ? this.core.globalWindow?.take() : null;
      if (limited) throw new DiscordHttpError(429, limited.body, limited.headers);
      if (raw === null) throw httpErrors.entityTooLarge();
      ({ body, files } = parseBody(raw, request.headers['content-type'] ?? ''));
      if (!url.pathname.startsWith(`${API_PREFIX}/`)) throw httpErrors.notFound();
      result = this.route(
        { method, path, params: [], query: url.searchParams, body, files },
        request.headers.authorization,
      );
    } catch (error) {
      if (error instanceof DiscordHttpError) {
        result = { status: error.status, body: error.body, headers: error.headers };
      } else {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.core.serverErrors.push(failure);
        result = { status: 500, body: { message: '500: Internal Server Error', code: 0, detail: failure.message } };
      }
    }
    const record = {
      at,
      realAt,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      files,
      status: result.status,
      responseBody: result.body,
      countsTowardGlobal: counted,
      userAgent: String(request.headers['user-agent'] ?? ''),
    };
    const index = this.core.requests.push(record) - 1;
    for (const hook of [...this.core.answerHooks]) {
      try {
        hook(record);
      } catch (error) {
        this.core.serverErrors.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    if (!this.core.settings.keepRequestBodies)
      this.core.requests[index] = { ...record, body: undefined, files: [], responseBody: undefined };
    this.send(response, result);
    this.core.notify();
  }

  private route(request: ApiRequest, authorization: string | undefined): ApiResponse {
    let pathMatched = false;
    for (const route of this.routes) {
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== request.method) continue;
      if (route.auth && authorization !== `Bot ${this.core.settings.token}`) throw httpErrors.unauthorized();
      return route.handle({ ...request, params: match.slice(1) });
    }
    throw pathMatched ? httpErrors.methodNotAllowed() : httpErrors.notFound();
  }

  private send(response: ServerResponse, result: ApiResponse): void {
    const headers: Record<string, string> = { via: '1.1 discord-stand-in', ...result.headers };
    if (result.status === 204 || result.body === undefined) {
      response.writeHead(result.status, headers).end();
      return;
    }
    response
      .writeHead(result.status, { ...headers, 'content-type': 'application/json' })
      .end(JSON.stringify(result.body));
  }

  private serveAttachment(pathname: string, response: ServerResponse): void {
    const id = pathname.split('/')[4] ?? '';
    const attachment = this.core.messages.attachment(id);
    if (!attachment) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('404: Not Found');
      return;
    }
    attachment.downloads = (attachment.downloads ?? 0) + 1;
    if (attachment.cdnStatus !== undefined) {
      response
        .writeHead(attachment.cdnStatus, { 'content-type': 'text/plain' })
        .end('This content is no longer available.');
      return;
    }
    response.writeHead(200, {
      'content-type': attachment.content_type ?? 'application/octet-stream',
      'content-length': String(attachment.size),
    });
    response.end(attachment.bytes);
  }
}
