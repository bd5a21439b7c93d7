// The sentence a member reads for each kind of Midjourney API failure. One place, so every flow
// (command, click, imagine) says the same thing for the same problem. Pure; worded by `t`.
import type { Translate } from '../i18n/index.js';
import type { MjApiError, UnusableAnswer } from '../mj/errors.js';

function seconds(t: Translate, ms: number): string {
  return t('unit.second', { count: Math.max(1, Math.round(ms / 1000)) });
}

/** The API's own words, as plain text on one line (the client already redacted and cut them). */
function said(t: Translate, err: MjApiError): string {
  const text = (err.details.apiMessage ?? '').replace(/`/g, "'").trim();
  return text === '' ? '' : t('mj.api_said', { text });
}

function unauthorizedSentence(t: Translate, err: MjApiError): string {
  switch (err.details.authProblem) {
    case 'quota_exhausted':
      return t('mj.quota_exhausted', { said: said(t, err) });
    case 'token_expired':
      return t('mj.token_expired', { said: said(t, err) });
    case 'model_not_allowed':
      return t('mj.model_not_allowed', { said: said(t, err) });
    case 'forbidden':
      return t('mj.forbidden', { said: said(t, err) });
    case 'key_rejected':
    case undefined:
      return t('mj.key_rejected');
  }
}

/** An answer the bot could not use, in the member's words; what the server said is quoted verbatim. */
function unusableSentence(t: Translate, answer: UnusableAnswer): string {
  switch (answer.what) {
    case 'oversized':
      return t('mj.oversized', { limit: answer.limit });
    case 'broken':
      return t('mj.broken', { code: answer.code });
    case 'status':
      return t('mj.upstream', {
        answer:
          answer.said === ''
            ? t('mj.answer_status', { status: answer.status })
            : t('mj.answer_status_said', { status: answer.status, said: answer.said }),
      });
    default:
      return t('mj.upstream', { answer: t(`mj.answer_${answer.what}`, { status: answer.status }) });
  }
}

/** A task id as the sentences quote it: after a space, in code, at most 64 characters; '' without one. */
const quotedId = (taskId: string | undefined): string => (taskId ? ` \`${taskId.slice(0, 64)}\`` : '');

/**
 * `lookup`: what the member asked for was a free look-up (/mjtask, Show details, Seed), not a paid
 * submit, so a request the bot did not send is told as a task not looked up, with no word of charges.
 */
export function describeMjError(
  t: Translate,
  err: MjApiError,
  context: { taskId?: string; timeoutMs?: number; lookup?: boolean } = {},
): string {
  switch (err.kind) {
    case 'invalid_id':
      return t('mj.invalid_id');
    case 'not_found':
      return t('mj.not_found', { id: quotedId(context.taskId) });
    case 'unauthorized':
      return unauthorizedSentence(t, err);
    case 'rate_limited':
      return t('mj.rate_limited', { seconds: seconds(t, err.details.retryAfterMs ?? 10_000) });
    case 'timeout':
      return t('mj.timeout', {
        within: context.timeoutMs
          ? t('mj.timeout_within', { seconds: seconds(t, context.timeoutMs) })
          : t('mj.timeout_in_time'),
      });
    case 'network':
      return t('mj.network');
    case 'busy':
      return context.lookup ? t('mj.busy_lookup', { id: quotedId(context.taskId) }) : t('mj.busy');
    case 'unsupported':
      return t('mj.unsupported');
    case 'upstream':
      // Said once, with the HTTP status where it matters, not wrapped in a second "failed (HTTP …)".
      return err.details.unusable ? unusableSentence(t, err.details.unusable) : t('mj.upstream_unknown');
  }
}
