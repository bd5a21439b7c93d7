// The sentence a member reads for each kind of Midjourney API failure. One place, so every flow
// (command, click, imagine) says the same thing for the same problem. Pure.
import type { MjApiError } from '../mj/errors.js';

function seconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return `${s} second${s === 1 ? '' : 's'}`;
}

/** The API's own words, as plain text on one line (the client already redacted and cut them). */
function said(err: MjApiError): string {
  const text = (err.details.apiMessage ?? '').replace(/`/g, "'").trim();
  return text === '' ? '' : ` (the API said: \`${text}\`)`;
}

function unauthorizedSentence(err: MjApiError): string {
  switch (err.details.authProblem) {
    case 'quota_exhausted':
      return `🪙 The bot's Midjourney API account is out of credit${said(err)}. Nothing was submitted; an admin must top it up.`;
    case 'token_expired':
      return `🔒 The bot's Midjourney API key has expired${said(err)}. An admin must renew MJ_API_KEY.`;
    case 'model_not_allowed':
      return `🔒 The bot's Midjourney API key may not use this action${said(err)}. Nothing was submitted; an admin can allow it for the key.`;
    case 'forbidden':
      return `🔒 The Midjourney API refused the bot${said(err)}. An admin should check the API account (or run \`npm run doctor\`).`;
    case 'key_rejected':
    case undefined:
      return `🔒 The Midjourney API rejected the bot's API key. An admin should check MJ_API_KEY and MJ_AUTH_HEADER (or run \`npm run doctor\`).`;
  }
}

export function describeMjError(err: MjApiError, context: { taskId?: string; timeoutMs?: number } = {}): string {
  const id = context.taskId ? ` \`${context.taskId.slice(0, 64)}\`` : '';
  switch (err.kind) {
    case 'invalid_id':
      return `⚠️ That is not a valid task ID. A task ID looks like \`1730621826053455\` (letters, digits, - or _; at most 64 characters).`;
    case 'not_found':
      return `🔍 No task${id} was found. Check the ID: a task created with another API key is not visible to this bot.`;
    case 'unauthorized':
      return unauthorizedSentence(err);
    case 'rate_limited':
      return `⏳ The Midjourney API is rate limiting the bot. Try again in ${seconds(err.details.retryAfterMs ?? 10_000)}.`;
    case 'timeout':
      return `⌛ The Midjourney API did not answer${context.timeoutMs ? ` within ${seconds(context.timeoutMs)}` : ' in time'}. Try again in a minute.`;
    case 'network':
      return `📡 The bot cannot reach the Midjourney API right now. Try again in a minute; if it lasts, tell an admin.`;
    case 'unsupported':
      return `🚫 The Midjourney API does not support that request.`;
    case 'upstream':
      // The message already says what the server answered (with its HTTP status where it matters):
      // said once, not wrapped in a second "failed (HTTP …)".
      return `💥 ${err.message} Try again in a minute.`;
  }
}
