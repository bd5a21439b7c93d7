// Pure: whether a member may spend the admin's Midjourney money right now. Who may click, how often,
// how many tasks at once, and whether this click repeats one just made. Time comes in as `now`. A
// refusal is a reason with its parameters; replies/refusals.ts words it.
import type { Config } from '../config/load.js';
import type { ClickLog, ClickRecord } from '../store/clicks.js';
import type { GuardRefusal } from '../replies/reasons.js';

export type GuardSettings = Config['guards'];

export type GuardVerdict = { ok: true } | ({ ok: false } & GuardRefusal);

const ALLOWED: GuardVerdict = { ok: true };
export const RATE_WINDOW_MS = 60_000;

export interface Clicker {
  userId: string;
  /** Role ids the member has in this server (empty in DMs). */
  roleIds: readonly string[];
  /** Manage Guild: server managers may always click. */
  canManageGuild: boolean;
}

/**
 * CLICK_POLICY. `requesterId` is the member who started the task (null when the message does not
 * say). Members with a role in ALLOWED_ROLE_IDS, and server managers, may always click. When the
 * requester is unknown under 'requester', only they may: a stranger's click must not spend money.
 */
export function checkClickAllowed(
  guards: Pick<GuardSettings, 'clickPolicy' | 'allowedRoleIds'>,
  clicker: Clicker,
  requesterId: string | null,
): GuardVerdict {
  if (guards.clickPolicy === 'anyone') return ALLOWED;
  if (clicker.canManageGuild) return ALLOWED;
  if (clicker.roleIds.some((role) => guards.allowedRoleIds.includes(role))) return ALLOWED;
  if (guards.clickPolicy === 'roles') return { ok: false, reason: 'role_required' };
  if (requesterId === null) return { ok: false, reason: 'requester_unknown' };
  if (clicker.userId === requesterId) return ALLOWED;
  return { ok: false, reason: 'not_requester', requesterId };
}

/** CLICKS_PER_MINUTE over the last 60 s of the click log (0 = unlimited). */
export function checkRateLimit(log: ClickLog, userId: string, now: number, clicksPerMinute: number): GuardVerdict {
  if (clicksPerMinute <= 0) return ALLOWED;
  const since = now - RATE_WINDOW_MS + 1;
  if (log.countSince(userId, since) < clicksPerMinute) return ALLOWED;
  const oldest = log.oldestSince(userId, since) ?? now;
  return {
    ok: false,
    reason: 'rate_limited',
    limitPerMinute: clicksPerMinute,
    retryAfterMs: oldest + RATE_WINDOW_MS - now,
  };
}

/** MAX_RUNNING_TASKS_PER_MEMBER (0 = unlimited). */
export function checkRunningCap(runningCount: number, max: number): GuardVerdict {
  if (max <= 0 || runningCount < max) return ALLOWED;
  return { ok: false, reason: 'running_cap', max };
}

/** Rate limit, then running cap: the checks every submit (click, pop-up, /imagine) passes. */
export function checkSubmitBudget(
  log: ClickLog,
  guards: GuardSettings,
  userId: string,
  now: number,
  runningCount: number,
): GuardVerdict {
  const rate = checkRateLimit(log, userId, now, guards.clicksPerMinute);
  if (!rate.ok) return rate;
  return checkRunningCap(runningCount, guards.maxRunningTasksPerMember);
}

/** The earlier click this one repeats (same message, same button, within the window), or null. Window 0 = off. */
export function findDoubleClick(
  log: ClickLog,
  messageId: string,
  customId: string,
  now: number,
  windowMs: number,
): ClickRecord | null {
  if (windowMs <= 0) return null;
  return log.findRecent(messageId, customId, now - windowMs);
}
