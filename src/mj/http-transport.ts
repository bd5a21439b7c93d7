// Reading one HTTP answer from the Midjourney API within its size cap, and turning whatever undici
// threw into an MjApiError whose message never names the host (undici's own message may).
import type { Dispatcher } from 'undici-7';
import { MjApiError, isMjApiError } from './errors.js';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super('answer over the size cap');
  }
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${n / 1024} KiB`;
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}

function errorCode(err: unknown): string {
  const code = err && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : '';
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
/** The server answered, but not in HTTP we can read. */
const BROKEN_RESPONSE_CODES = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_HEADERS_OVERFLOW']);

/** Turns whatever undici threw into an MjApiError; undici's own message (it may name the host) is dropped. */
export function transportError(err: unknown, deadlineHit: boolean, timeoutMs: number, route: string): MjApiError {
  if (isMjApiError(err)) return err;
  const code = errorCode(err);
  if (deadlineHit || TIMEOUT_CODES.has(code)) {
    return new MjApiError('timeout', `The Midjourney API did not answer within ${formatDuration(timeoutMs)}.`, {
      route,
    });
  }
  if (err instanceof BodyTooLargeError) {
    return new MjApiError(
      'upstream',
      `The Midjourney API answered with an oversized body (over ${formatBytes(err.limit)}).`,
      { route, unusable: { what: 'oversized', limit: formatBytes(err.limit) } },
    );
  }
  if (BROKEN_RESPONSE_CODES.has(code) || code.startsWith('HPE_')) {
    return new MjApiError('upstream', `The Midjourney API sent a broken HTTP response (${code}).`, {
      route,
      unusable: { what: 'broken', code },
    });
  }
  const suffix = code ? ` (${code})` : '';
  return new MjApiError('network', `Could not reach the Midjourney API${suffix}.`, { route });
}

export async function readText(res: Dispatcher.ResponseData, maxBytes: number): Promise<string> {
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Not a byte of it is wanted: destroying the body closes its socket instead of draining it.
    res.body.destroy();
    throw new BodyTooLargeError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Leaving the loop early destroys the stream (and its socket); that is the point here.
    if (size > maxBytes) throw new BodyTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
