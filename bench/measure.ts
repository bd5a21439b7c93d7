// What the naive side measures about itself: when each task state reached Discord compared with when
// it happened on the stand-in, and its own memory and CPU.
import { STATE_COUNT, stateEnteredAt, summarize, type BenchTask, type LatencySummary } from './scenario.js';

export interface Observation {
  tasksFollowed: number;
  tasksFinished: number;
  statesShown: number;
  statesTotal: number;
  changeToEdit: LatencySummary;
}

export function createObserver() {
  // Typed arrays rather than objects per task: at 10,000 tasks the side's own bookkeeping should not
  // weigh in the RSS it reports. Slot i holds the i-th task followed; only the id → slot map has strings.
  const slotOf = new Map<string, number>();
  let count = 0;
  /** Per slot: createdAt, queuedMs, runMs, followedAt. */
  let timing: Float64Array = new Float64Array(0);
  const TIMING = 4;
  /** First time each shown state reached Discord (NaN: never). */
  let shownAt: Float64Array = new Float64Array(0);
  const grow = (a: Float64Array, size: number, fill: number): Float64Array => {
    if (size <= a.length) return a;
    const b = new Float64Array(Math.max(size, a.length * 2)).fill(fill);
    b.set(a);
    return b;
  };
  const firstOf = (a: Float64Array, taskId: string, state: number, at: number) => {
    const slot = slotOf.get(taskId);
    const i = slot === undefined ? -1 : slot * STATE_COUNT + state;
    if (i >= 0 && Number.isNaN(a[i])) a[i] = at;
  };
  const finishedAt = (slot: number) => shownAt[slot * STATE_COUNT + STATE_COUNT - 1] as number;
  return {
    followed(task: BenchTask, at: number): void {
      const slot = count++;
      slotOf.set(task.id, slot);
      timing = grow(timing, count * TIMING, 0);
      timing.set([task.createdAt, task.queuedMs, task.runMs, at], slot * TIMING);
      shownAt = grow(shownAt, count * STATE_COUNT, Number.NaN);
    },
    shown(taskId: string, state: number, at: number): void {
      firstOf(shownAt, taskId, state, at);
    },
    /** Tasks whose result has not reached Discord yet. */
    unfinished(): number {
      let n = 0;
      for (let slot = 0; slot < count; slot++) if (Number.isNaN(finishedAt(slot))) n++;
      return n;
    },
    /** Only changes that happened after the side started following the task count (state 0 never does). */
    result(): Observation {
      const change: number[] = [];
      let finished = 0;
      let shown = 0;
      let total = 0;
      for (let slot = 0; slot < count; slot++) {
        if (!Number.isNaN(finishedAt(slot))) finished++;
        const t = slot * TIMING;
        const task = {
          createdAt: timing[t] as number,
          queuedMs: timing[t + 1] as number,
          runMs: timing[t + 2] as number,
        };
        const followedAt = timing[t + 3] as number;
        for (let s = 1; s < STATE_COUNT; s++) {
          const entered = stateEnteredAt(task, s);
          if (entered < followedAt) continue;
          total++;
          const at = shownAt[slot * STATE_COUNT + s] as number;
          if (Number.isNaN(at)) continue;
          shown++;
          change.push(at - entered);
        }
      }
      return {
        tasksFollowed: count,
        tasksFinished: finished,
        statesShown: shown,
        statesTotal: total,
        changeToEdit: summarize(change),
      };
    },
  };
}

export type Observer = ReturnType<typeof createObserver>;

/**
 * Peak RSS and heap (sampled every 100 ms) and CPU time since start(). With node --expose-gc it also
 * collects every 5 s and keeps the largest heap left after a full GC: the live data, not the garbage
 * V8 has not collected yet (an investigation aid; forced GCs lower the RSS peak, so not for the table).
 */
export function createResourceMeter() {
  let rssPeak = 0;
  let heapPeak = 0;
  let heapTotalPeak = 0;
  let externalPeak = 0;
  let liveHeapPeak = 0;
  let cpuStart = process.cpuUsage();
  let wallStart = Date.now();
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > rssPeak) rssPeak = m.rss;
    if (m.heapUsed > heapPeak) heapPeak = m.heapUsed;
    if (m.heapTotal > heapTotalPeak) heapTotalPeak = m.heapTotal;
    if (m.external > externalPeak) externalPeak = m.external;
  };
  sample();
  const baseline = rssPeak;
  const timer = setInterval(sample, 100);
  timer.unref();
  const gc = (globalThis as { gc?: () => void }).gc;
  const gcTimer = gc
    ? setInterval(() => {
        gc();
        liveHeapPeak = Math.max(liveHeapPeak, process.memoryUsage().heapUsed);
      }, 5_000)
    : null;
  gcTimer?.unref();
  return {
    baselineMb: () => baseline / 1_048_576,
    /** Restarts CPU and wall time (call when the measured work begins). */
    start(): void {
      cpuStart = process.cpuUsage();
      wallStart = Date.now();
    },
    stop(): {
      rssPeakMb: number;
      heapPeakMb: number;
      heapTotalPeakMb: number;
      externalPeakMb: number;
      liveHeapPeakMb: number | null;
      cpuSeconds: number;
      wallSeconds: number;
    } {
      sample();
      clearInterval(timer);
      if (gcTimer) clearInterval(gcTimer);
      const cpu = process.cpuUsage(cpuStart);
      return {
        rssPeakMb: rssPeak / 1_048_576,
        heapPeakMb: heapPeak / 1_048_576,
        heapTotalPeakMb: heapTotalPeak / 1_048_576,
        externalPeakMb: externalPeak / 1_048_576,
        liveHeapPeakMb: gcTimer ? liveHeapPeak / 1_048_576 : null,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        wallSeconds: (Date.now() - wallStart) / 1000,
      };
    },
  };
}
