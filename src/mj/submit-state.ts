// The correlation fields of every submit: the API echoes `state` with the task and its notifications,
// which is how a pushed task is tied back to the server and member who started it.
import { isSnowflake, SNOWFLAKE_DIGITS } from '../config/snowflake.js';

const STATE_PATTERN = new RegExp(`^mjtask-bot:(dm|${SNOWFLAKE_DIGITS}):(${SNOWFLAKE_DIGITS})$`);

/** State echoed by the API with the task and its notifications (FORK limit 255). */
export function submitState(guildId: string | null, userId: string): string {
  return `mjtask-bot:${guildId ?? 'dm'}:${userId}`.slice(0, 255);
}

/** Reads back submitState(); null for a state this bot did not write (another tool sharing the API). */
export function parseSubmitState(state: string | null | undefined): { guildId: string | null; userId: string } | null {
  const m = STATE_PATTERN.exec(state ?? '');
  if (!m?.[1] || !m[2] || !isSnowflake(m[2])) return null;
  return { guildId: m[1] === 'dm' ? null : m[1], userId: m[2] };
}

/** notifyHook (only when the receiver is configured) and state for any submit. */
export function submitCallbacks(
  notifyHookUrl: string | null | undefined,
  guildId: string | null,
  userId: string,
): { notifyHook?: string; state: string } {
  return notifyHookUrl
    ? { notifyHook: notifyHookUrl, state: submitState(guildId, userId) }
    : { state: submitState(guildId, userId) };
}
