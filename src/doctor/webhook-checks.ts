// Check 7: the notifyHook receiver. The port must be free for the bot to listen on it, and the public
// URL must be one the Midjourney API can reach and accept (FORK caps notifyHook at 2000 characters).
import { createServer } from 'node:net';
import type { Config } from '../config/load.js';
import { fail, ok, skip, warn, type CheckResult } from './types.js';

export const WEBHOOK_CHECK_NAMES = { port: 'Webhook port', url: 'Webhook public URL' } as const;
const N = WEBHOOK_CHECK_NAMES;

export const MAX_NOTIFY_HOOK_LENGTH = 2000;

type Webhook = NonNullable<Config['webhook']>;

/** Resolves null when the port can be listened on (and was released again), else the listen error. */
export function tryListen(port: number, host?: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen({ port, ...(host ? { host } : {}), exclusive: true }, () => server.close(() => resolve(null)));
  });
}

export async function checkWebhookPort(webhook: Webhook, host?: string): Promise<CheckResult> {
  if (webhook.port === 0) {
    return warn(
      N.port,
      'WEBHOOK_PORT=0 makes the bot listen on a random port, which WEBHOOK_PUBLIC_URL cannot point at',
      'set WEBHOOK_PORT to a fixed port, e.g. 8787',
    );
  }
  const err = await tryListen(webhook.port, host);
  if (!err) return ok(N.port, `port ${webhook.port} is free`);
  if (err.code === 'EADDRINUSE') {
    return fail(
      N.port,
      `port ${webhook.port} is in use — another program or a running bot (if the bot is running right now, this is expected)`,
      'stop the program using it, or set WEBHOOK_PORT to a free port (and update the forwarding to it)',
    );
  }
  if (err.code === 'EACCES') {
    return fail(
      N.port,
      `port ${webhook.port} may not be opened by this user (EACCES)`,
      'use a port above 1023, e.g. 8787, and forward to it',
    );
  }
  return fail(
    N.port,
    `cannot listen on port ${webhook.port} (${err.code ?? err.message})`,
    'set WEBHOOK_PORT to a free port',
  );
}

/** localhost, *.localhost, 127.0.0.0/8, ::1 and 0.0.0.0: addresses only this machine can reach. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    h === '::1' ||
    h === '0.0.0.0' ||
    h === '::'
  );
}

/** Pure: is WEBHOOK_PUBLIC_URL usable as the base of the notifyHook the bot sends with every submit? */
export function checkWebhookUrl(webhook: Webhook, mjBaseUrl: string): CheckResult {
  let url: URL;
  try {
    url = new URL(webhook.publicUrl);
  } catch {
    return fail(
      N.url,
      'WEBHOOK_PUBLIC_URL is not a valid URL',
      'set it to the public base URL, e.g. https://bot.example.com',
    );
  }
  // The secret sits in notifyHookUrl's path; only the public part is ever shown.
  const shown = `${url.origin}${url.pathname.replace(/\/+$/, '')}/notify/…`;
  if (url.username || url.password || url.search || url.hash) {
    return fail(
      N.url,
      'WEBHOOK_PUBLIC_URL has credentials, a query or a fragment; the bot appends /notify/<secret> to it',
      'set it to a plain base URL, e.g. https://bot.example.com',
    );
  }
  const length = webhook.notifyHookUrl.length;
  if (length > MAX_NOTIFY_HOOK_LENGTH) {
    return fail(
      N.url,
      `the notify URL is ${length} characters; Midjourney APIs accept at most ${MAX_NOTIFY_HOOK_LENGTH}`,
      'shorten WEBHOOK_PUBLIC_URL or WEBHOOK_SECRET',
    );
  }
  let mjHost = '';
  try {
    mjHost = new URL(mjBaseUrl).hostname;
  } catch {
    // An invalid MJ_API_URL is reported by the configuration check.
  }
  if (isLoopbackHost(url.hostname) && mjHost !== '' && !isLoopbackHost(mjHost)) {
    return warn(
      N.url,
      `${shown} points at this machine, but the Midjourney API at ${mjHost} is remote and cannot deliver notifications there`,
      'set WEBHOOK_PUBLIC_URL to an address the API can reach (a public domain, or a tunnel to WEBHOOK_PORT)',
    );
  }
  return ok(N.url, `notifications go to ${shown} (${length} characters)`);
}

export async function webhookChecks(
  webhook: Config['webhook'],
  mjBaseUrl: string,
  host?: string,
): Promise<CheckResult[]> {
  if (!webhook) return [skip('Webhook', 'not configured: the bot polls the Midjourney API for progress')];
  return [await checkWebhookPort(webhook, host), checkWebhookUrl(webhook, mjBaseUrl)];
}
