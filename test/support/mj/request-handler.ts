// Answering one request: match the route the dialect serves, log it, apply a fault aimed at it, let the
// dialect's gate refuse it, then fetch, list or submit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { submitChange, submitSimpleChange } from './change.js';
import type { DialectProfile } from './dialects/index.js';
import type { FaultPauses } from './fault-pauses.js';
import {
  deepPropertiesJson,
  type FaultBook,
  sendAnswer,
  sendBadRequestBody,
  sendJson,
  sendJsonText,
  sendRouteNotFound,
  sendUnknownId,
} from './http-replies.js';
import { serveImage } from './image-route.js';
import type { RequestLog } from './request-log.js';
import { matchRoute, parseBody, readBody } from './routes.js';
import type { ServedJson } from './served-json.js';
import type { TaskStore } from './store.js';
import { submitAction, submitImagine, submitModal, type SubmitDeps } from './submit.js';
import { submitBlend, submitDescribe } from './submit-images.js';
import { submitShorten } from './shorten.js';
import type { ServerState } from './types.js';

type Json = Record<string, unknown>;

export interface HandlerContext {
  profile: DialectProfile;
  /** The path prefix, without a trailing slash. */
  prefix: string;
  apiKey: string;
  state: ServerState;
  now: () => number;
  store: TaskStore;
  faults: FaultBook;
  pauses: FaultPauses;
  log: RequestLog;
  json: ServedJson;
  /** Who sent a request: the caller whose door (port) it came through (MjStandIn.baseUrlFor), else ''. */
  callerOf: (req: IncomingMessage) => string;
  deps: SubmitDeps;
  pictures: boolean;
}

export function requestHandler(ctx: HandlerContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { profile, prefix, apiKey, state, store, faults, pauses, log, json, deps } = ctx;
  const flavor = profile.flavor;

  async function listByCondition(body: unknown, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ids =
      body && typeof body === 'object' && Array.isArray((body as Json).ids) ? ((body as Json).ids as unknown[]) : [];
    const out: Json[] = [];
    const deepAt = new Map<number, number>();
    const seen = new Set<string>();
    for (const raw of ids) {
      const id = String(raw);
      if (seen.has(id)) continue;
      seen.add(id);
      log.askedAbout(id, ctx.now(), 'list', ctx.callerOf(req));
      const fault = faults.empty ? undefined : faults.take(id);
      if (fault?.kind === 'unknownId') continue;
      const task = store.get(id);
      if (fault?.kind === 'deepProperties') {
        if (task) deepAt.set(out.push(json.fetchedNow(task)) - 1, fault.depth);
        continue;
      }
      if (fault && (await pauses.apply(fault, req, res, 'list-by-condition', JSON.stringify(body)))) return;
      if (task && !json.hiddenNow(task)) out.push(...json.rowsNow(task));
    }
    if (deepAt.size === 0) return sendJson(res, 200, out);
    const rows = out.map((row, i) => {
      const depth = deepAt.get(i);
      return depth === undefined ? JSON.stringify(row) : deepPropertiesJson(row, depth);
    });
    sendJsonText(res, 200, `[${rows.join(',')}]`);
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const matched = matchRoute(method, url, prefix, true);
    const known = matched && profile.routes.has(matched.route) && (profile.listByIdsAlias || !matched.alias);
    const match = known ? matched : null;
    const body = parseBody(text);
    log.record(match?.route ?? 'unmatched', () => ({
      at: ctx.now(),
      method,
      path: url,
      route: match?.route ?? null,
      headers: { ...req.headers },
      body: body.value,
    }));
    if (!match) {
      const path = (url.split('?')[0] ?? '').slice(prefix.length);
      const gated = profile.unknownPathGate?.(path, { headers: req.headers, apiKey });
      if (gated) return sendAnswer(res, gated);
      return profile.routeNotFound ? sendAnswer(res, profile.routeNotFound) : sendRouteNotFound(res, flavor, req);
    }

    const fault = faults.empty
      ? undefined
      : (faults.take(match.route) ??
        (match.route === 'fetch' && match.id ? faults.take(match.id) : undefined) ??
        (match.route !== 'images' ? faults.take('*') : undefined));
    if (fault?.kind === 'deepProperties') {
      const task = store.get(match.id ?? '');
      if (task) return sendJsonText(res, 200, deepPropertiesJson(json.fetchedNow(task), fault.depth));
    }
    if (fault && (await pauses.apply(fault, req, res, match.route, text))) return;
    if (match.route === 'images') return serveImage(store, ctx.pictures, match, req, res);
    const gated = profile.gate({
      route: match.route,
      method,
      url,
      headers: req.headers,
      body: body.value,
      apiKey,
      state,
      now: ctx.now(),
    });
    if (gated) return sendAnswer(res, gated);

    switch (match.route) {
      case 'fetch': {
        log.askedAbout(match.id ?? '', ctx.now(), 'fetch', ctx.callerOf(req));
        const task = store.get(match.id ?? '');
        if (!task || json.hiddenNow(task)) return sendUnknownId(res, profile.unknownIdShape);
        return sendJson(res, 200, json.fetchedNow(task));
      }
      case 'image-seed': {
        const task = store.get(match.id ?? '');
        const known = task && !json.hiddenNow(task) ? task : undefined;
        const answer = profile.imageSeed?.(known, known ? json.upstreamAt(known, ctx.now()) : undefined);
        return answer ? sendAnswer(res, answer) : sendRouteNotFound(res, flavor, req);
      }
      case 'list-by-condition':
        return listByCondition(body.value, req, res);
      case 'list':
        return sendJson(
          res,
          200,
          store
            // nzk lists all (listLimit null); the fork and the generic stand-in the latest 100.
            .latest(profile.listLimit === null ? Number.MAX_SAFE_INTEGER : (profile.listLimit ?? 100))
            .filter((t) => !json.hiddenNow(t))
            .map(json.servedNow),
        );
      default: {
        if (!body.json || !body.value || typeof body.value !== 'object' || Array.isArray(body.value))
          return sendBadRequestBody(res, flavor, req);
        const submit = {
          imagine: submitImagine,
          action: submitAction,
          modal: submitModal,
          change: submitChange,
          'simple-change': submitSimpleChange,
          describe: submitDescribe,
          blend: submitBlend,
          shorten: submitShorten,
        }[match.route];
        const reply = submit(deps, body.value as Json, url.split('?')[0] ?? '');
        return sendJson(res, reply.status, reply.body);
      }
    }
  };
}
