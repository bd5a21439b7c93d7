// The sentences of /mjusage: a server's usage for its admins (totals, by action, by day, by member,
// refusals and why) and a member's own usage with what is left of their daily quota. Pure; worded by
// `t` (src/i18n); the figures come folded (usage-summary.ts). Fits one Discord message: long lists
// are cut with a count.
import type { PlainKey, Translate } from '../i18n/index.js';
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

/** The rule the usage log names (a refusal's or a rejection's reason) → its name in the report. */
const RULE_NAMES: Readonly<Record<string, PlainKey>> = {
  member_quota: 'usage.rule_member_quota',
  server_budget: 'usage.rule_server_budget',
  channel_not_allowed: 'usage.rule_channel_not_allowed',
  start_role_required: 'usage.rule_start_role_required',
  click_role_required: 'usage.rule_click_role_required',
  role_required: 'usage.rule_role_required',
  rate_limited: 'usage.rule_rate_limited',
  running_cap: 'usage.rule_running_cap',
  paused: 'usage.rule_paused',
  not_requester: 'usage.rule_not_owner',
  not_shower: 'usage.rule_not_owner',
  requester_unknown: 'usage.rule_requester_unknown',
  banned_prompt: 'usage.rule_banned_prompt',
  queue_full: 'usage.rule_queue_full',
  account_limit: 'usage.rule_account_limit',
  unsupported_action: 'usage.rule_unsupported_action',
  no_account: 'usage.rule_no_account',
  parent_not_ready: 'usage.rule_parent_not_ready',
  already_submitted: 'usage.rule_already_submitted',
  task_not_found: 'usage.rule_task_not_found',
  invalid: 'usage.rule_invalid',
  failure: 'usage.rule_failure',
  no_task_id: 'usage.rule_no_task_id',
  unknown_code: 'usage.rule_unknown_code',
};

/** What the usage log names an action (a command, or a button's family) → its name in the report. */
const ACTION_NAMES: Readonly<Record<string, PlainKey>> = {
  imagine: 'command.name_imagine',
  describe: 'command.name_describe',
  blend: 'command.name_blend',
  shorten: 'command.name_shorten',
  upscale: 'action.UPSCALE',
  upscale_hd: 'action.UPSCALE_HD',
  variation: 'action.VARIATION',
  vary_subtle: 'action.LOW_VARIATION',
  vary_strong: 'action.HIGH_VARIATION',
  vary_region: 'action.INPAINT',
  reroll: 'action.REROLL',
  pan: 'action.PAN',
  zoom_out: 'action.OUTPAINT',
  custom_zoom: 'action.CUSTOM_ZOOM',
  remix: 'action.MODAL',
  animate: 'action.VIDEO',
  video_upscale: 'action.UPSCALE',
  pic_reader: 'action.IMAGINE',
  prompt_analyzer: 'action.IMAGINE',
};

const ruleName = (t: Translate, key: string) => t(RULE_NAMES[key] ?? 'usage.rule_unlisted');
const actionName = (t: Translate, key: string) => t(ACTION_NAMES[key] ?? 'action.ACTION');

/** "Upscale 3, Variation 2" with counts added up per shown name (two families can share one). */
function list(t: Translate, tally: Tally, name: (t: Translate, key: string) => string, max = 8): string {
  const named = new Map<string, number>();
  for (const [key, n] of tally) named.set(name(t, key), (named.get(name(t, key)) ?? 0) + n);
  const entries = [...named.entries()];
  const shown = entries.slice(0, max).map(([item, count]) => t('usage.tally_item', { name: item, count }));
  const more = entries.length - shown.length;
  const items = shown.join(t('list.separator'));
  return more > 0 ? t('usage.tally_more', { items, count: more }) : items;
}

function windowName(t: Translate, w: UsageWindow): string {
  return w.days === 1
    ? t('usage.window_today', { day: w.toDay })
    : t('usage.window_days', { days: w.days, from: w.fromDay, to: w.toDay });
}

/** "**12** started (…) · **2** refused (…) · **1** refused by the API (…)" */
function totalsLine(t: Translate, totals: UsageTotals): string {
  const started = t('usage.started', { count: totals.started });
  const parts = [
    totals.byAction.length > 0
      ? t('usage.with_list', { total: started, list: list(t, totals.byAction, actionName) })
      : started,
  ];
  if (totals.refused > 0)
    parts.push(
      t('usage.with_list', {
        total: t('usage.refused', { count: totals.refused }),
        list: list(t, totals.refusedBy, ruleName),
      }),
    );
  if (totals.rejected > 0)
    parts.push(
      t('usage.with_list', {
        total: t('usage.rejected', { count: totals.rejected }),
        list: list(t, totals.rejectedBy, ruleName),
      }),
    );
  return parts.join(' · ');
}

function byDayLine(t: Translate, summary: UsageSummary, days: number): string | null {
  if (days === 1 || summary.byDay.length === 0) return null;
  return t('usage.by_day', { days: summary.byDay.map(([day, n]) => `${day.slice(5)} **${n}**`).join(' · ') });
}

const resetNote = (t: Translate, at: number) => t('usage.resets', { at: Math.floor(at / 1000) });

function budgetLine(t: Translate, today: UsageToday): string | null {
  const budget = today.serverDailyBudget;
  if (budget === null) return null;
  return t('usage.budget_today', {
    used: today.serverStarted,
    budget,
    left: Math.max(0, budget - today.serverStarted),
    reset: resetNote(t, today.resetsAt),
  });
}

const nothingYet = (summary: UsageSummary) => summary.started + summary.refused + summary.rejected === 0;

export function serverUsageSentence(
  t: Translate,
  summary: UsageSummary,
  window: UsageWindow,
  today: UsageToday,
): string {
  const lines = [t('usage.server_title', { window: windowName(t, window) })];
  if (nothingYet(summary)) lines.push(t('usage.nothing'));
  else {
    lines.push(totalsLine(t, summary));
    const days = byDayLine(t, summary, window.days);
    if (days) lines.push(days);
    lines.push(t('usage.members_title'));
    for (const m of summary.members.slice(0, USAGE_MEMBERS_SHOWN)) lines.push(`• <@${m.userId}>: ${totalsLine(t, m)}`);
    const more = summary.members.length - USAGE_MEMBERS_SHOWN;
    if (more > 0) lines.push(t('usage.members_more', { count: more }));
  }
  const quota = today.memberDailyQuota;
  lines.push(
    t('usage.member_quota', {
      quota: quota === null ? t('settings.no_limit') : t('usage.member_quota_per_day', { quota }),
    }),
  );
  const budget = budgetLine(t, today);
  if (budget) lines.push(budget);
  return lines.join('\n');
}

/** A member's own report (`self`), or one member's report for an admin. */
export function memberUsageSentence(
  t: Translate,
  summary: UsageSummary,
  window: UsageWindow,
  today: UsageToday,
  who: { self: true } | { self: false; userId: string },
): string {
  const shownWindow = windowName(t, window);
  const lines = [
    who.self
      ? t('usage.self_title', { window: shownWindow })
      : t('usage.member_title', { userId: who.userId, window: shownWindow }),
  ];
  lines.push(nothingYet(summary) ? t('usage.nothing') : totalsLine(t, summary));
  const days = byDayLine(t, summary, window.days);
  if (days) lines.push(days);
  const quota = today.memberDailyQuota;
  const started = today.memberStarted;
  if (quota === null) lines.push(t('usage.today_no_quota', { started }));
  else if (today.memberExempt) lines.push(t('usage.today_exempt', { started, quota }));
  else
    lines.push(
      t('usage.today_quota', {
        started,
        quota,
        left: Math.max(0, quota - started),
        reset: resetNote(t, today.resetsAt),
      }),
    );
  const budget = budgetLine(t, today);
  if (budget) lines.push(budget);
  return lines.join('\n');
}
