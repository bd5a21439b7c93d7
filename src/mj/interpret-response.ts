// Pure: what an HTTP answer from a Midjourney proxy means, per route. The dialects differ (NZK answers
// an unknown task with an empty 200, FORK with 204, new-api with a 400 envelope), so each route decides
// here, in one place, which answers are data and which are MjApiErrors.
import { MjApiError, type AuthProblem, type UnusableAnswer } from './errors.js';
import { apiMessage, describeBody, parseBody, parseRetryAfter, sanitizeSnippet, unusableOf } from './http-body.js';
import { stateRank } from './task.js';
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

function upstream(
  res: RawResponse,
  ctx: InterpretContext,
  what?: { hint: string; unusable: UnusableAnswer },
): MjApiError {
  const said = what?.hint ?? describeBody(res.text, res.status, ctx.secret);
  return new MjApiError('upstream', `The Midjourney API gave an unusable answer: ${said}.`, {
    status: res.status,
    route: ctx.route,
    unusable: what?.unusable ?? unusableOf(res.text, res.status, ctx.secret),
  });
}

/** The API's own sentence in an error body, redacted; new-api's masked key ("sk-abc***xyz") is cut out too. */
function ownMessage(res: RawResponse, ctx: InterpretContext): string | null {
  const body = parseBody(res.text);
  const said = body.kind === 'json' ? apiMessage(body.value) : null;
  if (said === null) return null;
  const text = sanitizeSnippet(
    said.replace(/\s*TokenStatus\w*\[[^\]]*\]/g, '').replace(/sk-\w*\*+\w*/g, 'sk-…'),
    ctx.secret,
  );
  return text === '' ? null : text;
}

/**
 * new-api's texts (model/token.go L73-114, middleware/distributor.go L61-92); the fork's 403 "账号不可用"
 * and its IP blacklist (src/Midjourney.API/SimpleAuthMiddleware.cs L86-120, RateLimitingMiddleware.cs
 * L102-143) are "forbidden".
 */
function authProblemOf(status: number, message: string | null): AuthProblem {
  const m = message ?? '';
  if (/额度|quota/i.test(m)) return 'quota_exhausted';
  if (/过期|expired/i.test(m)) return 'token_expired';
  if (/无权访问模型|not allowed to use model|model.*not.*allowed/i.test(m)) return 'model_not_allowed';
  return status === 403 ? 'forbidden' : 'key_rejected';
}

/** Answers that mean the same on every route: bad key, rate limit, server failure, redirects. */
function commonFailure(res: RawResponse, ctx: InterpretContext): MjApiError | null {
  const { status } = res;
  if (status === 401 || status === 403) {
    const message = ownMessage(res, ctx);
    return new MjApiError(
      'unauthorized',
      `The Midjourney API refused the API key (${describeBody(res.text, status, ctx.secret)}).`,
      {
        status,
        route: ctx.route,
        authProblem: authProblemOf(status, message),
        ...(message !== null ? { apiMessage: message } : {}),
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
    html: `an HTML page (HTTP ${res.status})`,
    malformed: `malformed JSON (HTTP ${res.status})`,
    empty: `an empty body (HTTP ${res.status})`,
    shape: `JSON of an unexpected shape (HTTP ${res.status})`,
  }[kind];
  return upstream(res, ctx, { hint, unusable: { what: kind, status: res.status } });
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
  return mostAdvancedPerId(MjTaskListSchema.parse(items));
}

/**
 * One task per id, the most advanced state of its rows (first seen on a tie), in first-seen order.
 * new-api keeps a second row with the same mj_id after /submit/modal and polls only one of them
 * (Calcium-Ion/new-api relay/relay-mj.go L414-420, L529-547; controller/midjourney.go L36-43), so the
 * other can stay MODAL or "" for ever, and row order is not guaranteed.
 */
export function mostAdvancedPerId(tasks: readonly MjTask[]): MjTask[] {
  const best = new Map<string, MjTask>();
  for (const task of tasks) {
    const seen = best.get(task.id);
    if (seen === undefined || stateRank(task) > stateRank(seen)) best.set(task.id, task);
  }
  return [...best.values()];
}

/**
 * new-api refuses a button it cannot bill in its distributor, before the relay, with an OpenAI-style
 * HTTP 400 {"error":{"message":"Invalid request, unknown_action:…","type":"new_api_error"}}
 * (Calcium-Ion/new-api middleware/distributor.go L37-41, L122-151; middleware/utils.go L9-19). Read as the
 * MJ envelope's code 4 with that text, so the classifier says "this server cannot run it".
 */
function newApiUnknownAction(res: RawResponse, value: unknown): SubmitResult | null {
  if (res.status < 400 || res.status >= 500 || !value || typeof value !== 'object') return null;
  const error = (value as Record<string, unknown>).error;
  const message = error && typeof error === 'object' ? (error as Record<string, unknown>).message : undefined;
  if (typeof message !== 'string') return null;
  const at = message.indexOf('unknown_action');
  if (at < 0) return null;
  return {
    code: 4,
    description: message.slice(at).replace(/\s*\(request id:[^)]*\)\s*$/, ''),
    result: null,
    properties: {},
  };
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
    const result = toSubmitResult(body.value) ?? newApiUnknownAction(res, body.value);
    if (result) return result;
  }
  if (res.status >= 200 && res.status < 300) {
    throw unusableBody(res, ctx, body.kind === 'json' ? 'shape' : body.kind);
  }
  if (res.status === 404 && looksLikeMissingRoute(res.text)) throw unsupported(res, ctx);
  throw upstream(res, ctx);
}
