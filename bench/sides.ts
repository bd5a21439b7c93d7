// The two kinds of side a benchmark child runs: the bot's real tracker (real MJ client, store on a temp
// file, publisher, and for pushes the real notifyHook receiver) or the naive poller. Both talk to the
// same in-process Discord (./discord-sim.ts) and report what they saw to the same observer.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { systemClock } from '../src/clock.js';
import { createLogger } from '../src/log.js';
import type { MjApi } from '../src/mj/api.js';
import { createMjClient } from '../src/mj/client.js';
import { submittedTask } from '../src/mj/task.js';
import { renderTask } from '../src/render/task-message.js';
import { openStore } from '../src/store/store.js';
import { createPublisher } from '../src/tracking/publisher.js';
import { createTracker } from '../src/tracking/tracker.js';
import type { EventLog, LogFields } from '../src/log.js';
import { createNotifyReceiver } from '../src/webhook/server.js';
import { createDiscordSim, type DiscordSim } from './discord-sim.js';
import { stateOfTask, type Observer } from './measure.js';
import { createNaivePoller } from './naive-poller.js';
import { BENCH_REQUESTER_ID, shownState, type BenchTask, type SideConfig } from './scenario.js';

export interface RunningSide {
  notifyUrl: string | null;
  discord: DiscordSim;
  follow(tasks: readonly BenchTask[]): void;
  /** Tasks not finished yet (the side keeps working on them). */
  pending(): number;
  /** Resolves once nothing is queued for Discord any more (the tracker's progress-message deletes). */
  settled(): Promise<void>;
  mjCalls(): MjCallCounts;
  /** No task will arrive any more. */
  noMoreTasks(): void;
  /** warn/error lines the bot logged, by message (a benchmark should produce none). */
  problems(): Record<string, number>;
  close(): Promise<void>;
}

/** Calls the side made, how many ids each list call carried, and failures (a benchmark should need no retries). */
export interface MjCallCounts {
  errors: number;
  /** fetchTask + fetchTasks calls while tasks were still arriving, and after. */
  callsWhileArriving: number;
  callsAfter: number;
  /** Ids asked for in list-by-condition calls (mean = ids ÷ calls). */
  listCalls: number;
  listIds: number;
}

function countingMj(mj: MjApi, arriving: () => boolean): { api: MjApi; counts: () => MjCallCounts } {
  const c: MjCallCounts = { errors: 0, callsWhileArriving: 0, callsAfter: 0, listCalls: 0, listIds: 0 };
  const counted =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (arriving()) c.callsWhileArriving++;
      else c.callsAfter++;
      try {
        return await fn(...args);
      } catch (err) {
        c.errors++;
        throw err;
      }
    };
  const list = counted(mj.fetchTasks);
  const api: MjApi = {
    ...mj,
    fetchTask: counted(mj.fetchTask),
    fetchTasks: (ids) => {
      c.listCalls++;
      c.listIds += ids.length;
      return list(ids);
    },
  };
  return { api, counts: () => ({ ...c }) };
}

export async function startSide(config: SideConfig, observer: Observer): Promise<RunningSide> {
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
  const problems: Record<string, number> = {};
  const note = (msg: string) => (problems[msg] = (problems[msg] ?? 0) + 1);

  if (config.side === 'naive') {
    const poller = createNaivePoller({
      mj: mj.api,
      messenger: discord,
      render: renderTask,
      intervalMs: config.fastPollMs,
    });
    return {
      notifyUrl: null,
      discord,
      follow(tasks) {
        const now = Date.now();
        for (const t of tasks) {
          observer.followed(t, now);
          poller.follow(t.id, t.channelId, BENCH_REQUESTER_ID);
        }
      },
      pending: () => poller.active(),
      settled: () => Promise.resolve(),
      mjCalls: mj.counts,
      noMoreTasks: () => void (arriving = false),
      problems: () => problems,
      async close() {
        poller.stop();
        await client.close();
      },
    };
  }

  const dir = mkdtempSync(join(config.workDir, 'store-'));
  const store = openStore(join(dir, 'bench.sqlite'));
  const ignore = (_fields: LogFields, _msg: string): void => {};
  const log: EventLog = {
    debug: ignore,
    info: ignore,
    warn: (_fields, msg) => note(`warn: ${msg}`),
    error: (_fields, msg) => note(`error: ${msg}`),
  };
  // Real timers and the real clock: the Discord bucket and the stand-in's timeline run on real time.
  const publisher = createPublisher({ messenger: discord, render: renderTask, log });
  const tracker = createTracker({
    mj: mj.api,
    store,
    publisher,
    clock: systemClock,
    log,
    options: { ...config.trackerOptions, fastPollMs: config.fastPollMs, slowPollMs: config.slowPollMs },
  });
  await tracker.start();

  let notifyUrl: string | null = null;
  let receiver: ReturnType<typeof createNotifyReceiver> | null = null;
  if (config.side === 'tracker-push') {
    const secret = randomBytes(16).toString('hex');
    receiver = createNotifyReceiver({
      port: 0,
      host: '127.0.0.1',
      secret,
      log: createLogger({ level: 'silent', secrets: [secret] }),
      health: () => ({ healthy: true, fields: {} }),
      onPush(task) {
        observer.pushed(task.id, stateOfTask(task.status, task.progress), Date.now());
        const hinted = tracker.hint(task.id);
        return hinted === 'untracked' ? 'ignored' : hinted;
      },
    });
    const { port } = await receiver.start();
    notifyUrl = `http://127.0.0.1:${port}/notify/${secret}`;
  }

  let following = 0;
  return {
    notifyUrl,
    discord,
    follow(tasks) {
      for (const t of tasks) {
        observer.followed(t, Date.now());
        following++;
        // As /imagine and clicks do (submit-flow.ts): the submit's answer is the first state shown.
        const known = submittedTask(t.id, t.prompt);
        tracker
          .follow(
            t.id,
            {
              guildId: null,
              channelId: t.channelId,
              messageId: null,
              requesterId: BENCH_REQUESTER_ID,
              origin: 'command',
            },
            known,
          )
          .catch((err: unknown) => note(`follow failed: ${String(err)}`))
          .finally(() => following--);
      }
    },
    pending: () => following + tracker.counts().active,
    settled: () => publisher.idle(),
    mjCalls: mj.counts,
    noMoreTasks: () => void (arriving = false),
    problems: () => problems,
    async close() {
      await receiver?.stop();
      await publisher.idle();
      await tracker.stop();
      await client.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
