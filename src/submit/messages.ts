// Every sentence a member reads about clicks, pop-ups and /imagine, in one place, so each situation is
// always worded the same way. Pure. API descriptions are quoted on one line, cut short and without
// backticks; they never contain the API key (the client does not echo it, and these come from bodies).
import { oneLine, truncate } from '../render/limits.js';
import type { RejectReason, SubmitRoute } from './submit-reasons.js';

/** https link to a message; `@me` for DMs. */
export function messageLink(guildId: string | null, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`;
}

/** Where a task is shown: "<#channel>: <link>", or just "<#channel>" when the message id is unknown. */
export function whereShown(place: { guildId: string | null; channelId: string; messageId: string | null }): string {
  return place.messageId
    ? `<#${place.channelId}>: ${messageLink(place.guildId, place.channelId, place.messageId)}`
    : `<#${place.channelId}>`;
}

function quoteApi(description: string): string {
  const text = truncate(oneLine(description).replace(/`/g, "'"), 300);
  return text === '' ? '' : ` (the API said: \`${text}\`)`;
}

export interface RejectionContext {
  route: SubmitRoute;
  label: string;
  description: string;
  code: number;
  bannedWord?: string | null;
}

export function rejectionSentence(reason: RejectReason, c: RejectionContext): string {
  const api = quoteApi(c.description);
  switch (reason) {
    case 'unsupported_action':
      return `🚫 This Midjourney API does not support ${c.label}. Nothing was submitted.`;
    case 'parent_not_ready':
      return `⏳ This task has not finished successfully, so ${c.label} cannot run on it yet. Nothing was submitted.`;
    case 'already_submitted':
      return `ℹ️ This prompt was already submitted (the task no longer waits for a prompt). Nothing new was submitted.`;
    case 'task_not_found':
      return `🔍 The Midjourney API no longer knows this task (it may have expired). Nothing was submitted.`;
    case 'no_account':
      return `⏳ No Midjourney account is available right now${api}. Nothing was submitted; try again in a few minutes.`;
    case 'queue_full':
      return `🚦 The Midjourney queue is full. Nothing was submitted; try again in a few minutes.`;
    case 'account_limit':
      return `🚦 The Midjourney account has reached a limit${api}. Nothing was submitted; try again later.`;
    case 'banned_prompt': {
      const word = c.bannedWord ? truncate(oneLine(c.bannedWord).replace(/`/g, "'"), 100) : '';
      return word !== ''
        ? `🚫 Midjourney refused the prompt: the word \`${word}\` is banned. Rephrase it and try again. Nothing was submitted.`
        : `🚫 Midjourney refused the prompt because it contains a banned word. Rephrase it and try again. Nothing was submitted.`;
    }
    case 'invalid':
      return `⚠️ The Midjourney API refused ${c.label}${api}. Nothing was submitted.`;
    case 'failure':
      return `💥 The Midjourney API could not submit ${c.label}${api}. Try again in a minute.`;
    case 'no_task_id':
      return `⚠️ The Midjourney API accepted ${c.label} but did not say which task it started${api}. Check the updates channel, or try /mjtask later.`;
    case 'unknown_code':
      return `⚠️ The Midjourney API gave an unexpected answer to ${c.label} (code ${c.code})${api}.`;
  }
}

export function acceptedSentence(a: {
  label: string;
  taskId: string;
  queuePosition: number | null;
  moreTaskCount: number;
  place: { guildId: string | null; channelId: string; messageId: string | null };
}): string {
  const queue = a.queuePosition !== null ? ` — position ${a.queuePosition} in the queue` : '';
  const more = a.moreTaskCount > 0 ? ` (and ${a.moreTaskCount} more task${a.moreTaskCount === 1 ? '' : 's'})` : '';
  return `✅ ${a.label} submitted${queue} — following it in ${whereShown(a.place)}${more}`;
}

export function existingSentence(a: {
  label: string;
  place: { guildId: string | null; channelId: string; messageId: string | null };
}): string {
  return `ℹ️ ${a.label} was already done for this image, so nothing new was submitted. Showing it in ${whereShown(a.place)}`;
}

/** Submitted (money spent), but the progress message could not be posted. Gives the id so nothing is lost. */
export function followFailedSentence(label: string, taskId: string, channelId: string): string {
  return `✅ ${label} submitted as task \`${taskId}\`, but the bot could not post in <#${channelId}>. Use \`/mjtask id:${taskId}\` to see it.`;
}

export function noNewTaskSentence(label: string): string {
  return `✅ ${label} done. It does not start a new image, so there is nothing to follow.`;
}

/** The ephemeral reply when the API asks for a prompt after the submit (Remix mode, Describe/Shorten). */
export function needsPromptSentence(label: string): string {
  return `✏️ ${label} needs a prompt first (Remix mode is on for this Midjourney account). Press **Edit prompt & submit**; nothing runs until you do.`;
}

export function doubleClickSentence(d: {
  userId: string;
  at: number;
  /** Where the first click's task is shown; null when it has no message (yet). */
  place: { guildId: string | null; channelId: string; messageId: string | null } | null;
  /** The first click's task; null when its submit got no answer (a timeout). */
  taskId: string | null;
}): string {
  const when = `<t:${Math.floor(d.at / 1000)}:R>`;
  const where = d.place
    ? ` → ${whereShown(d.place)}`
    : d.taskId
      ? ` → task \`${d.taskId}\``
      : ' (the API never confirmed it, so it may still be running: wait a minute before trying again)';
  return `🔁 Already submitted by <@${d.userId}> ${when}, so nothing new was submitted${where}`;
}

export function notRequesterSentence(requesterId: string): string {
  return `🔒 Only <@${requesterId}>, who started this task, can use its buttons.`;
}

export function requesterUnknownSentence(): string {
  return `🔒 The bot cannot tell who started this task, so only members with an allowed role can use its buttons.`;
}

export function roleRequiredSentence(): string {
  return `🔒 Only members with an allowed role can use these buttons.`;
}

export function rateLimitedSentence(limitPerMinute: number, retryAfterMs: number): string {
  const s = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `⏳ You can submit ${limitPerMinute} time${limitPerMinute === 1 ? '' : 's'} per minute. Try again in ${s} second${s === 1 ? '' : 's'}.`;
}

export function runningCapSentence(max: number): string {
  return `⏳ You already have ${max} task${max === 1 ? '' : 's'} running. Wait for one to finish, then try again.`;
}

export function noTaskIdSentence(): string {
  return `⚠️ This message does not carry a task ID, so its buttons cannot be used. Show the task again with /mjtask.`;
}

export function buttonNotOnTaskSentence(): string {
  return `⚠️ This button no longer matches any button of the task. Show the task again with /mjtask.`;
}

export function varyRegionSentence(): string {
  return `🖌️ Vary (Region) needs Midjourney's mask editor, which Discord cannot show to a bot. Nothing was submitted; use Vary (Subtle) or Vary (Strong), or the Midjourney website.`;
}

export function bookmarkSentence(): string {
  return `❤️ Bookmarking only exists on Midjourney's own site and bot; this bot cannot do it. Nothing was submitted.`;
}

export function customZoomPromptSentence(prompt: string): string {
  return `⚠️ Custom Zoom needs \`--zoom\` with a value from 1 to 2 (e.g. \`--zoom 1.5\`). Nothing was submitted; press Custom Zoom again. Your prompt was:\n${truncate(prompt.replace(/`/g, "'"), 1700)}`;
}

export function emptyPromptSentence(): string {
  return `⚠️ The prompt is empty. Nothing was submitted.`;
}

export function formExpiredSentence(): string {
  return `⚠️ This form no longer carries what the bot needs. Press the button again.`;
}
