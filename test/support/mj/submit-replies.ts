// The envelopes the upstream servers answer a submit with (NZK/PLUS/FORK: code, description, result,
// properties) and new-api's own error body and code rewriting. Pure: no task is created here.
import type { SubmitRules } from './dialects/profile.js';
import type { TaskStore } from './store.js';
import type { StoredTask } from './task-view.js';
import type { ForcedSubmit } from './types.js';

export type Json = Record<string, unknown>;
export interface Reply {
  status: number;
  body: unknown;
}

export const INSTANCE = { discordInstanceId: '1118138338562560102', discordChannelId: '1118138338562560102' };
export const CREATES_TASK = new Set([1, 21, 22]);
const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  1: '提交成功',
  3: '无可用的账号实例',
  4: '参数校验错误',
  9: '提交失败，队列已满，请稍后重试',
  23: '队列已满，请稍后尝试',
  24: '可能包含敏感词',
};

export const envelope = (code: number, description: string, result: string | null, properties: Json = {}): Json =>
  result === null ? { code, description, properties } : { code, description, result, properties };
export const ok = (body: Json): Reply => ({ status: 200, body });
export const aggregatorError = (description: string): Reply => ({
  status: 400,
  body: { description: `${description} `, type: 'upstream_error', code: 4 },
});
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A forced answer that creates no task (3, 4, 9, 23, 24, …). */
export function forcedFailure(store: TaskStore, forced: ForcedSubmit, prompt: string): Reply {
  const description = forced.description ?? DEFAULT_DESCRIPTIONS[forced.code] ?? '提交失败';
  let result: string | null = forced.result ?? null;
  let properties: Json = {};
  if (forced.code === 23 && forced.result === undefined) {
    result = store.newId(); // NZK's queue-full answer carries an id that never becomes a task
    properties = { ...INSTANCE };
  }
  if (forced.code === 24) properties = { promptEn: prompt, bannedWord: prompt.split(/\s+/)[0] ?? '' };
  return {
    status: forced.httpStatus ?? 200,
    body: envelope(forced.code, description, result, { ...properties, ...forced.properties }),
  };
}

/** The answer for a created task: 1, 22 (queued) or 21 (modal, as the dialect words it), with forced overrides. */
export function accepted(
  deps: { rules: Pick<SubmitRules, 'modalWaiting'> },
  task: StoredTask,
  forced: ForcedSubmit | undefined,
  modal: boolean,
): Reply {
  const code = modal ? 21 : forced?.code === 22 ? 22 : 1;
  const queues = forced?.numberOfQueues ?? 1;
  const waiting = code === 21 ? deps.rules.modalWaiting(task) : undefined;
  const description =
    forced?.description ?? waiting?.description ?? (code === 22 ? `排队中，前面还有${queues}个任务` : '提交成功');
  const properties: Json | undefined = waiting
    ? waiting.properties
    : code === 22
      ? { numberOfQueues: queues, ...INSTANCE }
      : { ...INSTANCE };
  const result = forced?.result ?? task.id;
  if (properties === undefined && forced?.properties === undefined)
    return { status: forced?.httpStatus ?? 200, body: { code, description, result } };
  return {
    status: forced?.httpStatus ?? 200,
    body: envelope(code, description, result, { ...properties, ...forced?.properties }),
  };
}

/** new-api string-replaces "code":21 and "code":22 by "code":1, except 21 for INPAINT and CUSTOM_ZOOM. */
export function aggregatorRewrite(reply: Reply, aggregatorAction: string): Reply {
  const body = reply.body as Json;
  if (body.code === 22 || (body.code === 21 && aggregatorAction !== 'INPAINT' && aggregatorAction !== 'CUSTOM_ZOOM')) {
    return { ...reply, body: { ...body, code: 1 } };
  }
  return reply;
}
