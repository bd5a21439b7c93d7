// createMjStandIn: a local Midjourney proxy / new-api aggregator on 127.0.0.1 for e2e tests and benchmarks.
// Tasks live in a Map and their state is computed from the clock when asked, so it scales to 10,000
// tasks in flight without a timer per task. See ./types.ts for the options and the control surface.
// This file wires the parts and holds the control surface; answering a request is ./request-handler.ts,
// applying a fault ./fault-pauses.ts, the served JSON ./served-json.ts, the request log ./request-log.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wrapClock } from './clock.js';
import { profileFor } from './dialects/index.js';
import { FaultPauses } from './fault-pauses.js';
import { FaultBook } from './http-replies.js';
import { HookNotifier } from './notify.js';
import { requestHandler } from './request-handler.js';
import { RequestLog } from './request-log.js';
import { servedJson } from './served-json.js';
import { TaskStore } from './store.js';
import type { SubmitDeps } from './submit.js';
import { DEFAULT_TIMELINE, type StoredTask } from './task-view.js';
import type { ForcedSubmit, MjStandIn, MjStandInOptions, ServerState, SubmitRoute, TaskOptions } from './types.js';

export async function createMjStandIn(opts: MjStandInOptions = {}): Promise<MjStandIn> {
  const apiKey = opts.apiKey ?? 'sk-test-key';
  const profile = profileFor(opts);
  const flavor = profile.flavor;
  const state: ServerState = {
    forkLimit: null,
    forkGuest: false,
    forkUploadsDisabled: false,
    tokenStatus: 'active',
    tokenModels: null,
  };
  const prefix = (opts.pathPrefix ?? '').replace(/\/+$/, '');
  const refreshMs = opts.aggregatorRefreshMs ?? 15_000;

  const clock = wrapClock(opts.clock, () => notifier.scan(clock.now()));
  const now = () => clock.now();
  const store = new TaskStore(now, { ...DEFAULT_TIMELINE, ...opts.timeline }, opts.unknownForMs ?? 0);
  const faults = new FaultBook();
  const pauses = new FaultPauses();
  const forced = new Map<SubmitRoute, ForcedSubmit[]>();
  const taskOptionQueue: TaskOptions[] = [];
  const log = new RequestLog(prefix, opts.logRequests ?? true);
  let baseUrl = '';
  const json = servedJson(profile, now, refreshMs, () => baseUrl);

  const notifier = new HookNotifier((id) => store.get(id), json.upstreamAt, opts.hookPoolSize);
  const deps: SubmitDeps = {
    flavor,
    rules: profile.submit,
    store,
    now,
    remix: opts.remix ?? false,
    bannedWords: opts.bannedWords ?? [],
    forwardNotifyHook: opts.aggregatorForwardsNotifyHook ?? false,
    takeForced: (route) => forced.get(route)?.shift(),
    takeTaskOptions: (prompt) => taskOptionQueue.shift() ?? opts.taskOptionsFor?.(prompt, clock.now()) ?? {},
    upstreamNow: (task) => json.upstreamAt(task, clock.now()),
    aggregatorNow: (task) => json.servedNow(task),
    changed: (task) => notifier.emitNow(task, clock.now()),
  };
  /** The caller of each door opened by baseUrlFor, by its port; the first door's callers are ''. */
  const callers = new Map<number, string>();
  const handle = requestHandler({
    callerOf: (req) => callers.get(req.socket.localPort ?? 0) ?? '',
    profile,
    prefix,
    apiKey,
    state,
    now,
    store,
    faults,
    pauses,
    log,
    json,
    deps,
    pictures: opts.pictures ?? false,
  });

  // One handler behind every door (port): a door is one caller's, so the log can tell callers apart.
  const servers: Server[] = [];
  async function openDoor(): Promise<string> {
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
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const origin = await openDoor();
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
    requests: log.entries,
    hookDeliveries: notifier.deliveries,
    task: (id) => {
      const task = store.get(id);
      return task ? json.fetchedNow(task) : undefined;
    },
    createTask(seed = {}) {
      const task = store.createFromSeed(seed);
      notifier.emitNow(task, clock.now());
      return task.id;
    },
    addRawTask: (raw) => store.addRaw(raw).id,
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
    countRequests: (route) => log.count(route),
    countIdsAsked: () => log.idsAsked,
    askStats: () => log.askStats(),
    async baseUrlFor(caller) {
      const door = await openDoor();
      callers.set(Number(new URL(door).port), caller);
      return door + prefix;
    },
    clearRequests: () => log.clear(),
    async close() {
      if (pauses.closed) return;
      pauses.close();
      await notifier.close();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
