// Plain stand-ins for the tracker and publisher unit tests: manual time (clock + scheduler), an
// in-memory Discord channel API with nonce dedupe and a per-channel budget check, a scripted MjApi,
// and a tiny render function. No module mocks: everything is passed in.
import type { EventLog, LogFields } from '../../src/log.js';
import type { MjApi } from '../../src/mj/api.js';
import { MjApiError } from '../../src/mj/errors.js';
import { MjTaskSchema, type MjTask } from '../../src/mj/schema.js';
import type { ChannelMessenger, MessageBody, OutgoingFile } from '../../src/tracking/messenger.js';
import { DiscordDeliveryError } from '../../src/tracking/messenger.js';
import type { RenderFn } from '../../src/tracking/payloads.js';
import type { Scheduler } from '../../src/tracking/scheduler.js';

// ---------------------------------------------------------------- logs

export type LogLevel = keyof EventLog;

/** An EventLog that hands every line to `write` (level, message, fields). */
export function recordingLog(write: (level: LogLevel, msg: string, fields: LogFields) => void): EventLog {
  const at =
    (level: LogLevel) =>
    (fields: LogFields, msg: string): void =>
      write(level, msg, fields);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// ---------------------------------------------------------------- time

export interface ManualTime {
  clock: { now(): number };
  scheduler: Scheduler;
  now(): number;
  /** Runs every timer due within `ms`, in order, letting promises settle between them. */
  advance(ms: number): Promise<void>;
  /** Lets pending promises settle without moving time. */
  flush(): Promise<void>;
  pendingTimers(): number;
}

export function createManualTime(start = 1_700_000_000_000): ManualTime {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; seq: number; fn: () => void }>();
  const flush = async () => {
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  };
  return {
    clock: { now: () => now },
    scheduler: {
      setTimeout(fn, ms) {
        const id = ++seq;
        timers.set(id, { at: now + Math.max(0, ms), seq: id, fn });
        return id;
      },
      clearTimeout(handle) {
        timers.delete(handle as number);
      },
    },
    now: () => now,
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await flush();
        let next: { id: number; at: number; seq: number; fn: () => void } | null = null;
        for (const [id, t] of timers)
          if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)))
            next = { id, ...t };
        if (!next) break;
        timers.delete(next.id);
        now = Math.max(now, next.at);
        next.fn();
      }
      now = target;
      await flush();
    },
    flush,
    pendingTimers: () => timers.size,
  };
}

// ---------------------------------------------------------------- Discord

export interface DiscordOp {
  at: number;
  op: 'send' | 'edit' | 'delete';
  channelId: string;
  messageId: string;
  body?: MessageBody;
  nonce?: string;
  files?: readonly OutgoingFile[];
  /** True when a repeated nonce returned an existing message. */
  deduped?: boolean;
  /** Set when an injected fault refused the request (it still counts against Discord's bucket). */
  failed?: string;
}

export interface StoredMsg {
  id: string;
  channelId: string;
  body: MessageBody;
  files: readonly OutgoingFile[];
  nonce?: string;
  edits: number;
}

/** What to do with one request: fail it, hang before it reaches Discord, or apply it and lose the answer. */
export type Fault = DiscordDeliveryError | 'hang' | 'lost';

export interface FakeDiscord extends ChannelMessenger {
  messages: Map<string, StoredMsg>;
  ops: DiscordOp[];
  /** Called before each request; return a Fault to inject it. */
  fault:
    | ((op: {
        op: DiscordOp['op'];
        channelId: string;
        messageId?: string;
        nonce?: string;
        hasFiles: boolean;
      }) => Fault | undefined)
    | null;
  /** Most requests seen concurrently for one message (send counts for the message it creates, by nonce). */
  maxConcurrentPerMessage(): number;
  /** Most operations in one channel within any window of `windowMs`. */
  maxOpsInWindow(channelId: string, windowMs: number): number;
  inChannel(channelId: string): StoredMsg[];
}

export function createFakeDiscord(time: ManualTime, options: { latencyMs?: number } = {}): FakeDiscord {
  const latency = options.latencyMs ?? 0;
  const messages = new Map<string, StoredMsg>();
  const byNonce = new Map<string, string>();
  const ops: DiscordOp[] = [];
  const active = new Map<string, number>();
  let maxConcurrent = 0;
  let nextId = 1_000_000_000_000_000_000n;

  const wait = () =>
    latency > 0 ? new Promise<void>((r) => time.scheduler.setTimeout(r, latency)) : Promise.resolve();
  const never = () => new Promise<never>(() => {});

  async function request<T>(
    key: string,
    info: Parameters<NonNullable<FakeDiscord['fault']>>[0],
    apply: () => T,
  ): Promise<T> {
    const fault = fake.fault?.(info);
    if (fault === 'hang') return never();
    active.set(key, (active.get(key) ?? 0) + 1);
    maxConcurrent = Math.max(maxConcurrent, active.get(key) ?? 0);
    try {
      await wait();
      if (fault instanceof DiscordDeliveryError) {
        ops.push({
          at: time.now(),
          op: info.op,
          channelId: info.channelId,
          messageId: info.messageId ?? '',
          failed: fault.kind,
        });
        throw fault;
      }
      const result = apply();
      if (fault === 'lost') return never();
      return result;
    } finally {
      active.set(key, (active.get(key) ?? 1) - 1);
    }
  }

  const fake: FakeDiscord = {
    messages,
    ops,
    fault: null,
    send(channelId, body, opts = {}) {
      return request(
        `nonce:${opts.nonce ?? Math.random()}`,
        { op: 'send', channelId, nonce: opts.nonce, hasFiles: !!opts.files?.length },
        () => {
          const existing = opts.nonce ? byNonce.get(`${channelId}:${opts.nonce}`) : undefined;
          if (existing) {
            ops.push({
              at: time.now(),
              op: 'send',
              channelId,
              messageId: existing,
              body,
              nonce: opts.nonce,
              deduped: true,
            });
            return { id: existing };
          }
          const id = String(nextId++);
          messages.set(id, { id, channelId, body, files: opts.files ?? [], nonce: opts.nonce, edits: 0 });
          if (opts.nonce) byNonce.set(`${channelId}:${opts.nonce}`, id);
          ops.push({
            at: time.now(),
            op: 'send',
            channelId,
            messageId: id,
            body,
            nonce: opts.nonce,
            files: opts.files,
          });
          return { id };
        },
      );
    },
    edit(channelId, messageId, body, opts = {}) {
      return request(messageId, { op: 'edit', channelId, messageId, hasFiles: !!opts.files?.length }, () => {
        const msg = messages.get(messageId);
        ops.push({ at: time.now(), op: 'edit', channelId, messageId, body });
        if (!msg) throw new DiscordDeliveryError('gone', 'Unknown Message', 10008);
        msg.body = body;
        msg.edits++;
        return { id: messageId };
      });
    },
    delete(channelId, messageId) {
      return request(messageId, { op: 'delete', channelId, messageId, hasFiles: false }, () => {
        ops.push({ at: time.now(), op: 'delete', channelId, messageId });
        if (!messages.delete(messageId)) throw new DiscordDeliveryError('gone', 'Unknown Message', 10008);
      });
    },
    maxConcurrentPerMessage: () => maxConcurrent,
    maxOpsInWindow(channelId, windowMs) {
      const times = ops.filter((o) => o.channelId === channelId).map((o) => o.at);
      let max = 0;
      for (let i = 0; i < times.length; i++) {
        let n = 0;
        for (let j = i; j < times.length && (times[j] as number) < (times[i] as number) + windowMs; j++) n++;
        max = Math.max(max, n);
      }
      return max;
    },
    inChannel: (channelId) => [...messages.values()].filter((m) => m.channelId === channelId),
  };
  return fake;
}

// ---------------------------------------------------------------- Midjourney

export const task = (id: string, status: string, progress = '', extra: Record<string, unknown> = {}): MjTask =>
  MjTaskSchema.parse({ id, status, progress, prompt: `prompt ${id}`, ...extra });

export interface FakeMj extends MjApi {
  /** The API's current view; absent ids are unknown. */
  tasks: Map<string, MjTask>;
  batchCalls: string[][];
  singleCalls: string[];
  /** Throw this from fetchTasks / fetchTask (checked per call; return undefined to answer normally). */
  batchFault: ((ids: string[]) => MjApiError | undefined) | null;
  singleFault: ((id: string) => MjApiError | undefined) | null;
  maxConcurrent(): number;
}

export function createFakeMj(time: ManualTime, options: { latencyMs?: number; batch?: boolean } = {}): FakeMj {
  const latency = options.latencyMs ?? 0;
  let active = 0;
  let max = 0;
  const call = async <T>(fn: () => T): Promise<T> => {
    active++;
    max = Math.max(max, active);
    try {
      if (latency > 0) await new Promise<void>((r) => time.scheduler.setTimeout(r, latency));
      return fn();
    } finally {
      active--;
    }
  };
  const mj: FakeMj = {
    tasks: new Map(),
    batchCalls: [],
    singleCalls: [],
    batchFault: options.batch === false ? () => new MjApiError('unsupported', 'no list-by-condition') : null,
    singleFault: null,
    maxConcurrent: () => max,
    fetchTasks(ids) {
      mj.batchCalls.push([...ids]);
      return call(() => {
        const fault = mj.batchFault?.(ids);
        if (fault) throw fault;
        return ids.flatMap((id) => (mj.tasks.has(id) ? [mj.tasks.get(id) as MjTask] : []));
      });
    },
    fetchTask(id) {
      mj.singleCalls.push(id);
      return call(() => {
        const fault = mj.singleFault?.(id);
        if (fault) throw fault;
        const t = mj.tasks.get(id);
        if (!t) throw new MjApiError('not_found', 'unknown task');
        return t;
      });
    },
    submitAction: () => Promise.reject(new Error('not used')),
    submitModal: () => Promise.reject(new Error('not used')),
    submitImagine: () => Promise.reject(new Error('not used')),
    submitDescribe: () => Promise.reject(new Error('not used')),
    submitBlend: () => Promise.reject(new Error('not used')),
    submitShorten: () => Promise.reject(new Error('not used')),
    submitVideo: () => Promise.reject(new Error('not used')),
    close: async () => {},
  };
  return mj;
}

// ---------------------------------------------------------------- render

/** Records what it was asked; content shows the state so tests can read it back. */
export function createTestRender(): RenderFn & { calls: Array<{ task: MjTask; opts: Parameters<RenderFn>[1] }> } {
  const calls: Array<{ task: MjTask; opts: Parameters<RenderFn>[1] }> = [];
  const render: RenderFn = (t, opts) => {
    calls.push({ task: t, opts });
    const mention = opts.requesterId ? ` <@${opts.requesterId}>` : '';
    const reason = t.status === 'FAILURE' ? ` reason=${opts.reason ?? t.failReason}` : '';
    const note = opts.note ? ` note=${opts.note}` : '';
    const image = opts.imageAttachmentName ? `attachment://${opts.imageAttachmentName}` : t.imageUrl;
    return {
      content: `${t.id} ${t.status || 'WAITING'} ${t.progress}${mention}${reason}${note}`,
      embeds: image ? [{ image: { url: image } }] : [],
      components: [],
      allowed_mentions: { parse: [], users: opts.requesterId ? [opts.requesterId] : [] },
    };
  };
  return Object.assign(render, { calls });
}
