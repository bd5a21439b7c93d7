// Why a submit was refused, as data: the classifier (submit-outcome.ts) names the reason and
// messages.ts words it.
export type SubmitRoute = 'action' | 'modal' | 'imagine';

export type RejectReason =
  | 'unsupported_action' // new-api: unknown_action:<customId>
  | 'parent_not_ready' // the task is not SUCCESS yet (关联任务状态错误 / task_status_not_success)
  | 'already_submitted' // /submit/modal on a task that is no longer MODAL
  | 'task_not_found' // code 3, or new-api task_not_found
  | 'no_account' // code 3 无可用的账号实例: no Midjourney account free
  | 'queue_full' // code 23, FORK code 9 队列已满
  | 'account_limit' // FORK code 4 concurrency / queue / daily limits
  | 'banned_prompt' // code 24
  | 'invalid' // any other code 4
  | 'failure' // code 9
  | 'no_task_id' // an "accepted" code without a usable task id
  | 'unknown_code';
