// Memory and CPU of another process (the bot), read from /proc the way `ps` does, so the bot runs
// exactly as `npm start` runs it with nothing added to measure it. Linux only (the bench machine).
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
/** The window over which the busiest CPU share is taken. */
const BUSY_WINDOW_MS = 5_000;

export interface ProcSample {
  /** Resident set now, and the kernel's high-water mark (VmHWM), in MB. */
  rssMb: number;
  peakRssMb: number;
  /** User + system CPU seconds so far. */
  cpuSeconds: number;
}

export function sampleProcess(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    // Fields after the command name (which may hold spaces) in /proc/<pid>/stat: utime is the 14th, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(after[11] ?? 0) + Number(after[12] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024, cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

/**
 * Samples every `everyMs` from now on. `stop()` returns the largest RSS sampled while it ran (the work
 * measured), and separately the kernel's high-water mark, which also holds start-up's transient peak.
 */
export function meterProcess(pid: number, everyMs = 200) {
  const first = sampleProcess(pid);
  let last = first;
  let peak = first?.rssMb ?? 0;
  // CPU seconds at each sample, to find the busiest window: a bot near 1.0 (one core, all of it) had
  // no time left for more work there, whatever the rest of the machine did.
  const cpuAt: Array<{ at: number; cpu: number }> = first ? [{ at: Date.now(), cpu: first.cpuSeconds }] : [];
  let busiest = 0;
  const timer = setInterval(() => {
    const s = sampleProcess(pid);
    if (!s) return;
    last = s;
    peak = Math.max(peak, s.rssMb);
    const now = Date.now();
    cpuAt.push({ at: now, cpu: s.cpuSeconds });
    while (cpuAt.length > 1 && now - cpuAt[0]!.at > BUSY_WINDOW_MS) cpuAt.shift();
    const oldest = cpuAt[0]!;
    if (now - oldest.at >= BUSY_WINDOW_MS * 0.9)
      busiest = Math.max(busiest, (s.cpuSeconds - oldest.cpu) / ((now - oldest.at) / 1000));
  }, everyMs);
  timer.unref();
  return {
    /** RSS and high-water mark when metering began (the bot ready, nothing followed yet). */
    idleRssMb: first?.rssMb ?? 0,
    startupPeakRssMb: first?.peakRssMb ?? 0,
    stop(): { peakRssMb: number; highWaterMb: number; cpuSeconds: number; busiestCpuShare: number } {
      clearInterval(timer);
      const s = sampleProcess(pid) ?? last;
      if (s) peak = Math.max(peak, s.rssMb);
      return {
        peakRssMb: peak,
        highWaterMb: s?.peakRssMb ?? 0,
        cpuSeconds: (s?.cpuSeconds ?? 0) - (first?.cpuSeconds ?? 0),
        busiestCpuShare: busiest,
      };
    },
  };
}
