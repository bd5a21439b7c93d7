// The sentences of /mjusage: a server's usage for its admins (totals, by action, by day, by member,
// refusals and why) and a member's own usage with what is left of their daily quota. Pure; the
// figures come folded (usage-summary.ts). Fits one Discord message: long lists are cut with a count.
import type { Tally, UsageSummary, UsageTotals } from '../usage-summary.js';

/** What the report says about today (UTC) besides the window's figures. */
export interface UsageToday {
  /** Tasks started today by the server (and by the member, for a member's report). */
  serverStarted: number;
  memberStarted: number;
  memberDailyQuota: number | null;
  serverDailyBudget: number | null;
  /** The member is a server manager, exempt from the member quota. */
  memberExempt: boolean;
  /** Next UTC midnight, bot clock ms. */
  resetsAt: number;
}

export interface UsageWindow {
  days: number;
  fromDay: string;
  toDay: string;
}

/** Members listed in a server report; the rest are counted. */
export const USAGE_MEMBERS_SHOWN = 15;

const RULE_NAMES: Record<string, string> = {
  member_quota: 'daily quota',
  server_budget: 'server budget',
  channel_not_allowed: 'channel not allowed',
  start_role_required: 'role (start)',
  click_role_required: 'role (buttons)',
  role_required: 'role (CLICK_POLICY)',
  rate_limited: 'per-minute limit',
  running_cap: 'running tasks',
  paused: 'paused for banned prompts',
  not_requester: "another member's task",
  not_shower: "another member's task",
  requester_unknown: 'owner unknown',
  banned_prompt: 'banned prompt',
  queue_full: 'queue full',
  account_limit: 'account limit',
  unsupported_action: 'not supported',
  no_account: 'no account free',
};

const nameOf = (key: string) => RULE_NAMES[key] ?? key.replace(/_/g, ' ');
const actionName = (action: string) => (action === 'imagine' ? '/imagine' : action.replace(/_/g, ' '));

function list(tally: Tally, name: (key: string) => string, max = 8): string {
  const shown = tally.slice(0, max).map(([key, n]) => `${name(key)} ${n}`);
  const more = tally.length - shown.length;
  return more > 0 ? `${shown.join(', ')}, +${more} more` : shown.join(', ');
}

function windowName(w: UsageWindow): string {
  return w.days === 1 ? `today (${w.toDay}, UTC)` : `the last ${w.days} days (${w.fromDay} – ${w.toDay}, UTC)`;
}

/** "**12** started (…) · **2** refused (…) · **1** refused by the API (…)" */
function totalsLine(t: UsageTotals): string {
  const parts = [`**${t.started}** started${t.byAction.length > 0 ? ` (${list(t.byAction, actionName)})` : ''}`];
  if (t.refused > 0) parts.push(`**${t.refused}** refused (${list(t.refusedBy, nameOf)})`);
  if (t.rejected > 0) parts.push(`**${t.rejected}** refused by the API (${list(t.rejectedBy, nameOf)})`);
  return parts.join(' · ');
}

function byDayLine(summary: UsageSummary, days: number): string | null {
  if (days === 1 || summary.byDay.length === 0) return null;
  return `By day: ${summary.byDay.map(([day, n]) => `${day.slice(5)} **${n}**`).join(' · ')}`;
}

function resetNote(at: number): string {
  const s = Math.floor(at / 1000);
  return `resets at <t:${s}:f> (<t:${s}:R>)`;
}

function budgetLine(today: UsageToday): string | null {
  const budget = today.serverDailyBudget;
  if (budget === null) return null;
  return `Server budget today: **${today.serverStarted}** of ${budget} used, ${Math.max(0, budget - today.serverStarted)} left; ${resetNote(today.resetsAt)}.`;
}

export function serverUsageSentence(summary: UsageSummary, window: UsageWindow, today: UsageToday): string {
  const lines = [`📊 **Usage in this server, ${windowName(window)}**`];
  if (summary.started + summary.refused + summary.rejected === 0) lines.push('Nothing was submitted.');
  else {
    lines.push(totalsLine(summary));
    const days = byDayLine(summary, window.days);
    if (days) lines.push(days);
    lines.push('**Members** (most started first)');
    for (const m of summary.members.slice(0, USAGE_MEMBERS_SHOWN)) lines.push(`• <@${m.userId}>: ${totalsLine(m)}`);
    const more = summary.members.length - USAGE_MEMBERS_SHOWN;
    if (more > 0) lines.push(`…and ${more} more member${more === 1 ? '' : 's'} (\`/mjusage member:\` for one).`);
  }
  const quota = today.memberDailyQuota;
  lines.push(`Member quota: ${quota === null ? 'no limit' : `${quota} per day`}.`);
  const budget = budgetLine(today);
  if (budget) lines.push(budget);
  return lines.join('\n');
}

/** A member's own report (`self`), or one member's report for an admin. */
export function memberUsageSentence(
  summary: UsageSummary,
  window: UsageWindow,
  today: UsageToday,
  who: { self: true } | { self: false; userId: string },
): string {
  const title = who.self ? 'Your usage in this server' : `Usage of <@${who.userId}> in this server`;
  const lines = [`📊 **${title}, ${windowName(window)}**`];
  lines.push(
    summary.started + summary.refused + summary.rejected === 0 ? 'Nothing was submitted.' : totalsLine(summary),
  );
  const days = byDayLine(summary, window.days);
  if (days) lines.push(days);
  const quota = today.memberDailyQuota;
  if (quota === null) lines.push(`Today: **${today.memberStarted}** started; no daily quota.`);
  else if (today.memberExempt)
    lines.push(`Today: **${today.memberStarted}** started; managers are exempt from the daily quota of ${quota}.`);
  else
    lines.push(
      `Today: **${today.memberStarted}** of ${quota} daily tasks used, **${Math.max(0, quota - today.memberStarted)}** left; ${resetNote(today.resetsAt)}.`,
    );
  const budget = budgetLine(today);
  if (budget) lines.push(budget);
  return lines.join('\n');
}
