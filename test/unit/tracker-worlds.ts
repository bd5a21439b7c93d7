// Shared set-ups for the publisher and tracker unit tests, built from the fakes in tracker-fakes.ts.
import type { ImageDownloader } from '../../src/media/image-download.js';
import { openStore, type Store } from '../../src/store/store.js';
import type { InteractionMessenger } from '../../src/tracking/messenger.js';
import type { RenderFn } from '../../src/tracking/payloads.js';
import { createPublisher, type Publisher } from '../../src/tracking/publisher.js';
import type { TrackerOptions } from '../../src/tracking/poll-policy.js';
import { createTracker } from '../../src/tracking/tracker.js';
import type { Tracker } from '../../src/tracking/types.js';
import { newTrackedTask } from '../../src/tracking/followed-task.js';
import type { TaskUpdate } from '../../src/tracking/types.js';
import type { TaskTarget, TrackedTask } from '../../src/store/tracked-tasks.js';
import {
  recordingLog,
  createFakeDiscord,
  createFakeMj,
  createManualTime,
  createTestRender,
  task,
  type FakeDiscord,
  type FakeMj,
  type ManualTime,
} from './tracker-fakes.js';

export const CHANNEL = '200000000000000001';
export const REQUESTER = '300000000000000001';

// ---------------------------------------------------------------- publisher

export function tracked(taskId: string, extra: Partial<TrackedTask> = {}): TrackedTask {
  return { ...newTrackedTask(taskId, target(), 1_000), ...extra };
}

export const progress = (t: TrackedTask, pct: number): TaskUpdate => ({
  tracked: t,
  task: task(t.taskId, 'IN_PROGRESS', `${pct}%`),
  final: false,
});
export const success = (t: TrackedTask, imageUrl = 'https://cdn.example/img.png'): TaskUpdate => ({
  tracked: t,
  task: task(t.taskId, 'SUCCESS', '100%', { imageUrl }),
  final: true,
});

export interface PublisherSetup {
  time: ManualTime;
  discord: FakeDiscord;
  publisher: Publisher;
  render: ReturnType<typeof createTestRender>;
}

export function setupPublisher(
  opts: {
    latencyMs?: number;
    images?: ImageDownloader;
    render?: RenderFn;
    budget?: { limit: number; windowMs: number };
  } = {},
): PublisherSetup {
  const time = createManualTime();
  const discord = createFakeDiscord(time, { latencyMs: opts.latencyMs ?? 0 });
  const render = createTestRender();
  const publisher = createPublisher({
    messenger: discord,
    render: opts.render ?? render,
    clock: time.clock,
    scheduler: time.scheduler,
    ...(opts.images ? { images: opts.images } : {}),
    ...(opts.budget ? { options: { budget: opts.budget } } : {}),
  });
  return { time, discord, publisher, render };
}

/** Creates the task's progress message and returns the tracked task pointing at it. */
export async function withMessage(s: PublisherSetup, taskId: string): Promise<TrackedTask> {
  const t = tracked(taskId);
  const p = s.publisher.publish({ tracked: t, task: task(taskId, 'SUBMITTED', '0%'), final: false });
  await s.time.advance(5_000);
  const outcome = await p;
  if (outcome.kind !== 'ok') throw new Error(`setup failed: ${outcome.kind}`);
  return { ...t, messageId: outcome.messageId, lastRenderHash: outcome.renderHash };
}

// ---------------------------------------------------------------- tracker

export const target = (extra: Partial<TaskTarget> = {}): TaskTarget => ({
  guildId: '100000000000000001',
  channelId: CHANNEL,
  messageId: null,
  requesterId: REQUESTER,
  origin: 'click',
  ...extra,
});

export interface World {
  time: ManualTime;
  discord: FakeDiscord;
  mj: FakeMj;
  store: Store;
  tracker: Tracker;
}

const worlds: World[] = [];

/** For afterEach: stops every tracker set up so far and closes its store. */
export async function closeWorlds(): Promise<void> {
  for (const w of worlds.splice(0)) {
    await w.tracker.stop();
    await w.store.close();
  }
}

/** A tracker on fakes; the publisher budget is wide open unless a test is about the budget. */
export function setupTracker(
  options: TrackerOptions = {},
  extra: {
    batch?: boolean;
    mjLatencyMs?: number;
    discordLatencyMs?: number;
    log?: (level: string, msg: string) => void;
    /** Members' interaction webhooks, for progress that carries `via`. */
    interactions?: InteractionMessenger;
    /** The publisher's global window (default wide open). */
    discordGlobal?: { limit: number; windowMs: number };
  } = {},
): World {
  const time = createManualTime();
  const discord = createFakeDiscord(time, { latencyMs: extra.discordLatencyMs ?? 0 });
  const mj = createFakeMj(time, { batch: extra.batch ?? true, latencyMs: extra.mjLatencyMs ?? 0 });
  const store = openStore(':memory:', { clock: time.clock });
  const publisher = createPublisher({
    messenger: discord,
    render: createTestRender(),
    clock: time.clock,
    scheduler: time.scheduler,
    options: {
      budget: { limit: 1000, windowMs: 1000 },
      global: extra.discordGlobal ?? { limit: 100_000, windowMs: 1000 },
    },
    ...(extra.interactions ? { interactions: extra.interactions } : {}),
  });
  // Most tests read the first poll's state at once, and each poll when it is due: the first-poll
  // delay and the wait for a fuller batch have their own tests.
  const tracker = createTracker({
    mj,
    store,
    publisher,
    clock: time.clock,
    scheduler: time.scheduler,
    options: { firstPollDelayMs: 0, batchWaitMs: 0, ...options },
    ...(extra.log ? { log: recordingLog(extra.log) } : {}),
  });
  const world = { time, discord, mj, store, tracker };
  worlds.push(world);
  return world;
}

export const results = (w: World) => w.discord.inChannel(CHANNEL).filter((m) => m.nonce?.startsWith('r'));
export const progressMessages = (w: World) => w.discord.inChannel(CHANNEL).filter((m) => m.nonce?.startsWith('p'));
