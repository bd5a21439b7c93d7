// Pure: what a Midjourney submit answer means for the member who asked. Every proxy dialect folds into
// one discriminated union, so a handler only switches on `kind`. Codes: 1 accepted, 22 queued, 21
// "already exists" (NZK) or "waiting for the pop-up" (PLUS/FORK), 23 queue full, 24 banned prompt,
// 3/4/9 refusals told apart by their description.
import type { MjTask, SubmitResult } from '../mj/schema.js';
import { isValidTaskId } from '../mj/task-id.js';
import { withoutKeycap } from '../mj/text-results.js';
import type { RejectReason, Rejection, SubmitRoute } from '../replies/reasons.js';

export type SubmitOutcome =
  /** A new task runs (codes 1, 22; FORK PicReader::all gives several ids). */
  | {
      kind: 'accepted';
      taskId: string;
      moreTaskIds: string[];
      queuePosition: number | null;
      /** A prompt form was filled in, but the task started without it (no MODAL step on this server). */
      promptNotApplied?: true;
    }
  /** Code 21 "already exists" (e.g. U1 twice on one grid): the existing task is shown, nothing new runs. */
  | { kind: 'existing'; taskId: string; status: string }
  /** A MODAL task waits for /submit/modal (code 21 remix / "confirm", or code 1 whose new task is MODAL). */
  | { kind: 'needs_modal'; taskId: string; finalPrompt: string | null }
  /** Accepted, but the "new" id is the parent's (FORK's BOOKMARK): no task to follow. */
  | { kind: 'no_new_task'; taskId: string }
  | ({ kind: 'rejected' } & Rejection);

export interface SubmitContext {
  route: SubmitRoute;
  /** The task whose button was clicked (action route). */
  parentTaskId?: string;
  /**
   * The new task as fetched right after a code-1 answer. new-api rewrites code 21 to 1, so a task in
   * status MODAL is the only sign of a Remix pop-up behind an aggregator.
   */
  newTask?: Pick<MjTask, 'id' | 'status' | 'prompt' | 'properties'> | null;
}

/** Task ids out of `result` (a string, "id1,id2", or an array), keeping only plausible ids. */
export function resultTaskIds(result: SubmitResult['result']): string[] {
  if (result === null) return [];
  const raw = Array.isArray(result) ? result : result.split(',');
  return raw.map((s) => s.trim()).filter((s) => isValidTaskId(s));
}

/** Queue position (1 = next) from code 22's numberOfQueues (tasks ahead) or its description "前面还有N个任务". */
export function queuePositionOf(result: SubmitResult): number | null {
  const ahead = result.properties['numberOfQueues'];
  const n =
    typeof ahead === 'number' && Number.isInteger(ahead) && ahead >= 0
      ? ahead
      : Number(/(\d+)/.exec(result.description)?.[1] ?? NaN);
  return Number.isInteger(n) && n >= 0 ? n + 1 : null;
}

/** A queued answer whatever its code: numberOfQueues present, or the "排队中" description. */
function isQueued(result: SubmitResult): boolean {
  return typeof result.properties['numberOfQueues'] === 'number' || result.description.startsWith('排队中');
}

function stringProperty(result: SubmitResult, key: string): string | null {
  const v = result.properties[key];
  return typeof v === 'string' ? withoutKeycap(v) : null;
}

function rejected(reason: RejectReason, result: SubmitResult, bannedWord: string | null = null): SubmitOutcome {
  return { kind: 'rejected', reason, code: result.code, description: result.description, bannedWord };
}

/** Code 4 covers everything from "unknown action" to account limits; the description tells them apart. */
function validationReason(description: string, route: SubmitRoute): RejectReason {
  const d = description.toLowerCase();
  if (d.startsWith('unknown_action') || d.includes('未知的 action') || d.includes('unsupported action'))
    return 'unsupported_action';
  if (d.includes('task_not_found') || d.includes('task_no_found')) return 'task_not_found';
  if (d.includes('task_status_not_success') || description.includes('关联任务状态错误')) {
    return route === 'modal' ? 'already_submitted' : 'parent_not_ready';
  }
  if (/已达上限|上限|limit|临时封锁/i.test(description)) return 'account_limit';
  if (/队列已满|queue.*full/i.test(description)) return 'queue_full';
  return 'invalid';
}

function accepted(result: SubmitResult, ctx: SubmitContext, queuePosition: number | null): SubmitOutcome {
  const ids = resultTaskIds(result.result);
  const [taskId, ...moreTaskIds] = ids;
  if (taskId === undefined) return rejected('no_task_id', result);
  if (
    ctx.route === 'action' &&
    ctx.parentTaskId !== undefined &&
    taskId === ctx.parentTaskId &&
    moreTaskIds.length === 0
  ) {
    return { kind: 'no_new_task', taskId };
  }
  const task = ctx.newTask;
  if (task && task.id === taskId && task.status === 'MODAL') {
    const finalPrompt = task.properties['finalPrompt'];
    return {
      kind: 'needs_modal',
      taskId,
      finalPrompt:
        typeof finalPrompt === 'string' && finalPrompt !== '' ? withoutKeycap(finalPrompt) : task.prompt || null,
    };
  }
  return { kind: 'accepted', taskId, moreTaskIds, queuePosition };
}

/** The outcome of a submit for the member: accepted, existing, waiting for a prompt, nothing new, or refused. */
export function classifySubmit(result: SubmitResult, ctx: SubmitContext): SubmitOutcome {
  switch (result.code) {
    case 1:
      // new-api rewrites 22 to 1 but keeps numberOfQueues and "排队中…" (Calcium-Ion/new-api relay/relay-mj.go L599-603).
      return accepted(result, ctx, isQueued(result) ? queuePositionOf(result) : null);
    case 22:
      return accepted(result, ctx, queuePositionOf(result));
    case 21: {
      const taskId = resultTaskIds(result.result)[0];
      if (taskId === undefined) return rejected('no_task_id', result);
      const status = (stringProperty(result, 'status') ?? '').toUpperCase();
      // Only NZK's docs give 21 the meaning "already exists", always with properties.status (and imageUrl).
      // Every other 21 waits for /submit/modal: the fork's "Waiting for window confirm" {finalPrompt, remix}
      // (trueai-org/midjourney-proxy src/Midjourney.Services/TaskService.cs L1716, L1751), and plus's
      // "窗口等待" with no properties at all (litter-coder/midjourney-proxy-plus docs/api.md §3).
      if (status === '' || status === 'MODAL') {
        const finalPrompt = stringProperty(result, 'finalPrompt');
        return {
          kind: 'needs_modal',
          taskId,
          finalPrompt: finalPrompt !== null && finalPrompt !== '' ? finalPrompt : null,
        };
      }
      return { kind: 'existing', taskId, status };
    }
    case 23:
      return rejected('queue_full', result);
    case 24:
      return rejected('banned_prompt', result, stringProperty(result, 'bannedWord'));
    case 3:
      return rejected(/账号|account/i.test(result.description) ? 'no_account' : 'task_not_found', result);
    // The fork's Result.Fail {success:false, code:-1, message} for its limits, bans and "服务暂不可用"
    // (trueai-org/midjourney-proxy src/Midjourney.API/Controllers/SubmitController.cs L1033-1243): the
    // message (the schema's description) says which.
    case -1:
    case 4:
      return rejected(validationReason(result.description, ctx.route), result);
    case 9:
      return rejected(/队列已满|queue.*full/i.test(result.description) ? 'queue_full' : 'failure', result);
    default:
      return rejected('unknown_code', result);
  }
}
