// The correlation fields of every submit: the API echoes `state` with the task and its notifications,
// which is how a task is tied back to the server and member who started it. The state is signed
// (HMAC-SHA256, truncated) with a key derived from the bot's own secrets, so a state written by
// anyone else (another tool sharing the API, a forged push) never names an owner. Pure.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { isSnowflake, SNOWFLAKE_DIGITS } from '../config/snowflake.js';

/** The FORK's `state` column is 255 characters; the signed form is at most 11+20+1+20+1+16 = 69. */
const STATE_MAX = 255;
const SIGNATURE_HEX = 16;
const STATE_PATTERN = new RegExp(
  `^mjtask-bot:(dm|${SNOWFLAKE_DIGITS}):(${SNOWFLAKE_DIGITS}):([0-9a-f]{${SIGNATURE_HEX}})$`,
);

/** Who started a task, as its signed state says. */
export interface SubmitOrigin {
  guildId: string | null;
  userId: string;
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

/** State echoed by the API with the task and its notifications: `mjtask-bot:<guild|dm>:<user>:<hmac>`. */
export function submitState(key: Buffer, guildId: string | null, userId: string): string {
  const body = `mjtask-bot:${guildId ?? 'dm'}:${userId}`;
  return `${body}:${signatureOf(key, body)}`.slice(0, STATE_MAX);
}

/**
 * Reads back submitState(); null for a state this bot did not sign. The old unsigned form
 * (`mjtask-bot:<guild>:<user>`) is "not ours" on purpose: anyone can write it, so it proves nothing.
 */
export function parseSubmitState(state: string | null | undefined, key: Buffer): SubmitOrigin | null {
  const m = STATE_PATTERN.exec(state ?? '');
  if (!m?.[1] || !m[2] || !m[3] || !isSnowflake(m[2])) return null;
  const expected = Buffer.from(signatureOf(key, `mjtask-bot:${m[1]}:${m[2]}`), 'utf8');
  if (!timingSafeEqual(expected, Buffer.from(m[3], 'utf8'))) return null;
  return { guildId: m[1] === 'dm' ? null : m[1], userId: m[2] };
}

/** notifyHook (only when the receiver is configured) and the signed state for any submit. */
export function submitCallbacks(
  notifyHookUrl: string | null | undefined,
  key: Buffer,
  guildId: string | null,
  userId: string,
): { notifyHook?: string; state: string } {
  const state = submitState(key, guildId, userId);
  return notifyHookUrl ? { notifyHook: notifyHookUrl, state } : { state };
}
