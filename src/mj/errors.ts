// Errors of the Midjourney API client as values with a kind, so callers branch on `kind` and the
// sentence a member reads is chosen in one place (src/replies/mj-error.ts), never from `message`.

export type MjErrorKind =
  | 'invalid_id' // rejected before any request: empty, too long, or not a task id
  | 'not_found' // 200 with empty body, 204, 404, or 400 task_no_found
  | 'unauthorized' // 401 / 403: wrong key or wrong header style
  | 'rate_limited' // 429
  | 'upstream' // 5xx, an HTML page, malformed JSON, a body of the wrong shape
  | 'timeout' // no answer within the request timeout
  | 'network' // connection refused / reset / DNS
  | 'busy' // never sent: the bot's own requests to the API were all out for too long (tracking/mj-budget.ts)
  | 'unsupported'; // the route does not exist on this API (e.g. list-by-condition on some aggregators)

/**
 * What a 401/403 means. new-api uses them for more than a wrong key (Calcium-Ion/new-api
 * model/token.go L73-114 through middleware/auth.go L206-208; middleware/distributor.go L31-92).
 */
export type AuthProblem =
  | 'key_rejected' // no such key, or the wrong header style
  | 'quota_exhausted' // new-api 401 该令牌额度已用尽
  | 'token_expired' // new-api 401 该令牌已过期
  | 'model_not_allowed' // new-api 403 该令牌无权访问模型 mj_…
  | 'forbidden'; // any other 403 (IP not allowed, group or account disabled)

/**
 * What was wrong with an answer the bot could not use, as data, so the member reads it in their own
 * language; `said` is the server's own text (redacted, cut short), quoted verbatim.
 */
export type UnusableAnswer =
  | { what: 'html' | 'malformed' | 'empty' | 'shape'; status: number }
  | { what: 'status'; status: number; said: string }
  | { what: 'oversized'; limit: string }
  | { what: 'broken'; code: string };

export interface MjErrorDetails {
  /** 'upstream': what the answer was. */
  unusable?: UnusableAnswer;
  /** 401/403: which refusal it is. */
  authProblem?: AuthProblem;
  /** The API's own sentence, one line, redacted and cut short (shown as plain text). */
  apiMessage?: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** From Retry-After, when rate limited. */
  retryAfterMs?: number;
  /** Which route failed, without the host or any secret (e.g. "GET /mj/task/{id}/fetch"). */
  route?: string;
}

export class MjApiError extends Error {
  override readonly name = 'MjApiError';
  constructor(
    readonly kind: MjErrorKind,
    message: string,
    readonly details: MjErrorDetails = {},
  ) {
    super(message);
  }
}

export function isMjApiError(err: unknown): err is MjApiError {
  return err instanceof MjApiError;
}
