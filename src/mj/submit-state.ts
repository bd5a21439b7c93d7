// The correlation fields of every submit: the API echoes `state` with the task and its notifications,
// which is how a task is tied back to the server and member who started it. The state is signed
// (HMAC-SHA256, truncated) with a key derived from the bot's own secrets, so a state written by
// anyone else (another tool sharing the API, a forged push) never names an owner. Pure.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { isSnowflake, SNOWFLAKE_DIGITS } from '../config/snowflake.js';

/** The FORK's `state` column is 255 characters; the signed form is at most 11+20+1+20+2+16+1+16 = 87. */
const STATE_MAX = 255;
const SIGNATURE_HEX = 16;
const CLICK_DIGITS = 16;
const STATE_PATTERN = new RegExp(
  `^mjtask-bot:(dm|${SNOWFLAKE_DIGITS}):(${SNOWFLAKE_DIGITS})(?::c([1-9][0-9]{0,${CLICK_DIGITS - 1}}))?:([0-9a-f]{${SIGNATURE_HEX}})$`,
);

/** Who started a task, as its signed state says. */
export interface SubmitOrigin {
  guildId: string | null;
  userId: string;
  /**
   * The click record of the submit (store/clicks.ts), when it had one: a task the API took while the
   * bot never heard its answer (killed, or timed out) is found again by it (submit/recovery.ts).
   */
  clickId?: number;
}

/**
 * The signing key: HKDF-SHA256 over the bot token and the API key. It changes when either secret is
 * rotated; states signed before are then "not ours", which only costs the owner lookup from state.
 */
export function deriveStateKey(secrets: { discordToken: string; mjApiKey: string }): Buffer {
  const ikm = Buffer.from(`${secrets.discordToken}\u0000${secrets.mjApiKey}`, 'utf8');
  return Buffer.from(hkdfSync('sha256', ikm, 'mjtask-bot', 'submit-state-v1', 32));
}

function signatureOf(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('hex').slice(0, SIGNATURE_HEX);
}

/**
 * State echoed by the API with the task and its notifications: `mjtask-bot:<guild|dm>:<user>[:c<click>]:<hmac>`.
 */
export function submitState(key: Buffer, guildId: string | null, userId: string, clickId?: number | null): string {
  const click = clickId != null && Number.isSafeInteger(clickId) && clickId > 0 ? `:c${clickId}` : '';
  const body = `mjtask-bot:${guildId ?? 'dm'}:${userId}${click}`;
  return `${body}:${signatureOf(key, body)}`.slice(0, STATE_MAX);
}

/**
 * Reads back submitState(); null for a state this bot did not sign. The old unsigned form
 * (`mjtask-bot:<guild>:<user>`) is "not ours" on purpose: anyone can write it, so it proves nothing.
 */
export function parseSubmitState(state: string | null | undefined, key: Buffer): SubmitOrigin | null {
  const m = STATE_PATTERN.exec(state ?? '');
  const [, guild, userId, click, signature] = m ?? [];
  if (!guild || !userId || !signature || !isSnowflake(userId)) return null;
  const body = `mjtask-bot:${guild}:${userId}${click ? `:c${click}` : ''}`;
  if (!timingSafeEqual(Buffer.from(signatureOf(key, body), 'utf8'), Buffer.from(signature, 'utf8'))) return null;
  return { guildId: guild === 'dm' ? null : guild, userId, ...(click ? { clickId: Number(click) } : {}) };
}

/** notifyHook (only when the receiver is configured) and the signed state for any submit. */
export function submitCallbacks(
  notifyHookUrl: string | null | undefined,
  key: Buffer,
  guildId: string | null,
  userId: string,
  clickId?: number | null,
): { notifyHook?: string; state: string } {
  const state = submitState(key, guildId, userId, clickId);
  return notifyHookUrl ? { notifyHook: notifyHookUrl, state } : { state };
}
