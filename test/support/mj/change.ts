// /submit/change {taskId, action, index} and /submit/simple-change {content: "<taskId> U2"}: the original
// Java proxy's way to press U1–U4, V1–V4 and 🔄 (novicezk/midjourney-proxy
// src/main/java/com/github/novicezk/midjourney/controller/SubmitController.java L90-150).
import type { Reply } from './submit-replies.js';
import type { SubmitDeps } from './submit.js';

type Json = Record<string, unknown>;
const env = (code: number, description: string, result?: string): Json =>
  result === undefined ? { code, description, properties: {} } : { code, description, result, properties: {} };
/** enums/TaskAction.java: what Jackson accepts for `action`; anything else fails to bind (Spring 400). */
const TASK_ACTIONS = new Set(['IMAGINE', 'UPSCALE', 'VARIATION', 'REROLL', 'DESCRIBE', 'BLEND']);
const CHANGES = new Set(['UPSCALE', 'VARIATION', 'REROLL']);
/** L128: only these parents can change. */
const CHANGEABLE = new Set(['IMAGINE', 'VARIATION', 'REROLL', 'BLEND']);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const springBadRequest = (path: string): Reply => ({
  status: 400,
  body: { timestamp: new Date().toISOString(), status: 400, error: 'Bad Request', path },
});

export function submitChange(deps: SubmitDeps, body: Json, path: string): Reply {
  const taskId = str(body.taskId);
  const action = str(body.action);
  if (action !== '' && !TASK_ACTIONS.has(action)) return springBadRequest(path);
  if (taskId.trim() === '') return { status: 200, body: env(4, 'taskId不能为空') };
  if (!CHANGES.has(action)) return { status: 200, body: env(4, 'action参数错误') };
  const index = typeof body.index === 'number' ? body.index : Number(str(body.index));
  const parent = deps.store.get(taskId);
  // L121-130: answered with HTTP 200 and the code, unlike the fork's 404.
  if (!parent) return { status: 200, body: env(3, '关联任务不存在或已失效') };
  const parentJson = deps.upstreamNow(parent);
  if (parentJson.status !== 'SUCCESS') return { status: 200, body: env(4, '关联任务状态错误') };
  if (!CHANGEABLE.has(str(parentJson.action))) return { status: 200, body: env(4, '关联任务不允许执行变化') };
  const forced = deps.takeForced('change');
  if (forced && ![1, 22].includes(forced.code))
    return { status: forced.httpStatus ?? 200, body: env(forced.code, forced.description ?? '提交失败') };
  // L115-120: the description NZK writes, "/up <id> U2" or "/up <id> R".
  const description = `/up ${taskId} ${action === 'REROLL' ? 'R' : `${action.charAt(0)}${index}`}`;
  const hook = str(body.notifyHook);
  const child = deps.store.create(
    {
      action,
      prompt: str(parentJson.prompt),
      description,
      state: str(body.state),
      parentId: parent.id,
      startedAt: deps.now(),
      ...(hook !== '' && { notifyHook: hook }),
    },
    deps.takeTaskOptions(str(parentJson.prompt)),
  );
  deps.changed(child);
  // loadbalancer/DiscordInstanceImpl.java L128-131: 1 "提交成功", or 22 with the queue length.
  const queued = forced?.code === 22;
  const queues = forced?.numberOfQueues ?? 1;
  return {
    status: 200,
    body: {
      code: queued ? 22 : 1,
      description: queued ? `排队中，前面还有${queues}个任务` : '提交成功',
      result: child.id,
      properties: { ...(queued && { numberOfQueues: queues }), discordInstanceId: '1118138338562560102' },
    },
  };
}

/** L90-104 and util/ConvertUtils.java L63-91: "<id> U1".."V4" or "<id> R"; anything else is code 4. */
export function submitSimpleChange(deps: SubmitDeps, body: Json, path: string): Reply {
  const parts = str(body.content)
    .split(' ')
    .filter((p) => p !== '');
  const word = (parts[1] ?? '').toLowerCase();
  const index = Number(word.slice(1, 2));
  const action = word.startsWith('u') ? 'UPSCALE' : word.startsWith('v') ? 'VARIATION' : word === 'r' ? 'REROLL' : '';
  const indexOk = action === 'REROLL' || (Number.isInteger(index) && index >= 1 && index <= 4);
  if (parts.length !== 2 || action === '' || !indexOk) return { status: 200, body: env(4, 'content参数错误') };
  return submitChange(deps, { taskId: parts[0], action, index, state: body.state, notifyHook: body.notifyHook }, path);
}
