// The shapes of the answers, per flavor: JSON bodies, the unknown-id variants, a dialect's answers,
// new-api's own error envelope, missing routes, and the injected faults.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpAnswer } from './dialects/profile.js';
import type { Flavor, MjFault, UnknownIdShape } from './types.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The JSON text of `row` with its `properties` nested `depth` deep (written by hand: JSON.stringify would
 * overflow), under finalPrompt: a property the tracker keeps (src/mj/task.ts heldTask drops the others).
 */
export function deepPropertiesJson(row: Record<string, unknown>, depth: number): string {
  const deep = '{"finalPrompt":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + '}';
  const marker = '"__deep_properties__"';
  return JSON.stringify({ ...row, properties: '__deep_properties__' }).replace(marker, deep);
}

/** A JSON text already written. */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A dialect's whole answer: JSON, or text (no content-type when none is given, like ASP.NET's WriteAsync). */
export function sendAnswer(res: ServerResponse, answer: HttpAnswer): void {
  if ('json' in answer) return sendJson(res, answer.status, answer.json);
  if (answer.text === '' && answer.contentType === undefined) return sendEmpty(res, answer.status);
  res.writeHead(answer.status, {
    ...(answer.contentType !== undefined && { 'content-type': answer.contentType }),
    'content-length': Buffer.byteLength(answer.text),
  });
  res.end(answer.text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': 0 });
  res.end();
}

/** new-api's own errors: HTTP 400 {"description":"<desc> <result>","type":"upstream_error","code":4}. */
export function sendAggregatorError(res: ServerResponse, description: string, code = 4, status = 400): void {
  sendJson(res, status, { description: `${description} `, type: 'upstream_error', code });
}

export function sendUnknownId(res: ServerResponse, shape: UnknownIdShape): void {
  switch (shape) {
    case 'empty200':
      return sendEmpty(res, 200); // NZK: the controller returns null
    case '204':
      return sendEmpty(res, 204); // FORK: ASP.NET turns a null result into 204
    case '404':
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    case '400':
      return sendAggregatorError(res, 'task_no_found');
  }
}

export function sendRouteNotFound(res: ServerResponse, flavor: Flavor, req: IncomingMessage): void {
  if (flavor === 'aggregator') {
    const message = `Invalid URL (${req.method ?? 'GET'} ${req.url ?? '/'})`;
    return sendJson(res, 404, { error: { message, type: 'invalid_request_error', param: '', code: '' } });
  }
  sendJson(res, 404, {
    timestamp: new Date().toISOString(),
    status: 404,
    error: 'Not Found',
    path: (req.url ?? '/').split('?')[0],
  });
}

export function sendBadRequestBody(res: ServerResponse, flavor: Flavor, req: IncomingMessage): void {
  if (flavor === 'aggregator') return sendAggregatorError(res, 'bind_request_body_failed');
  sendJson(res, 400, {
    timestamp: new Date().toISOString(),
    status: 400,
    error: 'Bad Request',
    path: (req.url ?? '/').split('?')[0],
  });
}

const CLOUDFLARE_502 = (status: number) =>
  `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;

/** What an echoing proxy quotes: every credential header it received, then the request body. */
function echoText(req: IncomingMessage, requestText: string): string {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  };
  return `rejected ${req.method ?? 'GET'} ${req.url ?? '/'}: authorization=${header('authorization')} mj-api-secret=${header('mj-api-secret')} body=${requestText}`;
}

function writeEcho(
  req: IncomingMessage,
  res: ServerResponse,
  fault: Extract<MjFault, { kind: 'echo' }>,
  requestText: string,
): void {
  const said = echoText(req, requestText);
  const as = fault.as ?? 'json';
  const [contentType, body] =
    as === 'text'
      ? ['text/plain', said]
      : as === 'html'
        ? ['text/html', `<html><body><h1>Bad request</h1><pre>${said}</pre></body></html>`]
        : [
            'application/json',
            JSON.stringify(
              as === 'envelope'
                ? { code: 4, description: said, result: null, properties: {} }
                : { error: { message: said } },
            ),
          ];
  res.writeHead(fault.status ?? (as === 'envelope' ? 200 : 400), {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Writes a fault that replaces the answer. 'slow', 'held' and 'unknownId' are handled by the caller. */
export function writeFault(req: IncomingMessage, res: ServerResponse, fault: MjFault, requestText = ''): void {
  switch (fault.kind) {
    case 'echo':
      return writeEcho(req, res, fault, requestText);
    case 'status': {
      const body = fault.body ?? '';
      res.writeHead(fault.status, {
        'content-type': fault.contentType ?? 'text/plain',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
      return;
    }
    case 'html': {
      const body = CLOUDFLARE_502(fault.status ?? 502);
      res.writeHead(fault.status ?? 502, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'malformed': {
      const body = '{"id":"1767225600000000","status":"IN_PROG';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'reset':
      req.socket.destroy();
      return;
    case 'slow':
    case 'held':
    case 'unknownId':
    case 'deepProperties':
      throw new Error(`fault kind ${fault.kind} is not a reply`);
  }
}

/** Faults by target (route, '*', or task id), each with a remaining count. */
export class FaultBook {
  private readonly byTarget = new Map<string, { fault: MjFault; remaining: number }[]>();

  add(target: string, fault: MjFault, times: number): void {
    const list = this.byTarget.get(target) ?? [];
    list.push({ fault, remaining: times });
    this.byTarget.set(target, list);
  }

  /** The first active fault for the target, counting one use. */
  take(target: string): MjFault | undefined {
    const list = this.byTarget.get(target);
    if (!list) return undefined;
    const entry = list[0];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) list.shift();
    if (list.length === 0) this.byTarget.delete(target);
    return entry.fault;
  }

  get empty(): boolean {
    return this.byTarget.size === 0;
  }

  clear(): void {
    this.byTarget.clear();
  }
}
