// Where a result's time goes (BENCH_TRACE=<file.json> npm run bench -- --only burst): for every task,
// SUCCESS on the stand-in's timeline → the first poll that could see it (the Midjourney stand-in's
// request log) → its image request → its result's create on the Discord stand-in, and the result's
// place in its channel. Prints a summary and writes every task's times as JSON. Pure but for the write.
import { writeFileSync } from 'node:fs';
import type { RequestLogEntry } from '../test/support/mj/index.js';
import { servedAt, type PlannedBotTask } from './bot-plan.js';
import { STATE_COUNT, summarize, type LatencySummary } from './scenario.js';

const FINAL = STATE_COUNT - 1;

export interface TracedTask {
  index: number;
  taskId: string | null;
  createdAt: number;
  queuedMs: number;
  shownAt: number[];
}

export interface TaskTrace {
  index: number;
  channel: number;
  success: number;
  /** Poll requests naming the task, by arrival. */
  polls: number[];
  detect: number | null;
  /** The bot's log line saying it applied SUCCESS. */
  applied: number | null;
  image: number | null;
  result: number | null;
  /** 1 = its channel's first result. */
  rankInChannel: number | null;
}

function idsOf(r: RequestLogEntry): string[] {
  if (r.route === 'list-by-condition') {
    const ids = (r.body as { ids?: unknown } | undefined)?.ids;
    return Array.isArray(ids) ? ids.map(String) : [];
  }
  if (r.route === 'fetch') return [/\/task\/([^/]+)\/fetch/.exec(r.path)?.[1] ?? ''];
  return [];
}

export function traceTasks(
  plan: readonly PlannedBotTask[],
  tasks: readonly TracedTask[],
  mjRequests: readonly RequestLogEntry[],
  appliedAt: ReadonlyMap<string, number>,
  refreshMs: number | null,
): TaskTrace[] {
  const pollsOf = new Map<string, number[]>();
  const imageOf = new Map<string, number>();
  for (const r of mjRequests) {
    for (const id of idsOf(r)) (pollsOf.get(id) ?? pollsOf.set(id, []).get(id)!).push(r.at);
    if (r.route === 'images') {
      const id = /\/images\/([^/.]+)\.png/.exec(r.path)?.[1];
      if (id && !imageOf.has(id)) imageOf.set(id, r.at);
    }
  }
  const out: TaskTrace[] = [];
  for (const t of tasks) {
    if (t.taskId === null || Number.isNaN(t.createdAt)) continue;
    const planned = plan[t.index]!;
    const success = servedAt({ createdAt: t.createdAt, queuedMs: t.queuedMs, runMs: planned.runMs }, FINAL, refreshMs)!;
    const polls = pollsOf.get(t.taskId) ?? [];
    const result = t.shownAt[FINAL]!;
    out.push({
      index: t.index,
      channel: planned.channel,
      success,
      polls,
      detect: polls.find((at) => at >= success) ?? null,
      applied: appliedAt.get(t.taskId) ?? null,
      image: imageOf.get(t.taskId) ?? null,
      result: Number.isNaN(result) ? null : result,
      rankInChannel: null,
    });
  }
  const byChannel = new Map<number, TaskTrace[]>();
  for (const t of out)
    if (t.result !== null) (byChannel.get(t.channel) ?? byChannel.set(t.channel, []).get(t.channel)!).push(t);
  for (const list of byChannel.values())
    list.sort((a, b) => a.result! - b.result!).forEach((t, i) => (t.rankInChannel = i + 1));
  return out;
}

const fmt = (s: LatencySummary) =>
  s.count === 0
    ? 'none'
    : `p50 ${(s.p50! / 1000).toFixed(2)} / p95 ${(s.p95! / 1000).toFixed(2)} / max ${(s.max! / 1000).toFixed(2)} s (${s.count})`;

type Moment = 'success' | 'detect' | 'applied' | 'image' | 'result';

/** The summary lines of a trace. */
export function traceSummary(traces: readonly TaskTrace[]): string[] {
  const between = (from: Moment, to: Moment, of: readonly TaskTrace[] = traces) =>
    fmt(
      summarize(
        of.flatMap((t) => {
          const a = t[from];
          const b = t[to];
          return a === null || b === null ? [] : [b - a];
        }),
      ),
    );
  const firstWindow = traces.filter((t) => t.rankInChannel !== null && t.rankInChannel <= 5);
  const later = traces.filter((t) => t.rankInChannel !== null && t.rankInChannel > 5);
  const channelFirst = new Map<number, number>();
  for (const t of traces) if (t.rankInChannel === 1) channelFirst.set(t.channel, t.result!);
  const firstSuccess = new Map<number, number>();
  for (const t of traces) firstSuccess.set(t.channel, Math.min(firstSuccess.get(t.channel) ?? Infinity, t.success));
  const gaps = traces.flatMap((t) => {
    const before = t.polls.filter((at) => at < t.success).pop();
    return before === undefined || t.detect === null ? [] : [t.detect - before];
  });
  const sixth = later.filter((t) => t.rankInChannel === 6).map((t) => t.result! - channelFirst.get(t.channel)!);
  return [
    `SUCCESS → first poll after it: ${between('success', 'detect')}`,
    `  the poll interval around SUCCESS (last poll before → first after): ${fmt(summarize(gaps))}`,
    `first poll after SUCCESS → image request: ${between('detect', 'image')}`,
    `  that poll → the bot applied SUCCESS (its log line): ${between('detect', 'applied')}`,
    `  applied → image request: ${between('applied', 'image')}`,
    `image request → result create: ${between('image', 'result')}`,
    `  the channel's first 5 results: ${between('image', 'result', firstWindow)}`,
    `  the others: ${between('image', 'result', later)}`,
    `result lag, first 5 per channel: ${between('success', 'result', firstWindow)}`,
    `result lag, the others: ${between('success', 'result', later)}`,
    `channel's first SUCCESS → its first result: ${fmt(summarize([...channelFirst].map(([c, at]) => at - firstSuccess.get(c)!)))}`,
    `channel's first result → its 6th: ${fmt(summarize(sixth))}`,
  ];
}

export function writeTrace(file: string, traces: readonly TaskTrace[]): void {
  writeFileSync(file, JSON.stringify(traces, null, 1));
}
