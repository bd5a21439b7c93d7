// The sentence for every refusal (reasons.ts): guards, a message or form that no longer carries what
// the bot needs, buttons a bot cannot serve, and the admin commands' checks. Pure; one switch, so a
// new reason does not compile until it is worded (in src/i18n's every language).
import type { Translate } from '../i18n/index.js';
import { truncate } from '../render/limits.js';
import type { Refusal } from './reasons.js';
import { newTaskInputSentence } from './new-task.js';
import { whereShown } from './submit.js';

/** "a, b or c" in the member's language (at most five named, then how many more). */
function listOf(t: Translate, items: readonly string[], joiner: 'and' | 'or' = 'and'): string {
  const shown = items.slice(0, 5);
  const more = items.length - shown.length;
  const separator = t('list.separator');
  if (more > 0)
    return joiner === 'and'
      ? t('list.and_more', { items: shown.join(separator), count: more })
      : t('list.or_more', { items: shown.join(separator), count: more });
  if (shown.length <= 1) return shown[0] ?? '';
  const head = shown.slice(0, -1).join(separator);
  const last = shown[shown.length - 1] ?? '';
  return joiner === 'and' ? t('list.and', { items: head, last }) : t('list.or', { items: head, last });
}

/** Discord shows these in the reader's own time zone: "at 1 January 2027 00:00 (in 5 hours)". */
function resetTime(t: Translate, at: number): string {
  return t('refusal.reset_time', { at: Math.floor(at / 1000) });
}

export function refusalSentence(t: Translate, refusal: Refusal): string {
  switch (refusal.reason) {
    case 'not_requester':
      return t('refusal.not_requester', { requesterId: refusal.requesterId });
    case 'not_shower':
      return t('refusal.not_shower', { showerId: refusal.showerId });
    case 'paused':
      return t('refusal.paused', {
        prompts: t('unit.prompt', { count: refusal.count }),
        until: Math.ceil(refusal.until / 1000),
      });
    case 'requester_unknown':
      return t('refusal.requester_unknown');
    case 'role_required':
      return t('refusal.role_required');
    case 'rate_limited':
      return t('refusal.rate_limited', {
        times: t('unit.time', { count: refusal.limitPerMinute }),
        seconds: t('unit.second', { count: Math.max(1, Math.ceil(refusal.retryAfterMs / 1000)) }),
      });
    case 'running_cap':
      return t('refusal.running_cap', { tasks: t('unit.task', { count: refusal.max }) });
    case 'repeat_click': {
      const where = refusal.place
        ? t('refusal.repeat_click_place', { place: whereShown(refusal.place) })
        : refusal.taskId
          ? t('refusal.repeat_click_task', { taskId: refusal.taskId })
          : t('refusal.repeat_click_unconfirmed');
      return t('refusal.repeat_click', {
        userId: refusal.userId,
        when: `<t:${Math.floor(refusal.at / 1000)}:R>`,
        where,
      });
    }
    case 'no_task_id':
      return t('refusal.no_task_id');
    case 'button_not_on_task':
      return t('refusal.button_not_on_task');
    case 'vary_region':
      return t('refusal.vary_region');
    case 'bookmark':
      return t('refusal.bookmark');
    case 'custom_zoom_prompt':
      return t('refusal.custom_zoom_prompt', { prompt: truncate(refusal.prompt.replace(/`/g, "'"), 1700) });
    case 'empty_prompt':
      return t('refusal.empty_prompt');
    case 'form_expired':
      return t('refusal.form_expired');
    case 'unknown_command':
      return t('refusal.unknown_command');
    case 'unknown_button':
      return t('refusal.unknown_button');
    case 'unknown_form':
      return t('refusal.unknown_form');
    case 'store_unavailable':
      return t('refusal.store_unavailable');
    case 'store_unavailable_after_submit':
      return t('refusal.store_unavailable_after_submit', { label: refusal.label, taskId: refusal.taskId });
    case 'server_only':
      return t('refusal.server_only');
    case 'guild_not_allowed':
      return t('refusal.guild_not_allowed');
    case 'dm_not_supported':
      return t('refusal.dm_not_supported');
    case 'manage_server_only':
      return t('refusal.manage_server_only');
    case 'settings_target_missing':
      return refusal.target === 'channel' ? t('refusal.settings_channel_missing') : t('refusal.settings_role_missing');
    case 'settings_list_full':
      return t('refusal.settings_list_full', { max: refusal.max });
    case 'settings_quota_missing':
      return t('refusal.settings_quota_missing');
    case 'settings_reset_unconfirmed':
      return t('refusal.settings_reset_unconfirmed');
    case 'usage_others_manage_only':
      return t('refusal.usage_others_manage_only');
    case 'channel_not_allowed':
      return t('refusal.channel_not_allowed', {
        channels: listOf(
          t,
          refusal.allowedChannelIds.map((id) => `<#${id}>`),
        ),
      });
    case 'start_role_required':
      return t('refusal.start_role_required', {
        roles: listOf(
          t,
          refusal.roleIds.map((id) => `<@&${id}>`),
          'or',
        ),
      });
    case 'click_role_required':
      return t('refusal.click_role_required', {
        roles: listOf(
          t,
          refusal.roleIds.map((id) => `<@&${id}>`),
          'or',
        ),
      });
    case 'member_quota':
    case 'server_budget': {
      const member = refusal.reason === 'member_quota';
      const tasks = t('unit.task', { count: member ? refusal.quota : refusal.budget });
      const reset = resetTime(t, refusal.resetsAt);
      const { wanted } = refusal;
      if (wanted === undefined) return t(member ? 'refusal.member_quota' : 'refusal.server_budget', { tasks, reset });
      return t(member ? 'refusal.member_quota_short' : 'refusal.server_budget_short', {
        tasks,
        reset,
        wanted: t('unit.task', { count: wanted.tasks }),
        left: wanted.left,
      });
    }
    case 'channel_missing_permissions':
      return t('refusal.channel_missing_permissions', {
        channelId: refusal.channelId,
        missing: listOf(
          t,
          refusal.missing.map((permission) => t(`permission.${permission}`)),
        ),
      });
    case 'new_task_input':
      return newTaskInputSentence(t, refusal.problem);
  }
}
