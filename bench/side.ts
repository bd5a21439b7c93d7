// The naive side's child process: runs the naive poller (bench/sides.ts) so that its RSS and CPU are its
// own, not the stand-in's. Driven over IPC by bench/naive-phase.ts: config → ready → tasks… → no-more-tasks → result.
import { createObserver, createResourceMeter } from './measure.js';
import type { FromSide, SideConfig, SideStats, ToSide } from './scenario.js';
import { startSide, type RunningSide } from './sides.js';

const meter = createResourceMeter();
const observer = createObserver();
let side: RunningSide | null = null;
let measuring = false;
let finishing = false;
let current: SideConfig | null = null;

const tell = (message: FromSide) => process.send?.(message);

async function finish(config: SideConfig): Promise<void> {
  if (finishing || !side) return;
  finishing = true;
  const running = side;
  running.noMoreTasks();
  const giveUpAt = Date.now() + config.maxWaitMs;
  while (running.pending() > 0 && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 500));
  const resources = meter.stop();
  const discord = running.discord.counts();
  const seen = observer.result();
  const stats: SideStats = {
    side: config.side,
    scenario: config.scenario,
    tasksFollowed: seen.tasksFollowed,
    tasksFinished: seen.tasksFinished,
    statesShown: seen.statesShown,
    statesTotal: seen.statesTotal,
    sends: discord.sends,
    edits: discord.edits,
    deletes: discord.deletes,
    rateLimited: discord.rateLimited,
    peakDiscordPerSecond: discord.peakPerSecond,
    changeToEdit: seen.changeToEdit,
    mjCalls: running.mjCalls(),
    rssBaselineMb: meter.baselineMb(),
    rssPeakMb: resources.rssPeakMb,
    heapPeakMb: resources.heapPeakMb,
    heapTotalPeakMb: resources.heapTotalPeakMb,
    externalPeakMb: resources.externalPeakMb,
    liveHeapPeakMb: resources.liveHeapPeakMb,
    cpuSeconds: resources.cpuSeconds,
    wallSeconds: resources.wallSeconds,
  };
  await running.close();
  // Exit once the result is out (stray sockets or timers must not keep the side alive).
  process.send?.({ type: 'result', stats } satisfies FromSide, () => process.exit(0));
}

process.on('message', (message: ToSide) => {
  void (async () => {
    if (message.type === 'config') {
      current = message.config;
      side = startSide(message.config, observer);
      tell({ type: 'ready' });
    } else if (message.type === 'tasks') {
      if (!measuring) {
        measuring = true;
        meter.start();
      }
      side?.follow(message.tasks);
    } else if (current) {
      await finish(current);
    }
  })().catch((err: unknown) => {
    tell({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exitCode = 1;
    process.disconnect?.();
  });
});
