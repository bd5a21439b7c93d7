// The sentence for every refusal (reasons.ts): guards, a message or form that no longer carries what
// the bot needs, buttons a bot cannot serve, and the admin commands' checks. Pure; one switch, so a
// new reason does not compile until it is worded.
import { truncate } from '../render/limits.js';
import type { Refusal } from './reasons.js';
import { newTaskInputSentence } from './new-task.js';
import { whereShown } from './submit.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "a, b or c" (at most five named, then how many more). */
function listOf(items: readonly string[], last = 'and'): string {
  const shown = items.slice(0, 5);
  const more = items.length - shown.length;
  if (more > 0) return `${shown.join(', ')} ${last} ${more} more`;
  if (shown.length <= 1) return shown[0] ?? '';
  return `${shown.slice(0, -1).join(', ')} ${last} ${shown[shown.length - 1]}`;
}

/** Discord shows these in the reader's own time zone: "at 1 January 2027 00:00 (in 5 hours)". */
function resetTime(at: number): string {
  const s = Math.floor(at / 1000);
  return `at <t:${s}:f> (<t:${s}:R>, midnight UTC)`;
}

export function refusalSentence(refusal: Refusal): string {
  switch (refusal.reason) {
    case 'not_requester':
      return `🔒 Only <@${refusal.requesterId}>, who started this task, can use its buttons.`;
    case 'not_shower':
      return `🔒 This task was not started with this bot, so only <@${refusal.showerId}>, who showed it here, can use its buttons.`;
    case 'paused': {
      const until = Math.ceil(refusal.until / 1000);
      return `⏸️ The API refused ${plural(refusal.count, 'prompt')} of yours as banned recently, so your submits are paused until <t:${until}:f> (<t:${until}:R>). Nothing was submitted. Too many banned prompts can get the bot's shared Midjourney account blocked.`;
    }
    case 'requester_unknown':
      return `🔒 The bot cannot tell who started this task, so only members with an allowed role can use its buttons.`;
    case 'role_required':
      return `🔒 Only members with an allowed role can use these buttons.`;
    case 'rate_limited': {
      const s = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
      return `⏳ You can submit ${plural(refusal.limitPerMinute, 'time')} per minute. Try again in ${plural(s, 'second')}.`;
    }
    case 'running_cap':
      return `⏳ You already have ${plural(refusal.max, 'task')} running. Wait for one to finish, then try again.`;
    case 'repeat_click': {
      const when = `<t:${Math.floor(refusal.at / 1000)}:R>`;
      const where = refusal.place
        ? ` → ${whereShown(refusal.place)}`
        : refusal.taskId
          ? ` → task \`${refusal.taskId}\``
          : ' (the API never confirmed it, so it may still be running: wait a minute before trying again)';
      return `🔁 Already submitted by <@${refusal.userId}> ${when}, so nothing new was submitted${where}`;
    }
    case 'no_task_id':
      return `⚠️ This message does not carry a task ID, so its buttons cannot be used. Show the task again with /mjtask.`;
    case 'button_not_on_task':
      return `⚠️ This button no longer matches any button of the task. Show the task again with /mjtask.`;
    case 'vary_region':
      return `🖌️ Vary (Region) needs Midjourney's mask editor, which Discord cannot show to a bot. Nothing was submitted; use Vary (Subtle) or Vary (Strong), or the Midjourney website.`;
    case 'bookmark':
      return `❤️ Bookmarking only exists on Midjourney's own site and bot; this bot cannot do it. Nothing was submitted.`;
    case 'custom_zoom_prompt':
      return `⚠️ Custom Zoom needs \`--zoom\` with a value from 1 to 2 (e.g. \`--zoom 1.5\`). Nothing was submitted; press Custom Zoom again. Your prompt was:\n${truncate(refusal.prompt.replace(/`/g, "'"), 1700)}`;
    case 'empty_prompt':
      return `⚠️ The prompt is empty. Nothing was submitted.`;
    case 'form_expired':
      return `⚠️ This form no longer carries what the bot needs. Press the button again.`;
    case 'unknown_command':
      return '⚠️ This command is not known to the bot any more.';
    case 'unknown_button':
      return '⚠️ This button is not one the bot knows. It may come from an older version.';
    case 'unknown_form':
      return '⚠️ This form is not one the bot knows any more.';
    case 'store_unavailable':
      return '💾 The bot cannot save anything right now (its database is full or read-only), so it stopped before submitting: nothing was submitted. Please tell an admin.';
    case 'store_unavailable_after_submit':
      return `💾 ${refusal.label} was submitted as task \`${refusal.taskId}\`, but the bot cannot save right now (its database is full or read-only), so it cannot follow it. Use \`/mjtask id:${refusal.taskId}\` in a while, and please tell an admin.`;
    case 'server_only':
      return '⚠️ This command only works in a server.';
    case 'guild_not_allowed':
      return '🚫 This bot is not set up to work in this server. Nothing was submitted.';
    case 'dm_not_supported':
      return '🚫 This bot only works in servers, not in direct messages. Use it in a server channel where it is installed.';
    case 'manage_server_only':
      return "🔒 Only members with the Manage Server permission can see or change this bot's settings.";
    case 'settings_target_missing':
      return refusal.target === 'channel'
        ? '⚠️ Name the channel to add or remove (the `channel` option). Nothing changed.'
        : '⚠️ Name the role to add or remove (the `role` option). Nothing changed.';
    case 'settings_list_full':
      return `⚠️ A list holds at most ${refusal.max} entries. Remove one first. Nothing changed.`;
    case 'settings_quota_missing':
      return '⚠️ Give `member_per_day`, `server_per_day` or both (0 = no limit). Nothing changed.';
    case 'settings_reset_unconfirmed':
      return '⚠️ Nothing was reset: run `/mjsettings reset confirm:True` to put every setting back to its default.';
    case 'usage_others_manage_only':
      return "🔒 Only members with the Manage Server permission can see other members' usage. Run `/mjusage` alone for your own.";
    case 'channel_not_allowed':
      return `🚫 The admins keep this bot to ${listOf(refusal.allowedChannelIds.map((id) => `<#${id}>`))} in this server. Nothing was submitted; use it there.`;
    case 'start_role_required':
      return `🔒 In this server only members with ${listOf(
        refusal.roleIds.map((id) => `<@&${id}>`),
        'or',
      )} can start tasks (a rule set by the admins). Nothing was submitted.`;
    case 'click_role_required':
      return `🔒 In this server only members with ${listOf(
        refusal.roleIds.map((id) => `<@&${id}>`),
        'or',
      )} can use task buttons (a rule set by the admins). Nothing was submitted.`;
    case 'member_quota':
      return `📅 You have used your daily quota of ${plural(refusal.quota, 'task')} in this server (set by the admins). Nothing was submitted. It resets ${resetTime(refusal.resetsAt)}.`;
    case 'server_budget':
      return `📅 This server has used its daily budget of ${plural(refusal.budget, 'task')} (set by the admins). Nothing was submitted. It resets ${resetTime(refusal.resetsAt)}.`;
    case 'channel_missing_permissions':
      return `⚠️ I cannot use <#${refusal.channelId}>: I am missing ${refusal.missing.join(', ')} there. Grant them and try again.`;
    case 'new_task_input':
      return newTaskInputSentence(refusal.problem);
  }
}
