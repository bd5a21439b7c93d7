// A stored task and the JSON it is served as at a given clock time. Nothing is scheduled: the state at
// time t follows from the task's start and its timeline, so 10,000 tasks in flight cost no timers.
import { successButtons } from './buttons.js';
import { describeText } from './describe.js';
import { shortenText } from './shorten-text.js';
import type { MjButtonJson, Timeline } from './types.js';

export const DEFAULT_TIMELINE: Timeline = {
  queuedMs: 2_000,
  queuedStatus: 'SUBMITTED',
  runMs: 14_000,
  progressSteps: [0, 15, 31, 46, 62, 78, 93],
  outcome: 'SUCCESS',
  failReason: '[Invalid parameter] Unrecognized parameter(s): `--foo`',
};

export const AGGREGATOR_TIMEOUT_MS = 3_600_000;
export const AGGREGATOR_TIMEOUT_REASON = '上游任务超时（超过1小时）';
const DISCORD_INSTANCE_ID = '1118138338562560102';

export interface StoredTask {
  id: string;
  /** The action as the upstream proxy labels it (FORK HEAD), and as new-api labels it. */
  action: string;
  aggregatorAction: string;
  prompt: string;
  description: string;
  state: string;
  submitTime: number;
  /** When the timeline starts; null while MODAL waits for /submit/modal. */
  startedAt: number | null;
  timeline: Timeline;
  /** The uuid inside the result's customIds (Discord job id). */
  jobUuid: string;
  parentId?: string;
  modalKind?: string;
  notifyHook?: string;
  unknownForMs: number;
  imageBytes?: number;
  buttons?: MjButtonJson[];
  imageUrl?: string;
  /**
   * A DESCRIBE's image as it was given (a data URL), served as its imageUrl: novicezk keeps the uploaded
   * image there (wss/handle/DescribeSuccessHandler.java L64-67), the fork too (its Retry re-reads it,
   * Midjourney.API/Controllers/SubmitController.cs L673-677).
   */
  describedImage?: string;
  maskBase64?: string;
  /** fork: botType as the request named it (MID_JOURNEY / NIJI_JOURNEY) and the speed mode. */
  botType?: string;
  mode?: string;
  /** fork: set once /image-seed found it. */
  seed?: string;
  /**
   * newapi: after /submit/modal it holds two rows with this id. `staleRow` is the older one, frozen as last
   * polled; `modalRowAt` is when the second (action MODAL) row was inserted.
   */
  staleRow?: Record<string, unknown>;
  modalRowAt?: number;
  /** setTask patches, served verbatim on top of the computed view. */
  patch?: Record<string, unknown>;
  /** addRawTask: served verbatim, never computed. */
  raw?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function stepMs(t: Timeline): number {
  return t.runMs / Math.max(1, t.progressSteps.length);
}

/** The upstream (NZK/PLUS/FORK-shaped) task at clock time `at`, before any patch. */
export function upstreamView(
  task: StoredTask,
  at: number,
  baseUrl: string,
  buttonsFor: (action: string, jobUuid: string) => MjButtonJson[] = successButtons,
): Json {
  const tl = task.timeline;
  const base: Json = {
    id: task.id,
    action: task.action,
    status: 'MODAL',
    prompt: task.prompt,
    promptEn: task.prompt,
    description: task.description,
    state: task.state,
    submitTime: task.submitTime,
    startTime: null,
    finishTime: null,
    imageUrl: null,
    progress: '0%',
    failReason: null,
    buttons: [] as MjButtonJson[],
    properties: {
      finalPrompt: task.prompt,
      discordInstanceId: DISCORD_INSTANCE_ID,
      discordChannelId: DISCORD_INSTANCE_ID,
      ...(task.notifyHook ? { notifyHook: task.notifyHook } : {}),
    },
  };
  if (task.startedAt === null || at < task.startedAt) return base;
  const elapsed = at - task.startedAt;
  if (elapsed < tl.queuedMs) {
    return { ...base, status: tl.queuedStatus, startTime: tl.queuedStatus === 'SUBMITTED' ? task.startedAt : null };
  }
  const runStart = task.startedAt + (tl.queuedStatus === 'SUBMITTED' ? 0 : tl.queuedMs);
  const props = { ...(base.properties as Json), messageHash: task.jobUuid };
  if (elapsed < tl.queuedMs + tl.runMs) {
    const steps = tl.progressSteps.length > 0 ? tl.progressSteps : [0];
    const index = Math.min(steps.length - 1, Math.floor((elapsed - tl.queuedMs) / stepMs(tl)));
    const step = steps[index] ?? 0;
    return {
      ...base,
      status: 'IN_PROGRESS',
      startTime: runStart,
      progress: `${step}%`,
      imageUrl: task.action === 'SHORTEN' ? null : `${baseUrl}/images/${task.id}/preview_${step}.webp`,
      properties: props,
    };
  }
  const finishTime = task.startedAt + tl.queuedMs + tl.runMs;
  if (tl.outcome === 'FAILURE') {
    return {
      ...base,
      status: 'FAILURE',
      startTime: runStart,
      finishTime,
      progress: '',
      failReason: tl.failReason,
      properties: props,
    };
  }
  return {
    ...base,
    status: 'SUCCESS',
    startTime: runStart,
    finishTime,
    progress: '100%',
    imageUrl: task.imageUrl ?? `${baseUrl}/images/${task.id}.png`,
    buttons: task.buttons ?? buttonsFor(task.action, task.jobUuid),
    properties: props,
    // A Describe's four prompts (plus docs/api.md §4; NZK's describe success handler): in finalPrompt and promptEn.
    ...(task.action === 'DESCRIBE' && {
      promptEn: describeText(task.prompt),
      properties: { ...props, finalPrompt: describeText(task.prompt) },
    }),
    // A Shorten's answer is text, no picture (plus docs/api.md §5: finalPrompt, no imageUrl).
    ...(task.action === 'SHORTEN' && {
      imageUrl: null,
      properties: { ...props, finalPrompt: shortenText(task.prompt) },
    }),
  };
}

/**
 * What a new-api aggregator serves at `now`: its own DB row, refreshed from upstream on each
 * refresh boundary. Status "" until the first refresh after submit, FAILURE with "100%",
 * properties cut down to {finalPrompt, finalZhPrompt}, "" / 0 instead of null.
 */
export function aggregatorView(
  task: StoredTask,
  now: number,
  baseUrl: string,
  refreshMs: number,
  more: {
    /** A row inserted later than the submit (new-api's second row after a modal), with its own action. */
    laterRow?: { insertedAt: number; action: string } | undefined;
    /** The upstream proxy's JSON at a time (default: upstreamView). */
    upstream?: (task: StoredTask, at: number) => Json;
  } = {},
): Json {
  const { laterRow } = more;
  const lastRefresh = Math.floor(now / refreshMs) * refreshMs;
  const row: Json = {
    id: task.id,
    action: laterRow?.action ?? task.aggregatorAction,
    customId: '',
    botType: '',
    prompt: task.prompt,
    promptEn: '',
    description: task.description,
    state: '',
    submitTime: task.submitTime,
    startTime: 0,
    finishTime: 0,
    imageUrl: '',
    videoUrl: '',
    videoUrls: null,
    status: '',
    progress: '0%',
    failReason: '',
    buttons: null,
    maskBase64: '',
    properties: null,
  };
  if (lastRefresh <= (laterRow?.insertedAt ?? task.submitTime)) return row;
  const up = more.upstream ? more.upstream(task, lastRefresh) : upstreamView(task, lastRefresh, baseUrl);
  const failReason = typeof up.failReason === 'string' ? up.failReason : '';
  const polled: Json = {
    ...row,
    promptEn: up.promptEn,
    state: up.state,
    startTime: up.startTime ?? 0,
    finishTime: up.finishTime ?? 0,
    imageUrl: up.imageUrl ?? '',
    status: up.status,
    progress: up.status === 'FAILURE' && failReason !== '' ? '100%' : up.progress,
    failReason,
    buttons: up.buttons,
    // dto/midjourney.go keeps the upstream's finalPrompt (a Describe's four prompts among them).
    properties: { finalPrompt: (up.properties as Json | undefined)?.finalPrompt ?? task.prompt, finalZhPrompt: '' },
  };
  const finished = polled.status === 'SUCCESS' || polled.status === 'FAILURE';
  if (!finished && lastRefresh - task.submitTime > AGGREGATOR_TIMEOUT_MS) {
    return { ...polled, status: 'FAILURE', progress: '100%', failReason: AGGREGATOR_TIMEOUT_REASON };
  }
  return polled;
}

/** Clock times at which the upstream state changes, for notify hooks (start, each step, the end). */
export function transitionTimes(task: StoredTask): number[] {
  if (task.raw || task.startedAt === null) return [];
  const tl = task.timeline;
  const times = [task.startedAt];
  const runStart = task.startedAt + tl.queuedMs;
  const n = Math.max(1, tl.progressSteps.length);
  for (let i = 0; i < n && tl.runMs > 0; i++) times.push(runStart + Math.ceil(i * stepMs(tl)));
  times.push(runStart + tl.runMs);
  return times;
}

/** Start time that puts a new task at `status` (and at `progress` when IN_PROGRESS) right now. */
export function startForStatus(now: number, tl: Timeline, status: string, progress?: string): number {
  if (status === 'SUCCESS' || status === 'FAILURE') return now - tl.queuedMs - tl.runMs;
  if (status !== 'IN_PROGRESS') return now;
  const wanted = Number(/(\d+)/.exec(progress ?? '')?.[1] ?? 0);
  let index = 0;
  tl.progressSteps.forEach((p, i) => {
    if (p <= wanted) index = i;
  });
  return now - tl.queuedMs - Math.ceil(index * stepMs(tl));
}
