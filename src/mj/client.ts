// The real MjApi: one keep-alive undici Pool for the API's origin, a hard deadline per request, and
// route-by-route interpretation of answers (./interpret-response.ts). Errors are MjApiErrors whose
// messages never hold the key, the host or a long body.
import { Pool } from 'undici-7';
import { systemClock } from '../clock.js';
import type { Clock } from '../clock.js';
import type { MjApi, NewTaskChoices, SubmitCallbackOptions, SubmitChangeRequest } from './api.js';
import type { DialectProbe, ProbeAnswer } from './dialect.js';
import { readText, transportError } from './http-transport.js';
import { interpretFetchTask, parseSubmitResponse, interpretTaskList } from './interpret-response.js';
import type { InterpretContext, RawResponse } from './interpret-response.js';
import type { MjTask, SubmitResult } from './schema.js';
import { ROUTES, MAX_ANSWER_BYTES, type Route } from './routes.js';
import { validateTaskId } from './task-id.js';

export interface MjClientOptions {
  /** e.g. "http://host:8080/" or "https://agg.example/v1/"; "/mj/…" is appended to its path. */
  baseUrl: string;
  apiKey: string;
  /** 'bearer' → `Authorization: Bearer <key>` (aggregators); 'mj-api-secret' → `mj-api-secret: <key>` (proxies). */
  authHeader: 'bearer' | 'mj-api-secret';
  /** Whole-request deadline: connect, headers and body. Default 15000. */
  timeoutMs?: number;
  /** Keep-alive sockets to the origin. Default 24. */
  connections?: number;
  /** For Retry-After dates. Default: the system clock. */
  clock?: Clock;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
/**
 * The request budget (tracking/mj-budget.ts) keeps at most 16 calls out, at most 4 of them polls of up
 * to LIST_CONCURRENCY requests each: 12 + 4 × 2 = 20 fit, so no request waits here for a socket,
 * where its deadline would run before it is sent.
 */
export const DEFAULT_CONNECTIONS = 24;
/** Ids per list-by-condition request; aggregators cap or slow down on larger bodies. */
export const LIST_CHUNK_SIZE = 100;
const LIST_CONCURRENCY = 2;

function parseBaseUrl(baseUrl: string): { origin: string; pathPrefix: string } {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new Error('The Midjourney API base URL is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error('The Midjourney API base URL must start with http:// or https://.');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error('The Midjourney API base URL must not contain credentials, a query or a fragment.');
  }
  return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

function normaliseKey(apiKey: string, authHeader: MjClientOptions['authHeader']): string {
  let key = apiKey.trim();
  if (authHeader === 'bearer') key = key.replace(/^Bearer\s+/i, '');
  // Visible ASCII only: anything else would be refused by undici, or worse, split a header.
  if (!/^[\x21-\x7e]+$/.test(key)) throw new Error('The Midjourney API key is empty or contains invalid characters.');
  return key;
}

/** botType and accountFilter only when asked: servers without them must see the body they know. */
function choiceFields(req: NewTaskChoices): Record<string, unknown> {
  return {
    ...(req.botType ? { botType: req.botType } : {}),
    ...(req.modes && req.modes.length > 0 ? { accountFilter: { modes: [...req.modes] } } : {}),
  };
}

function callbackFields(req: SubmitCallbackOptions): Record<string, string> {
  const out: Record<string, string> = {};
  if (req.notifyHook) out.notifyHook = req.notifyHook;
  if (req.state) out.state = req.state;
  return out;
}

/** Runs `fn` over `items` with at most `limit` at a time; results keep the order of `items`. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The HTTP client: the bot's MjApi, /submit/change, and the read-only probes detectDialect asks. */
export interface MjHttpClient extends MjApi {
  submitChange(req: SubmitChangeRequest): Promise<SubmitResult>;
  fetchImageSeed(id: string): Promise<SubmitResult>;
  probe: DialectProbe;
}

export function createMjClient(options: MjClientOptions): MjHttpClient {
  const { origin, pathPrefix } = parseBaseUrl(options.baseUrl);
  const apiKey = normaliseKey(options.apiKey, options.authHeader);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? systemClock;
  const pool = new Pool(origin, {
    connections: options.connections ?? DEFAULT_CONNECTIONS,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const authHeaders: Record<string, string> =
    options.authHeader === 'bearer' ? { authorization: `Bearer ${apiKey}` } : { 'mj-api-secret': apiKey };
  let closing: Promise<void> | null = null;

  const context = (route: string): InterpretContext => ({ route, secret: apiKey, nowMs: clock.now() });

  async function send(
    method: 'GET' | 'POST',
    path: string,
    route: Route,
    body?: unknown,
    headers: Record<string, string> = authHeaders,
  ): Promise<RawResponse> {
    const controller = new AbortController();
    let deadlineHit = false;
    const timer = setTimeout(() => {
      deadlineHit = true;
      controller.abort();
    }, timeoutMs);
    try {
      const res = await pool.request({
        method,
        path: `${pathPrefix}${path}`,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      // Always read the body to its end: undici only reuses a socket whose response was consumed.
      const text = await readText(res, MAX_ANSWER_BYTES[route]);
      return { status: res.statusCode, headers: res.headers, text };
    } catch (err) {
      throw transportError(err, deadlineHit, timeoutMs, route);
    } finally {
      clearTimeout(timer);
    }
  }

  async function submit(path: string, route: Route, body: Record<string, unknown>): Promise<SubmitResult> {
    const res = await send('POST', path, route, body);
    return parseSubmitResponse(res, context(route));
  }

  return {
    async fetchTask(rawId: string): Promise<MjTask> {
      const id = validateTaskId(rawId);
      const res = await send('GET', `/mj/task/${encodeURIComponent(id)}/fetch`, ROUTES.fetch);
      return interpretFetchTask(res, context(ROUTES.fetch), id);
    },

    async fetchTasks(rawIds: string[]): Promise<MjTask[]> {
      const ids = [...new Set(rawIds.map(validateTaskId))];
      if (ids.length === 0) return [];
      const chunks: string[][] = [];
      for (let i = 0; i < ids.length; i += LIST_CHUNK_SIZE) chunks.push(ids.slice(i, i + LIST_CHUNK_SIZE));
      const lists = await mapLimited(chunks, LIST_CONCURRENCY, async (chunk) => {
        const res = await send('POST', '/mj/task/list-by-condition', ROUTES.list, { ids: chunk });
        return interpretTaskList(res, context(ROUTES.list));
      });
      return lists.flat();
    },

    async recentTasks(): Promise<MjTask[]> {
      const res = await send('GET', '/mj/task/list', ROUTES.recent);
      return interpretTaskList(res, context(ROUTES.recent));
    },

    async submitAction(req) {
      const taskId = validateTaskId(req.taskId);
      return submit('/mj/submit/action', ROUTES.action, { taskId, customId: req.customId, ...callbackFields(req) });
    },

    async submitModal(req) {
      const taskId = validateTaskId(req.taskId);
      return submit('/mj/submit/modal', ROUTES.modal, {
        taskId,
        prompt: req.prompt,
        ...(req.maskBase64 ? { maskBase64: req.maskBase64 } : {}),
        ...callbackFields(req),
      });
    },

    async submitImagine(req) {
      return submit('/mj/submit/imagine', ROUTES.imagine, {
        prompt: req.prompt,
        ...(req.base64Array && req.base64Array.length > 0 ? { base64Array: req.base64Array } : {}),
        ...choiceFields(req),
        ...callbackFields(req),
      });
    },

    async submitDescribe(req) {
      return submit('/mj/submit/describe', ROUTES.describe, {
        base64: req.base64,
        ...choiceFields(req),
        ...callbackFields(req),
      });
    },

    async submitBlend(req) {
      return submit('/mj/submit/blend', ROUTES.blend, {
        base64Array: req.base64Array,
        dimensions: req.dimensions,
        ...choiceFields(req),
        ...callbackFields(req),
      });
    },

    async submitShorten(req) {
      return submit('/mj/submit/shorten', ROUTES.shorten, {
        prompt: req.prompt,
        ...choiceFields(req),
        ...callbackFields(req),
      });
    },

    async submitVideo(req) {
      return submit('/mj/submit/video', ROUTES.video, {
        prompt: req.prompt,
        motion: req.motion,
        image: req.image,
        ...choiceFields(req),
        ...callbackFields(req),
      });
    },

    async submitChange(req) {
      const taskId = validateTaskId(req.taskId);
      return submit('/mj/submit/change', ROUTES.change, {
        taskId,
        action: req.action,
        index: req.index,
        ...callbackFields(req),
      });
    },

    async fetchImageSeed(rawId) {
      const id = validateTaskId(rawId);
      const res = await send('GET', `/mj/task/${encodeURIComponent(id)}/image-seed`, ROUTES.imageSeed);
      return parseSubmitResponse(res, context(ROUTES.imageSeed));
    },

    async probe(method, path, headers): Promise<ProbeAnswer> {
      const res = await send(method, path, ROUTES.probe, undefined, headers ?? authHeaders);
      return { status: res.status, headers: res.headers, bodyText: res.text };
    },

    close(): Promise<void> {
      closing ??= pool.close();
      return closing;
    },
  };
}
