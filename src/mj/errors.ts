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
  | 'unsupported'; // the route does not exist on this API (e.g. list-by-condition on some aggregators)

export interface MjErrorDetails {
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
