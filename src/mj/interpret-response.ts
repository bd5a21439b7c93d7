// Pure: what an HTTP answer from a Midjourney proxy means, per route. The dialects differ (NZK answers
// an unknown task with an empty 200, FORK with 204, new-api with a 400 envelope), so each route decides
// here, in one place, which answers are data and which are MjApiErrors.
import { MjApiError } from './errors.js';
import { describeBody, parseBody, parseRetryAfter } from './http-body.js';
import { MjTaskListSchema, MjTaskSchema, SubmitResultSchema } from './schema.js';
import type { MjTask, SubmitResult } from './schema.js';

export interface RawResponse {
  status: number;
  /** Lower-case header names, as undici gives them. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface InterpretContext {
  /** Route pattern without host, e.g. "GET /mj/task/{id}/fetch". */
  route: string;
  /** Redacted from every snippet. */
  secret: string;
  nowMs: number;
}

const TASK_NOT_FOUND_MARKER = 'task_no_found';

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function upstream(res: RawResponse, ctx: InterpretContext, what?: string): MjApiError {
  const said = what ?? describeBody(res.text, res.status, ctx.secret);
  return new MjApiError('upstream', `The Midjourney API gave an unusable answer: ${said}.`, {
    status: res.status,
    route: ctx.route,
  });
}

/** Answers that mean the same on every route: bad key, rate limit, server failure, redirects. */
function commonFailure(res: RawResponse, ctx: InterpretContext): MjApiError | null {
  const { status } = res;
  if (status === 401 || status === 403) {
    return new MjApiError(
      'unauthorized',
      `The Midjourney API refused the API key (${describeBody(res.text, status, ctx.secret)}).`,
      {
        status,
        route: ctx.route,
      },
    );
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(header(res, 'retry-after'), ctx.nowMs);
    return new MjApiError('rate_limited', `The Midjourney API is rate limiting requests (HTTP 429).`, {
      status,
      route: ctx.route,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status >= 500 || (status >= 300 && status < 400)) return upstream(res, ctx);
  return null;
}

function unsupported(res: RawResponse, ctx: InterpretContext): MjApiError {
  return new MjApiError('unsupported', `This Midjourney API does not offer ${ctx.route} (HTTP ${res.status}).`, {
    status: res.status,
    route: ctx.route,
  });
}

function notFound(res: RawResponse, ctx: InterpretContext, id: string): MjApiError {
  return new MjApiError('not_found', `Task ${id} was not found.`, { status: res.status, route: ctx.route });
}

function unusableBody(
  res: RawResponse,
  ctx: InterpretContext,
  kind: 'html' | 'malformed' | 'empty' | 'shape',
): MjApiError {
  const hint = {
    html: `the API answered with an HTML page (HTTP ${res.status})`,
    malformed: `malformed JSON (HTTP ${res.status})`,
    empty: `an empty body (HTTP ${res.status})`,
    shape: `JSON of an unexpected shape (HTTP ${res.status})`,
  }[kind];
  return upstream(res, ctx, hint);
}

/** GET /mj/task/{id}/fetch */
export function interpretFetchTask(res: RawResponse, ctx: InterpretContext, id: string): MjTask {
  if (res.status === 204 || res.status === 404) throw notFound(res, ctx, id);
  const common = commonFailure(res, ctx);
  if (common) throw common;
  const body = parseBody(res.text);
  if (res.status >= 200 && res.status < 300) {
    if (body.kind === 'empty') throw notFound(res, ctx, id);
    if (body.kind === 'html' || body.kind === 'malformed') throw unusableBody(res, ctx, body.kind);
    const task = MjTaskSchema.safeParse(body.value);
    if (task.success) return task.data;
  }
  if (res.text.includes(TASK_NOT_FOUND_MARKER)) throw notFound(res, ctx, id);
  if (res.status >= 200 && res.status < 300) throw unusableBody(res, ctx, 'shape');
  throw upstream(res, ctx);
}

/** A list body: a bare array, or one wrapped as {result:[…]} / {data:[…]} by some aggregators. */
function listItems(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value as unknown[];
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.result)) return o.result as unknown[];
    if (Array.isArray(o.data)) return o.data as unknown[];
  }
  return null;
}

/** POST /mj/task/list-by-condition */
export function interpretTaskList(res: RawResponse, ctx: InterpretContext): MjTask[] {
  if (res.status === 404 || res.status === 405) throw unsupported(res, ctx);
  const common = commonFailure(res, ctx);
  if (common) throw common;
  if (res.status < 200 || res.status >= 300) throw upstream(res, ctx);
  const body = parseBody(res.text);
  if (body.kind !== 'json') throw unusableBody(res, ctx, body.kind);
  const items = listItems(body.value);
  if (!items) throw unusableBody(res, ctx, 'shape');
  return MjTaskListSchema.parse(items);
}

function toSubmitResult(value: unknown): SubmitResult | null {
  const parsed = SubmitResultSchema.safeParse(value);
  if (!parsed.success) return null;
  // new-api appends the (often empty) result to the description: "task_no_found ".
  return { ...parsed.data, description: parsed.data.description.trim() };
}

/** A 404 whose body reads like a framework's "no such route" page rather than an API answer. */
function looksLikeMissingRoute(text: string): boolean {
  const body = parseBody(text);
  if (body.kind === 'empty' || body.kind === 'html') return true;
  return /not\s*found|cannot\s+(get|post)|no\s+(such\s+)?route/i.test(text);
}

/**
 * POST /mj/submit/*. Any business envelope {code, description, result} is returned as it is, whatever
 * the code and even on a 4xx (new-api's own 400s, FORK's 404 code 3): the caller decides what it means.
 */
export function parseSubmitResponse(res: RawResponse, ctx: InterpretContext): SubmitResult {
  const common = commonFailure(res, ctx);
  if (common) throw common;
  if (res.status === 405) throw unsupported(res, ctx);
  const body = parseBody(res.text);
  if (body.kind === 'json') {
    const result = toSubmitResult(body.value);
    if (result) return result;
  }
  if (res.status >= 200 && res.status < 300) {
    throw unusableBody(res, ctx, body.kind === 'json' ? 'shape' : body.kind);
  }
  if (res.status === 404 && looksLikeMissingRoute(res.text)) throw unsupported(res, ctx);
  throw upstream(res, ctx);
}
