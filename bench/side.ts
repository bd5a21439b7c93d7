// A benchmark child process: runs one side (bench/sides.ts) so that its RSS and CPU are its own, not
// the stand-in's. Driven over IPC by bench/run.ts: config → ready → tasks… → no-more-tasks → result.
import { createObserver, createResourceMeter } from './measure.js';
import type { FromSide, SideStats, ToSide } from './scenario.js';
import { startSide, type RunningSide } from './sides.js';

const meter = createResourceMeter();
const observer = createObserver();
let side: RunningSide | null = null;
let measuring = false;
let finishing = false;

const tell = (message: FromSide) => process.send?.(message);

async function finish(config: { side: SideStats['side']; scenario: string; maxWaitMs: number }): Promise<void> {
  if (finishing || !side) return;
  finishing = true;
  const running = side;
  running.noMoreTasks();
  const giveUpAt = Date.now() + config.maxWaitMs;
  // pending() walks every followed task, so ask twice a second, not more: it is our cost, not the bot's.
  while (running.pending() > 0 && Date.now() < giveUpAt) await new Promise((resolve) => setTimeout(resolve, 500));
  // Results are out; the progress messages they replace are deleted within the channel's budget.
  await Promise.race([
    running.settled(),
    new Promise((resolve) => setTimeout(resolve, Math.max(0, giveUpAt - Date.now()))),
  ]);
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
    pushToEdit: config.side === 'tracker-push' ? seen.pushToEdit : null,
    mjCalls: running.mjCalls(),
    problems: running.problems(),
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
  // Exit once the result is out (stray sockets or timers must not keep the side alive; --cpu-prof writes on exit).
  process.send?.({ type: 'result', stats } satisfies FromSide, () => process.exit(0));
}

let current: { side: SideStats['side']; scenario: string; maxWaitMs: number } | null = null;

process.on('message', (message: ToSide) => {
  void (async () => {
    if (message.type === 'config') {
      current = { side: message.config.side, scenario: message.config.scenario, maxWaitMs: message.config.maxWaitMs };
      side = await startSide(message.config, observer);
      tell({ type: 'ready', notifyUrl: side.notifyUrl });
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
