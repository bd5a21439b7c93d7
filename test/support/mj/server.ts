// createMjStandIn: a local Midjourney proxy / new-api aggregator on 127.0.0.1 for e2e tests and benchmarks.
// Tasks live in a Map and their state is computed from the clock when asked, so it scales to 10,000
// tasks in flight without a timer per task. See ./types.ts for the options and the control surface.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { submitChange, submitSimpleChange } from './change.js';
import { wrapClock } from './clock.js';
import { profileFor } from './dialects/index.js';
import {
  deepPropertiesJson,
  FaultBook,
  sendAnswer,
  sendBadRequestBody,
  sendJson,
  sendJsonText,
  sendRouteNotFound,
  sendUnknownId,
  writeFault,
} from './http-replies.js';
import { mp4OfSize, pngOfSize, TINY_WEBP } from './images.js';
import { dataUrlBytes } from './image-inputs.js';
import { picturePng, type PictureRequest } from './pictures.js';
import { HookNotifier } from './notify.js';
import { matchRoute, parseBody, readBody, ROUTE_NAMES, type RouteMatch } from './routes.js';
import { TaskStore } from './store.js';
import { submitAction, submitImagine, submitModal, type SubmitDeps } from './submit.js';
import { submitBlend, submitDescribe } from './submit-images.js';
import { submitShorten } from './shorten.js';
import { aggregatorView, DEFAULT_TIMELINE, upstreamView, type StoredTask } from './task-view.js';
import type {
  ForcedSubmit,
  MjFault,
  MjStandIn,
  MjStandInOptions,
  RequestLogEntry,
  RouteName,
  ServerState,
  SubmitRoute,
  TaskOptions,
} from './types.js';

type Json = Record<string, unknown>;
const ROUTE_NAME_SET = new Set<string>(ROUTE_NAMES);

export async function createMjStandIn(opts: MjStandInOptions = {}): Promise<MjStandIn> {
  const apiKey = opts.apiKey ?? 'sk-test-key';
  const profile = profileFor(opts);
  const flavor = profile.flavor;
  const unknownIdShape = profile.unknownIdShape;
  const state: ServerState = {
    forkLimit: null,
    forkGuest: false,
    forkUploadsDisabled: false,
    tokenStatus: 'active',
    tokenModels: null,
  };
  const prefix = (opts.pathPrefix ?? '').replace(/\/+$/, '');
  const refreshMs = opts.aggregatorRefreshMs ?? 15_000;
  const logRequests = opts.logRequests ?? true;

  const clock = wrapClock(opts.clock, () => notifier.scan(clock.now()));
  const store = new TaskStore(() => clock.now(), { ...DEFAULT_TIMELINE, ...opts.timeline }, opts.unknownForMs ?? 0);
  const faults = new FaultBook();
  const forced = new Map<SubmitRoute, ForcedSubmit[]>();
  const taskOptionQueue: TaskOptions[] = [];
  const requests: RequestLogEntry[] = [];
  const counts = new Map<string, number>();
  /** Task ids asked about (one per fetch, one per distinct id of a list-by-condition): what polling costs per task. */
  let idsAsked = 0;
  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  const holds = new Set<() => void>();
  let baseUrl = '';
  let closed = false;

  /** The proxy's own JSON of the task, as the dialect serialises it, before patches. */
  const proxyJson = (task: StoredTask, at: number): Json =>
    profile.shapeUpstream(upstreamView(task, at, baseUrl, profile.successButtons), task, baseUrl);
  const upstreamAt = (task: StoredTask, at: number): Json =>
    task.raw ? { ...task.raw, ...task.patch } : { ...proxyJson(task, at), ...task.patch };
  const servedNow = (task: StoredTask): Json => {
    if (task.raw) return { ...task.raw, ...task.patch };
    const laterRow = task.modalRowAt === undefined ? undefined : { insertedAt: task.modalRowAt, action: 'MODAL' };
    const view =
      flavor === 'aggregator'
        ? aggregatorView(task, clock.now(), baseUrl, refreshMs, { laterRow, upstream: proxyJson })
        : proxyJson(task, clock.now());
    return task.patch ? { ...view, ...task.patch } : view;
  };
  /** new-api after a modal: /fetch's First() finds the older, frozen row; list-by-condition returns both. */
  const fetchedNow = (task: StoredTask): Json =>
    task.staleRow ? { ...task.staleRow, ...task.patch } : servedNow(task);
  const rowsNow = (task: StoredTask): Json[] =>
    task.staleRow ? [fetchedNow(task), servedNow(task)] : [servedNow(task)];
  const hiddenNow = (task: StoredTask) => task.unknownForMs > 0 && clock.now() - task.submitTime < task.unknownForMs;

  const notifier = new HookNotifier((id) => store.get(id), upstreamAt, opts.hookPoolSize);
  const deps: SubmitDeps = {
    flavor,
    rules: profile.submit,
    store,
    now: () => clock.now(),
    remix: opts.remix ?? false,
    bannedWords: opts.bannedWords ?? [],
    forwardNotifyHook: opts.aggregatorForwardsNotifyHook ?? false,
    takeForced: (route) => forced.get(route)?.shift(),
    takeTaskOptions: (prompt) => taskOptionQueue.shift() ?? opts.taskOptionsFor?.(prompt, clock.now()) ?? {},
    upstreamNow: (task) => upstreamAt(task, clock.now()),
    aggregatorNow: (task) => servedNow(task),
    changed: (task) => notifier.emitNow(task, clock.now()),
  };

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry: { timer?: NodeJS.Timeout; wake: () => void } = {
        wake: () => {
          sleepers.delete(entry as { timer: NodeJS.Timeout; wake: () => void });
          resolve();
        },
      };
      entry.timer = setTimeout(entry.wake, ms);
      sleepers.add(entry as { timer: NodeJS.Timeout; wake: () => void });
    });
  }

  /** Applies a fault. Returns true when the answer was written (the request is done). */
  async function applyFault(
    fault: MjFault,
    req: IncomingMessage,
    res: ServerResponse,
    route: RouteName,
    requestText = '',
  ): Promise<boolean> {
    if (fault.kind === 'slow') {
      await sleep(fault.delayMs);
      return closed;
    }
    if (fault.kind === 'held') {
      await new Promise<void>((resolve) => {
        const wake = () => {
          holds.delete(wake);
          resolve();
        };
        holds.add(wake);
        fault.until.then(wake, wake);
      });
      return closed;
    }
    if (fault.kind === 'unknownId') {
      if (route === 'list-by-condition') sendJson(res, 200, []);
      else sendUnknownId(res, fault.shape);
      return true;
    }
    writeFault(req, res, fault, requestText);
    return true;
  }

  function serveImage(match: RouteMatch, req: IncomingMessage, res: ServerResponse): void {
    const task = store.get(match.id ?? '');
    if (!task) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    const described = !match.video && match.previewStep === undefined ? dataUrlBytes(task.describedImage) : null;
    if (described !== null) {
      res.writeHead(200, { 'content-type': described.type, 'content-length': described.bytes.length });
      res.end(req.method === 'HEAD' ? undefined : described.bytes);
      return;
    }
    const picture = opts.pictures && !match.video ? picturePng(pictureRequest(task, match.previewStep)) : null;
    const bytes =
      picture ??
      (match.video
        ? mp4OfSize(task.imageBytes)
        : match.previewStep === undefined
          ? pngOfSize(task.imageBytes)
          : TINY_WEBP);
    // A picture preview is a PNG under the .webp name the proxies use: the bot only links previews, and
    // browsers go by the content type.
    res.writeHead(200, {
      'content-type':
        picture !== null
          ? 'image/png'
          : match.video
            ? 'video/mp4'
            : match.previewStep === undefined
              ? 'image/png'
              : 'image/webp',
      'content-length': bytes.length,
    });
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  /** Which picture a task shows: an upscale the tile its parent's grid had, a grid its own prompt's. */
  function pictureRequest(task: StoredTask, previewStep: number | undefined): PictureRequest {
    const parent = task.parentId !== undefined ? store.get(task.parentId) : undefined;
    const tile = /::(?:upsample|video_virtual_upscale)::([1-4])\b/.exec(task.description)?.[1];
    const base =
      parent && tile !== undefined
        ? { prompt: parent.prompt, tile: Number(tile) }
        : { prompt: task.action === 'IMAGINE' ? task.prompt : `${task.prompt}/${task.id}` };
    return previewStep === undefined ? base : { ...base, progress: previewStep };
  }

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
      idsAsked += 1;
      const fault = faults.empty ? undefined : faults.take(id);
      if (fault?.kind === 'unknownId') continue;
      const task = store.get(id);
      if (fault?.kind === 'deepProperties') {
        if (task) deepAt.set(out.push(fetchedNow(task)) - 1, fault.depth);
        continue;
      }
      if (fault && (await applyFault(fault, req, res, 'list-by-condition', JSON.stringify(body)))) return;
      if (task && !hiddenNow(task)) out.push(...rowsNow(task));
    }
    if (deepAt.size === 0) return sendJson(res, 200, out);
    const rows = out.map((row, i) => {
      const depth = deepAt.get(i);
      return depth === undefined ? JSON.stringify(row) : deepPropertiesJson(row, depth);
    });
    sendJsonText(res, 200, `[${rows.join(',')}]`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const matched = matchRoute(method, url, prefix, true);
    const known = matched && profile.routes.has(matched.route) && (profile.listByIdsAlias || !matched.alias);
    const match = known ? matched : null;
    const body = parseBody(text);
    if (logRequests)
      requests.push({
        at: clock.now(),
        method,
        path: url,
        route: match?.route ?? null,
        headers: { ...req.headers },
        body: body.value,
      });
    const key = match?.route ?? 'unmatched';
    counts.set(key, (counts.get(key) ?? 0) + 1);
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
      if (task) return sendJsonText(res, 200, deepPropertiesJson(fetchedNow(task), fault.depth));
    }
    if (fault && (await applyFault(fault, req, res, match.route, text))) return;
    if (match.route === 'images') return serveImage(match, req, res);
    const gated = profile.gate({
      route: match.route,
      method,
      url,
      headers: req.headers,
      body: body.value,
      apiKey,
      state,
      now: clock.now(),
    });
    if (gated) return sendAnswer(res, gated);

    switch (match.route) {
      case 'fetch': {
        idsAsked += 1;
        const task = store.get(match.id ?? '');
        if (!task || hiddenNow(task)) return sendUnknownId(res, unknownIdShape);
        return sendJson(res, 200, fetchedNow(task));
      }
      case 'image-seed': {
        const task = store.get(match.id ?? '');
        const known = task && !hiddenNow(task) ? task : undefined;
        const answer = profile.imageSeed?.(known, known ? upstreamAt(known, clock.now()) : undefined);
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
            .filter((t) => !hiddenNow(t))
            .map(servedNow),
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
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`stand-in error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  baseUrl = origin + prefix;

  const requireTask = (id: string): StoredTask => {
    const task = store.get(id);
    if (!task) throw new Error(`no task ${id} in the stand-in`);
    return task;
  };

  return {
    baseUrl,
    origin,
    apiKey,
    flavor,
    dialect: opts.dialect ?? null,
    clock,
    requests,
    hookDeliveries: notifier.deliveries,
    task: (id) => {
      const task = store.get(id);
      return task ? fetchedNow(task) : undefined;
    },
    createTask(seed = {}) {
      const task = store.createFromSeed(seed);
      notifier.emitNow(task, clock.now());
      return task.id;
    },
    addRawTask: (json) => store.addRaw(json).id,
    setTask(id, patch) {
      const task = requireTask(id);
      task.patch = { ...task.patch, ...patch };
    },
    setRemix(on) {
      deps.remix = on;
    },
    setServerState: (patch) => void Object.assign(state, patch),
    nextSubmit(route, response) {
      const list = forced.get(route) ?? [];
      list.push(response);
      forced.set(route, list);
    },
    nextTask: (options) => void taskOptionQueue.push(options),
    fault: (target, fault, times = Number.POSITIVE_INFINITY) => faults.add(target, fault, times),
    clearFaults: () => faults.clear(),
    deliverDueHooks: () => notifier.scan(clock.now()),
    pushNow: (taskId) => notifier.pushNow(requireTask(taskId), clock.now()),
    pushRaw: (url, body) => notifier.pushRaw(url, body),
    flushHooks: () => notifier.flush(),
    countRequests(route) {
      if (route === undefined) return [...counts.values()].reduce((a, b) => a + b, 0);
      if (ROUTE_NAME_SET.has(route)) return counts.get(route) ?? 0;
      return requests.filter((r) => {
        const path = r.path.split('?')[0] ?? '';
        return path === route || path === prefix + route;
      }).length;
    },
    countIdsAsked: () => idsAsked,
    clearRequests() {
      requests.length = 0;
      counts.clear();
      idsAsked = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sleepers) {
        clearTimeout(s.timer);
        s.wake();
      }
      for (const wake of holds) wake();
      await notifier.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
