// /submit/imagine, /submit/action and /submit/modal. The upstream rules follow NZK/PLUS/FORK; with the
// aggregator flavor, new-api's own checks run first and its code rewriting (21/22 → 1) runs last.
import {
  aggregatorChildAction,
  alwaysModal,
  childActions,
  isBookmark,
  isGridUpscale,
  modalWithRemix,
} from './buttons.js';
import { describeLine, KEYCAP_PREFIX } from './describe.js';
import { readImageArray } from './image-inputs.js';
import type { SubmitRules } from './dialects/profile.js';
import type { TaskStore } from './store.js';
import type { StoredTask } from './task-view.js';
import type { Flavor, ForcedSubmit, SubmitRoute, TaskOptions } from './types.js';

import {
  accepted,
  aggregatorError,
  aggregatorRewrite,
  CREATES_TASK,
  envelope,
  forcedFailure,
  INSTANCE,
  ok,
  str,
  type Json,
  type Reply,
} from './submit-replies.js';

export interface SubmitDeps {
  flavor: Flavor;
  /** The dialect's submit rules (codes, modal checks, refusals). */
  rules: SubmitRules;
  store: TaskStore;
  now(): number;
  remix: boolean;
  bannedWords: readonly string[];
  forwardNotifyHook: boolean;
  takeForced(route: SubmitRoute): ForcedSubmit | undefined;
  /** Options for the task about to be created for `prompt` (queued nextTask options first). */
  takeTaskOptions(prompt: string): TaskOptions;
  /** Upstream JSON now, patches applied (what the proxy itself checks). */
  upstreamNow(task: StoredTask): Json;
  /** What the aggregator's DB holds now, patches applied. */
  aggregatorNow(task: StoredTask): Json;
  /** A task was created or (modal) restarted: hooks. */
  changed(task: StoredTask): void;
}

function bannedWordIn(prompt: string, words: readonly string[]): string | undefined {
  return words.find((w) => new RegExp(`\\b${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(prompt));
}

/**
 * The fork's botType (SubmitController.cs L1314-1324: "mj"/"niji" or the enum names) and speed mode (the
 * /mj-fast|relax|turbo path prefix first, then --fast/--relax/--turbo in the prompt, L1262-1307; an
 * accountFilter.modes of one mode, Dto/BaseSubmitDTO.cs L45-80, picks an account in that mode, so the
 * task runs in it. ASSUMPTION: the path and the prompt flag win over the filter).
 */
export function speedAndBot(body: Json, prompt: string, path: string): Partial<StoredTask> {
  const bot = str(body.botType).toUpperCase();
  const pathMode = /\/mj-(fast|relax|turbo)\/mj\//.exec(path);
  const flag = /--(fast|relax|turbo)\b/.exec(prompt);
  const filter = (body.accountFilter as { modes?: unknown } | undefined)?.modes;
  const filtered = Array.isArray(filter) && filter.length === 1 ? str(filter[0]).toLowerCase() : undefined;
  const mode = pathMode?.[1] ?? flag?.[1] ?? filtered;
  return {
    ...(bot !== '' && { botType: bot === 'NIJI' || bot === 'NIJI_JOURNEY' ? 'NIJI_JOURNEY' : 'MID_JOURNEY' }),
    ...(mode !== undefined && { mode: mode.toUpperCase() }),
  };
}

export function submitImagine(deps: SubmitDeps, body: Json, path = ''): Reply {
  const prompt = str(body.prompt).trim();
  const aggregator = deps.flavor === 'aggregator';
  if (prompt === '')
    return aggregator ? aggregatorError('prompt_is_required') : ok(envelope(4, 'prompt不能为空', null));
  const forced = deps.takeForced('imagine');
  if (forced && !CREATES_TASK.has(forced.code)) return forcedFailure(deps.store, forced, prompt);
  const images = readImageArray(body.base64Array, deps.rules.images);
  if (!images.ok) return ok(envelope(4, images.description, null));
  const banned = bannedWordIn(prompt, deps.bannedWords);
  if (banned && deps.rules.bannedPrompt === 'code24')
    return ok(envelope(24, '可能包含敏感词', null, { promptEn: prompt, bannedWord: banned }));
  const options = deps.takeTaskOptions(prompt);
  // FORK (the usual upstream behind an aggregator) checks after submit: the task fails later.
  const timeline = banned
    ? deps.store.timelineFrom(options, { outcome: 'FAILURE', failReason: deps.rules.bannedFailReason(banned) })
    : undefined;
  const modal = forced?.code === 21;
  const task = deps.store.create(
    {
      action: 'IMAGINE',
      prompt,
      description: `/imagine ${prompt}`,
      state: str(body.state),
      startedAt: modal ? null : deps.now(),
      ...(modal && { modalKind: 'remix' }),
      ...(hookOf(deps, body) && { notifyHook: hookOf(deps, body) }),
    },
    options,
    undefined,
    timeline,
  );
  Object.assign(task, speedAndBot(body, prompt, path));
  deps.changed(task);
  const reply = accepted(deps, task, forced, modal);
  return aggregator ? aggregatorRewrite(reply, task.aggregatorAction) : reply;
}

export function submitAction(deps: SubmitDeps, body: Json): Reply {
  const taskId = str(body.taskId);
  const customId = str(body.customId);
  const aggregator = deps.flavor === 'aggregator';
  const parent = deps.store.get(taskId);
  if (aggregator) {
    if (customId === '') return aggregatorError('custom_id_is_required');
    if (aggregatorChildAction(customId) === null) return aggregatorError(`unknown_action:${customId}`);
    if (!parent) return aggregatorError('task_not_found');
    if (deps.aggregatorNow(parent).status !== 'SUCCESS') return aggregatorError('task_status_not_success');
  } else if (taskId === '' || customId === '') {
    return ok(envelope(4, '参数校验错误', null));
  }
  const forced = deps.takeForced('action');
  if (forced && !CREATES_TASK.has(forced.code)) return forcedFailure(deps.store, forced, '');
  if (!parent) return { status: 404, body: envelope(3, '关联任务不存在或已失效', null) };
  const parentJson = deps.upstreamNow(parent);
  if (parentJson.status !== 'SUCCESS') return ok(envelope(4, '关联任务状态错误', null));
  const buttons = Array.isArray(parentJson.buttons) ? (parentJson.buttons as Json[]) : [];
  if (!buttons.some((b) => b.customId === customId)) return ok(envelope(4, `未知的 customId: ${customId}`, null));
  const refusal = deps.rules.buttonRefusal(customId);
  if (refusal !== null) return ok(envelope(4, refusal, null));
  if (isBookmark(customId)) return ok(envelope(1, '提交成功', parent.id, { ...INSTANCE }));
  // A forced answer naming the clicked task itself is one that starts nothing (as a bookmark): no
  // child may run behind it, or its pushes would show a task the answer never named.
  if (forced?.result === parent.id) return accepted(deps, parent, forced, false);

  const props = (parentJson.properties ?? {}) as Json;
  const finalPrompt = str(props.finalPrompt);
  if (deps.rules.imagineAllSplits && customId === 'MJ::Job::PicReader::all')
    return submitImagineAll(deps, parent, parentJson, body);
  const picked = /^MJ::Job::PicReader::([1-4])$/.exec(customId);
  const pickedPrompt = picked ? deps.rules.picReaderPrompt(finalPrompt, Number(picked[1])) : null;
  const labels = childActions(customId, str(parentJson.action));
  const finish = (reply: Reply) => (aggregator ? aggregatorRewrite(reply, labels.aggregator) : reply);
  const existing =
    deps.rules.repeatedUpscaleAnswers21 && isGridUpscale(customId)
      ? deps.store.upscaleChildOf(parent.id, customId)
      : undefined;
  if (existing) {
    const now = deps.upstreamNow(existing);
    return finish(ok(envelope(21, '任务已存在', existing.id, { status: now.status, imageUrl: now.imageUrl })));
  }
  const modalKind =
    alwaysModal(customId) ?? (deps.remix && modalWithRemix(customId) ? 'remix' : forced?.code === 21 ? 'remix' : null);
  const parentPrompt = str(parentJson.prompt);
  const child = deps.store.create(
    {
      action: labels.proxy,
      aggregatorAction: labels.aggregator,
      // FORK clears the prompt of a Vary (Region) task until the modal brings one.
      prompt: modalKind === 'Inpaint' ? '' : (pickedPrompt ?? parentPrompt),
      description: `/action ${parent.id} ${customId.split('::').slice(0, 4).join('::')}`,
      state: str(body.state),
      parentId: parent.id,
      startedAt: modalKind ? null : deps.now(),
      ...(modalKind && { modalKind }),
      ...(hookOf(deps, body) && { notifyHook: hookOf(deps, body) }),
    },
    deps.takeTaskOptions(modalKind === 'Inpaint' ? '' : (pickedPrompt ?? parentPrompt)),
  );
  if (isGridUpscale(customId)) deps.store.rememberUpscale(parent.id, customId, child.id);
  // The fork's Retry describes the parent's image again (SubmitController.cs L673-677: ImageUrl copied).
  if (customId === 'MJ::Picread::Retry') {
    if (parent.describedImage !== undefined) child.describedImage = parent.describedImage;
    if (parent.imageUrl !== undefined) child.imageUrl = parent.imageUrl;
  }
  if (parent.botType !== undefined) child.botType = parent.botType;
  if (parent.mode !== undefined) child.mode = parent.mode;
  deps.changed(child);
  return finish(accepted(deps, child, forced, modalKind !== null));
}

export function submitModal(deps: SubmitDeps, body: Json): Reply {
  const task = deps.store.get(str(body.taskId));
  const aggregator = deps.flavor === 'aggregator';
  if (aggregator && !task) return aggregatorError('task_not_found');
  const forced = deps.takeForced('modal');
  if (forced && !CREATES_TASK.has(forced.code)) return forcedFailure(deps.store, forced, str(body.prompt));
  if (!task) return { status: 404, body: envelope(3, '关联任务不存在或已失效', null) };
  const waiting = deps.upstreamNow(task).status === 'MODAL';
  if (!waiting && deps.rules.modalChecksStatus) return ok(envelope(4, '关联任务状态错误', null));
  if (deps.rules.duplicateRowAfterModal && task.modalRowAt === undefined) {
    task.staleRow = deps.aggregatorNow(task);
    task.modalRowAt = deps.now();
  }
  // FORK re-enqueues a task that is not MODAL and its worker skips it: "accepted", the prompt dropped.
  if (!waiting) return finishModal(deps, accepted(deps, task, forced, false));
  const mask = str(body.maskBase64);
  if (deps.rules.modalNeedsMask && task.modalKind === 'Inpaint' && mask === '')
    return ok(envelope(4, 'maskBase64 不能为空', null));
  const prompt = str(body.prompt).trim();
  // An empty prompt means "keep the original" (PLUS docs); FORK falls back to the parent's prompt.
  const parentPrompt = task.parentId ? deps.store.get(task.parentId)?.prompt : undefined;
  task.prompt = prompt !== '' ? prompt : task.prompt !== '' ? task.prompt : (parentPrompt ?? '');
  if (mask !== '') task.maskBase64 = mask;
  task.startedAt = deps.now();
  deps.changed(task);
  return finishModal(deps, accepted(deps, task, forced, false));
}

function finishModal(deps: SubmitDeps, reply: Reply): Reply {
  return deps.flavor === 'aggregator' ? aggregatorRewrite(reply, 'MODAL') : reply;
}

export function hookOf(deps: SubmitDeps, body: Json): string | undefined {
  const hook = str(body.notifyHook);
  if (hook === '') return undefined;
  return deps.flavor === 'aggregator' && !deps.forwardNotifyHook ? undefined : hook;
}

/**
 * The fork's MJ::Job::PicReader::all (trueai-org src/Midjourney.Services/TaskService.cs L1817-1876): one
 * IMAGINE per line, keycap stripped (L1824), state "<state>::<n>" (L1830), no notifyHook (L1823-1857);
 * the answer is code 1 with result "id1,id2,id3,id4".
 */
export function submitImagineAll(deps: SubmitDeps, parent: StoredTask, parentJson: Json, body: Json): Reply {
  const props = (parentJson.properties ?? {}) as Json;
  const text = typeof props.finalPrompt === 'string' ? props.finalPrompt : '';
  const state = typeof body.state === 'string' ? body.state : '';
  const ids = [1, 2, 3, 4].flatMap((n) => {
    const line = describeLine(text, n);
    if (line === undefined) return [];
    const prompt = line.replace(KEYCAP_PREFIX, '');
    const child = deps.store.create(
      {
        action: 'IMAGINE',
        prompt,
        description: `/imagine ${prompt}`,
        state: `${state}::${n}`,
        parentId: parent.id,
        startedAt: deps.now(),
      },
      deps.takeTaskOptions(prompt),
    );
    return [child.id];
  });
  return {
    status: 200,
    body: {
      code: 1,
      description: '提交成功',
      result: ids.join(','),
      properties: { discordInstanceId: '1118138338562560102' },
    },
  };
}
