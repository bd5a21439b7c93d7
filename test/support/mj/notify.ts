// notifyHook delivery like NZK/FORK/plus (NZK NotifyServiceImpl.java L36-81, FORK NotifyService.cs
// L40-44 and L115, plus docs/api.md §6): one POST of the full task JSON per state change (deduped on
// status:progress), no retries, no signature. Transitions are computed when the clock moves, so
// intermediate states skipped by a big advance() are still posted, in order, per task.
import { setMaxListeners } from 'node:events';
import { Agent, request } from 'undici-7';
import { transitionTimes, type StoredTask } from './task-view.js';
import type { HookDelivery } from './types.js';

type Json = Record<string, unknown>;
const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'CANCEL']);
/** NZK notifyPoolSize / FORK NotifyPoolSize: posts in flight at once, by default. */
export const DEFAULT_HOOK_POOL_SIZE = 10;

export class HookNotifier {
  readonly deliveries: HookDelivery[] = [];
  private readonly watched = new Map<string, { lastKey: string; lastAt: number }>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly waiting: (() => void)[] = [];
  private active = 0;
  private readonly agent = new Agent({ connectTimeout: 2_000, headersTimeout: 5_000, bodyTimeout: 5_000 });
  private readonly abort = new AbortController();

  constructor(
    private readonly getTask: (id: string) => StoredTask | undefined,
    /** The upstream JSON of the task at a clock time (what the proxy would post). */
    private readonly stateAt: (task: StoredTask, at: number) => Json,
    private readonly poolSize = DEFAULT_HOOK_POOL_SIZE,
  ) {
    // Every post in flight listens on the one abort signal: a larger pool would trip Node's leak warning.
    setMaxListeners(poolSize + 50, this.abort.signal);
  }

  /** Post the state at `now` if it changed since the last post, and follow the task from now on. */
  emitNow(task: StoredTask, now: number): void {
    if (!task.notifyHook) return;
    const entry = this.watched.get(task.id) ?? { lastKey: '', lastAt: now };
    this.watched.set(task.id, entry);
    this.emitIfChanged(task, entry, now);
    entry.lastAt = now;
  }

  /** Post every state change between the last scan and `now`. O(tasks with hooks) per call. */
  scan(now: number): void {
    for (const [id, entry] of this.watched) {
      const task = this.getTask(id);
      if (!task) {
        this.watched.delete(id);
        continue;
      }
      for (const t of transitionTimes(task)) {
        if (t > entry.lastAt && t <= now) this.emitIfChanged(task, entry, t);
      }
      entry.lastAt = Math.max(entry.lastAt, now);
    }
  }

  pushNow(task: StoredTask, now: number): Promise<HookDelivery> {
    if (!task.notifyHook) return Promise.reject(new Error(`task ${task.id} was not submitted with a notifyHook`));
    return this.enqueue(task.id, task.notifyHook, this.stateAt(task, now), now);
  }

  async pushRaw(url: string, body: unknown): Promise<{ status: number | null }> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const done = this.post(url, text).then((r) => ({ status: r.httpStatus }));
    this.track(done);
    return done;
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.watched.clear();
    this.abort.abort();
    await Promise.allSettled([...this.pending]);
    await this.agent.destroy();
  }

  private emitIfChanged(task: StoredTask, entry: { lastKey: string; lastAt: number }, at: number): void {
    const json = this.stateAt(task, at);
    const key = `${String(json.status)}:${String(json.progress)}`;
    if (key === entry.lastKey) return;
    entry.lastKey = key;
    void this.enqueue(task.id, task.notifyHook as string, json, at);
    if (TERMINAL.has(String(json.status))) this.watched.delete(task.id);
  }

  /** Per task, posts go out one after another (so a receiver sees them in order); poolSize tasks at a time. */
  private enqueue(taskId: string, url: string, json: Json, at: number): Promise<HookDelivery> {
    const previous = this.chains.get(taskId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const result = await this.withSlot(() => this.post(url, JSON.stringify(json)));
      const delivery: HookDelivery = {
        at,
        url,
        taskId,
        status: String(json.status),
        progress: String(json.progress),
        ...result,
      };
      this.deliveries.push(delivery);
      return delivery;
    });
    this.chains.set(taskId, next);
    void next
      .finally(() => {
        if (this.chains.get(taskId) === next) this.chains.delete(taskId);
      })
      .catch(() => undefined);
    this.track(next);
    return next;
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p)).catch(() => undefined);
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.poolSize) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await fn();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  /** One POST, never throwing: real proxies only log a failed notify. */
  private async post(url: string, body: string): Promise<{ httpStatus: number | null; error?: string }> {
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        dispatcher: this.agent,
        signal: this.abort.signal,
      });
      await res.body.dump();
      return { httpStatus: res.statusCode };
    } catch (err) {
      return { httpStatus: null, error: err instanceof Error ? err.message : String(err) };
    }
  }
}
