// The pieces of one notifyHook request that do not need the server: which route a request line names,
// whether the path's secret matches (in constant time), reading a body under a byte cap, and turning
// that body into a task. The proxies sign nothing (mj-api.md §4), so the path secret is the only guard.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { quoteLargeIds } from '../mj/http-body.js';
import { MjTaskSchema, type MjTask } from '../mj/schema.js';
import { isValidTaskId } from '../mj/task-id.js';

export type Route =
  | { kind: 'health' }
  /** `/notify/<candidate>`: the candidate still has to be checked against the secret. */
  | { kind: 'notify'; candidate: string }
  | { kind: 'unknown' };

/** Routes on the path only (a query string is ignored); absolute-form request targets are not ours. */
export function routeOf(url: string | undefined): Route {
  if (url === undefined || !url.startsWith('/')) return { kind: 'unknown' };
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path === '/healthz') return { kind: 'health' };
  const prefix = '/notify/';
  if (path.startsWith(prefix)) {
    const candidate = path.slice(prefix.length);
    // One segment exactly: `/notify/<secret>/x` and `/notify/` are unknown paths, not wrong secrets.
    if (candidate !== '' && !candidate.includes('/')) return { kind: 'notify', candidate };
  }
  return { kind: 'unknown' };
}

/**
 * Compares in time independent of where the strings differ. A length mismatch is a mismatch, but the
 * comparison still runs (against the secret itself) so it costs about the same as an equal-length one.
 */
export function secretMatches(candidate: string, secret: string): boolean {
  const expected = Buffer.from(secret, 'utf8');
  const given = Buffer.from(candidate, 'utf8');
  if (given.length !== expected.length) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected) && secret.length > 0;
}

export type BodyOutcome = { kind: 'ok'; text: string } | { kind: 'too_large' } | { kind: 'aborted' };

/** The declared Content-Length is over the cap: answer 413 without reading a byte of the body. */
export function declaredTooLarge(req: IncomingMessage, maxBytes: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > maxBytes;
}

/**
 * Reads the body as UTF-8, counting bytes as they stream (chunked bodies declare no length). Over the
 * cap it stops listening and resolves 'too_large' at once; the caller answers and closes the connection.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (outcome: BodyOutcome): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('close', onClose);
      // An error after we are done (e.g. the socket torn down after a 413) must not go unhandled.
      req.on('error', () => {});
      req.off('error', onAborted);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        chunks.length = 0;
        req.pause();
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'ok', text: Buffer.concat(chunks, total).toString('utf8') });
    const onAborted = (): void => finish({ kind: 'aborted' });
    // 'close' before 'end' means the client went away mid-body.
    const onClose = (): void => {
      if (!req.complete) finish({ kind: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
    req.on('close', onClose);
  });
}

export type BodyTask = { kind: 'task'; task: MjTask } | { kind: 'invalid_json' } | { kind: 'not_a_task' };

/**
 * Pure: the task in a push body. Bare 16+ digit ids are quoted before parsing so they keep every digit;
 * the content type is not checked (any body that parses will do). A task needs a usable id.
 */
export function taskFromBody(text: string): BodyTask {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let value: unknown;
  try {
    value = JSON.parse(quoteLargeIds(trimmed)) as unknown;
  } catch {
    return { kind: 'invalid_json' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'not_a_task' };
  const parsed = MjTaskSchema.safeParse(value);
  if (!parsed.success || !isValidTaskId(parsed.data.id)) return { kind: 'not_a_task' };
  return { kind: 'task', task: { ...parsed.data, id: parsed.data.id.trim() } };
}
