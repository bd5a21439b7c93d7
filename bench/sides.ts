// The naive side a benchmark child runs: the baseline poller (./naive-poller.ts) against the
// in-process Discord (./discord-sim.ts), reporting what it saw to the observer. The bot itself runs as
// `npm start` runs it (./bot-run.ts); only the baseline, which no real bot is, lives here.
import type { MjApi } from '../src/mj/api.js';
import { createMjClient } from '../src/mj/client.js';
import { renderTask } from '../src/render/task-message.js';
import { createDiscordSim, type DiscordSim } from './discord-sim.js';
import type { Observer } from './measure.js';
import { createNaivePoller } from './naive-poller.js';
import { BENCH_REQUESTER_ID, shownState, type BenchTask, type SideConfig } from './scenario.js';

export interface RunningSide {
  discord: DiscordSim;
  follow(tasks: readonly BenchTask[]): void;
  /** Tasks not finished yet (the side keeps working on them). */
  pending(): number;
  mjCalls(): MjCallCounts;
  /** No task will arrive any more. */
  noMoreTasks(): void;
  close(): Promise<void>;
}

/** Calls the side made, and failures (a benchmark should need no retries). */
export interface MjCallCounts {
  errors: number;
  /** fetchTask calls while tasks were still arriving, and after. */
  callsWhileArriving: number;
  callsAfter: number;
}

function countingMj(mj: MjApi, arriving: () => boolean): { api: MjApi; counts: () => MjCallCounts } {
  const c: MjCallCounts = { errors: 0, callsWhileArriving: 0, callsAfter: 0 };
  const fetchTask: MjApi['fetchTask'] = async (id) => {
    if (arriving()) c.callsWhileArriving++;
    else c.callsAfter++;
    try {
      return await mj.fetchTask(id);
    } catch (err) {
      c.errors++;
      throw err;
    }
  };
  return { api: { ...mj, fetchTask }, counts: () => ({ ...c }) };
}

export function startSide(config: SideConfig, observer: Observer): RunningSide {
  const discord = createDiscordSim({
    limit: config.bucketLimit,
    windowMs: config.bucketWindowMs,
    latencyMs: config.discordLatencyMs,
    stateOf: shownState,
    onShown: (taskId, state, at) => observer.shown(taskId, state, at),
  });
  const client = createMjClient({ baseUrl: config.mjBaseUrl, apiKey: config.mjApiKey, authHeader: 'mj-api-secret' });
  let arriving = true;
  const mj = countingMj(client, () => arriving);
  const poller = createNaivePoller({
    mj: mj.api,
    messenger: discord,
    render: renderTask,
    intervalMs: config.fastPollMs,
  });
  return {
    discord,
    follow(tasks) {
      const now = Date.now();
      for (const t of tasks) {
        observer.followed(t, now);
        poller.follow(t.id, t.channelId, BENCH_REQUESTER_ID);
      }
    },
    pending: () => poller.active(),
    mjCalls: mj.counts,
    noMoreTasks: () => void (arriving = false),
    async close() {
      poller.stop();
      await client.close();
    },
  };
}
