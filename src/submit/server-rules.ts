// Pure: the rules a server's admins set with /mjsettings, checked before any money is spent. Where the
// bot may be used, which roles may start tasks and which may click, the member's daily quota and the
// server's daily budget (counted in tasks the API accepted, per UTC day of the injected clock), and
// the default speed added to a prompt. Server managers pass the role rules and the member quota (they
// are the ones paying) but not the server budget. A refusal is a reason; replies/ words it.
import { nextUtcMidnight } from '../days.js';
import type { ServerRefusal, WantedPlaces } from '../replies/reasons.js';
import type { EditableSettings, Speed } from '../server-settings.js';
import type { Clicker } from './guards.js';

export type ServerRules = Pick<
  EditableSettings,
  'allowedChannelIds' | 'startRoleIds' | 'clickRoleIds' | 'memberDailyQuota' | 'serverDailyBudget'
>;

export type RuleVerdict = { ok: true } | ({ ok: false } & ServerRefusal);

const ALLOWED: RuleVerdict = { ok: true };

/** Where an interaction happens: its channel, and the channel a thread belongs to. */
export interface InteractionPlace {
  channelId: string;
  parentChannelId: string | null;
}

/** A thread counts as its channel: allowing #art allows its threads. */
export function checkChannel(rules: Pick<ServerRules, 'allowedChannelIds'>, place: InteractionPlace): RuleVerdict {
  const allowed = rules.allowedChannelIds;
  if (allowed.length === 0 || allowed.includes(place.channelId)) return ALLOWED;
  if (place.parentChannelId !== null && allowed.includes(place.parentChannelId)) return ALLOWED;
  return { ok: false, reason: 'channel_not_allowed', allowedChannelIds: allowed };
}

function hasOneOf(member: Clicker, roleIds: readonly string[]): boolean {
  return roleIds.length === 0 || member.canManageGuild || member.roleIds.some((r) => roleIds.includes(r));
}

/** Starting a task (/imagine and the other commands that submit). */
export function checkStartRole(rules: Pick<ServerRules, 'startRoleIds'>, member: Clicker): RuleVerdict {
  return hasOneOf(member, rules.startRoleIds)
    ? ALLOWED
    : { ok: false, reason: 'start_role_required', roleIds: rules.startRoleIds };
}

/** Using a task's buttons and forms. Whose task it is stays CLICK_POLICY's question. */
export function checkClickRole(rules: Pick<ServerRules, 'clickRoleIds'>, member: Clicker): RuleVerdict {
  return hasOneOf(member, rules.clickRoleIds)
    ? ALLOWED
    : { ok: false, reason: 'click_role_required', roleIds: rules.clickRoleIds };
}

/** Tasks started today (UTC day of `now`), by this member and by the whole server. */
export interface StartedToday {
  member: number;
  server: number;
}

/**
 * The server budget first (it binds managers too), then the member's quota, for a submit that starts
 * `places` tasks (🎉 Imagine all: four): each must have room for all of them. Both reset at the next UTC midnight.
 */
export function checkDailyLimits(
  rules: Pick<ServerRules, 'memberDailyQuota' | 'serverDailyBudget'>,
  member: Pick<Clicker, 'canManageGuild'>,
  started: StartedToday,
  now: number,
  places = 1,
): RuleVerdict {
  const budget = rules.serverDailyBudget;
  if (budget !== null && started.server + places > budget)
    return { ok: false, ...dailyLimitRefusal('server', budget, budget - started.server, places, now) };
  const quota = rules.memberDailyQuota;
  if (quota !== null && !member.canManageGuild && started.member + places > quota)
    return { ok: false, ...dailyLimitRefusal('member', quota, quota - started.member, places, now) };
  return ALLOWED;
}

/** The refusal of a daily limit of `allowed` tasks with `left` places for a submit of `places` tasks. */
export function dailyLimitRefusal(
  limit: 'server' | 'member',
  allowed: number,
  left: number,
  places: number,
  now: number,
): Extract<ServerRefusal, { reason: 'server_budget' | 'member_quota' }> {
  const resetsAt = nextUtcMidnight(now);
  const wanted: WantedPlaces | null = places > 1 && left > 0 ? { tasks: places, left } : null;
  const partly = wanted === null ? {} : { wanted };
  return limit === 'server'
    ? { reason: 'server_budget', budget: allowed, resetsAt, ...partly }
    : { reason: 'member_quota', quota: allowed, resetsAt, ...partly };
}

/** What is left today under the quota and the budget (null: no limit), for /mjusage. */
export function remainingToday(
  rules: Pick<ServerRules, 'memberDailyQuota' | 'serverDailyBudget'>,
  started: StartedToday,
): { member: number | null; server: number | null } {
  const left = (limit: number | null, used: number) => (limit === null ? null : Math.max(0, limit - used));
  return {
    member: left(rules.memberDailyQuota, started.member),
    server: left(rules.serverDailyBudget, started.server),
  };
}

const SPEED_FLAG = /(^|\s)--(fast|relax|turbo)(?=\s|$)/i;

/** The prompt with the server's default speed appended, unless it names a speed itself. */
export function withDefaultSpeed(prompt: string, speed: Speed | null): string {
  if (speed === null || SPEED_FLAG.test(prompt)) return prompt;
  return `${prompt.trimEnd()} --${speed}`;
}
