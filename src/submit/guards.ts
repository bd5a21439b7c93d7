// Whether a member may spend the admin's Midjourney money right now. Who may click, how often,
// how many tasks at once, and whether this click repeats one just made. Time comes in as `now`; the
// click log is read through its port. A refusal is a reason with its parameters; replies/refusals.ts words it.
import type { Config } from '../config/load.js';
import type { ClickLog, ClickRecord, FirstClickRules } from '../store/clicks.js';
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
 * The verdict that needs no owner: CLICK_POLICY 'anyone', server managers and ALLOWED_ROLE_IDS pass,
 * 'roles' refuses everyone else. Null when the task's owner decides (policy 'requester').
 */
export function verdictWithoutOwner(
  guards: Pick<GuardSettings, 'clickPolicy' | 'allowedRoleIds'>,
  clicker: Clicker,
): GuardVerdict | null {
  if (guards.clickPolicy === 'anyone') return ALLOWED;
  if (clicker.canManageGuild) return ALLOWED;
  if (clicker.roleIds.some((role) => guards.allowedRoleIds.includes(role))) return ALLOWED;
  if (guards.clickPolicy === 'roles') return { ok: false, reason: 'role_required' };
  return null;
}

/**
 * CLICK_POLICY. `requesterId` is the member who started the task (null when nobody knows). Members
 * with a role in ALLOWED_ROLE_IDS, and server managers, may always click. When the requester is
 * unknown under 'requester', only they may: a stranger's click must not spend money.
 */
export function checkClickAllowed(
  guards: Pick<GuardSettings, 'clickPolicy' | 'allowedRoleIds'>,
  clicker: Clicker,
  requesterId: string | null,
): GuardVerdict {
  const early = verdictWithoutOwner(guards, clicker);
  if (early) return early;
  if (requesterId === null) return { ok: false, reason: 'requester_unknown' };
  if (clicker.userId === requesterId) return ALLOWED;
  return { ok: false, reason: 'not_requester', requesterId };
}

/**
 * Who may act on a task, best source first: its starter (the store, or the task's signed state);
 * for a task started outside the bot, the member who showed it; else nobody knows.
 */
export type TaskOwnership =
  | { source: 'starter'; userId: string }
  | { source: 'shower'; userId: string }
  | { source: 'unknown' };

/** CLICK_POLICY against what is known of the task's owner. */
export function checkOwnership(
  guards: Pick<GuardSettings, 'clickPolicy' | 'allowedRoleIds'>,
  clicker: Clicker,
  ownership: TaskOwnership,
): GuardVerdict {
  const verdict = checkClickAllowed(guards, clicker, ownership.source === 'unknown' ? null : ownership.userId);
  if (!verdict.ok && verdict.reason === 'not_requester' && ownership.source === 'shower')
    return { ok: false, reason: 'not_shower', showerId: ownership.userId };
  return verdict;
}

/**
 * BANNED_PROMPT_LIMIT within BANNED_PROMPT_WINDOW_HOURS: `bannedAt` are this member's banned prompts
 * in the window, oldest first. Paused until enough of them leave the window (0 = never paused).
 */
export function checkBannedPause(
  bannedAt: readonly number[],
  guards: Pick<GuardSettings, 'bannedPromptLimit' | 'bannedPromptWindowMs'>,
  now: number,
): GuardVerdict {
  const { bannedPromptLimit: limit, bannedPromptWindowMs: windowMs } = guards;
  const inWindow = bannedAt.filter((at) => at > now - windowMs && at <= now);
  if (limit <= 0 || inWindow.length < limit) return ALLOWED;
  // The pause ends when the count drops below the limit: when the (count − limit + 1)-th oldest leaves.
  const releasing = inWindow[inWindow.length - limit] ?? now;
  return { ok: false, reason: 'paused', count: inWindow.length, until: releasing + windowMs };
}

/** CLICKS_PER_MINUTE over the last 60 s of the click log (0 = unlimited). */
export async function checkRateLimit(
  log: ClickLog,
  userId: string,
  now: number,
  clicksPerMinute: number,
): Promise<GuardVerdict> {
  if (clicksPerMinute <= 0) return ALLOWED;
  const since = now - RATE_WINDOW_MS + 1;
  if ((await log.countSince(userId, since)) < clicksPerMinute) return ALLOWED;
  const oldest = (await log.oldestSince(userId, since)) ?? now;
  return {
    ok: false,
    reason: 'rate_limited',
    limitPerMinute: clicksPerMinute,
    retryAfterMs: oldest + RATE_WINDOW_MS - now,
  };
}

/**
 * The rules the click log checks again as it records a click (atomically, across instances): the
 * double-click window on its button when `button` is given, and CLICKS_PER_MINUTE.
 */
export function firstClickRules(
  guards: Pick<GuardSettings, 'clicksPerMinute' | 'doubleClickWindowMs'>,
  button: boolean,
  now: number,
): FirstClickRules {
  return {
    repeatSince: button && guards.doubleClickWindowMs > 0 ? now - guards.doubleClickWindowMs : null,
    rate: guards.clicksPerMinute > 0 ? { since: now - RATE_WINDOW_MS + 1, limit: guards.clicksPerMinute } : null,
  };
}

/** The rate-limit refusal for a click the click log found one too many (its oldest attempt in the window). */
export function rateLimited(clicksPerMinute: number, oldest: number, now: number): GuardRefusal {
  return { reason: 'rate_limited', limitPerMinute: clicksPerMinute, retryAfterMs: oldest + RATE_WINDOW_MS - now };
}

/** MAX_RUNNING_TASKS_PER_MEMBER (0 = unlimited). */
export function checkRunningCap(runningCount: number, max: number): GuardVerdict {
  if (max <= 0 || runningCount < max) return ALLOWED;
  return { ok: false, reason: 'running_cap', max };
}

/** Rate limit, then running cap: the checks every submit (click, pop-up, /imagine) passes. */
export async function checkSubmitBudget(
  log: ClickLog,
  guards: GuardSettings,
  userId: string,
  now: number,
  runningCount: number,
): Promise<GuardVerdict> {
  const rate = await checkRateLimit(log, userId, now, guards.clicksPerMinute);
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
): Promise<ClickRecord | null> {
  if (windowMs <= 0) return Promise.resolve(null);
  return log.findRecent(messageId, customId, now - windowMs);
}
