// The sentences a member reads about a submit's outcome (clicks, pop-ups, /imagine), so each
// situation is always worded the same way. Pure: each function takes an outcome's parameters and
// returns English; a second language implements the same functions.
// API descriptions are quoted on one line, cut short and without backticks.
import { oneLine, truncate } from '../render/limits.js';
import type { Place, Rejection } from './reasons.js';

/** https link to a message; `@me` for DMs. */
export function messageLink(guildId: string | null, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`;
}

/** Where a task is shown: "<#channel>: <link>", or just "<#channel>" when the message id is unknown. */
export function whereShown(place: Place): string {
  return place.messageId
    ? `<#${place.channelId}>: ${messageLink(place.guildId, place.channelId, place.messageId)}`
    : `<#${place.channelId}>`;
}

function quoteApi(description: string): string {
  const text = truncate(oneLine(description).replace(/`/g, "'"), 300);
  return text === '' ? '' : ` (the API said: \`${text}\`)`;
}

/** The sentence for a refused submit of `label` ("U1", "Custom Zoom", "/imagine"). */
export function rejectionSentence(rejection: Rejection, label: string): string {
  const c = { ...rejection, label };
  const api = quoteApi(c.description);
  switch (c.reason) {
    case 'unsupported_action':
      return `🚫 This server cannot run ${c.label}. Nothing was submitted.`;
    case 'parent_not_ready':
      // The server's "related task status error": under a finished grid it means the server will not
      // run this button on it (it lost or refuses the task), not that the task is still running.
      return `⚠️ The Midjourney API would not run ${c.label} on this task${api}. Nothing was submitted.`;
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
  place: Place;
}): string {
  const queue = a.queuePosition !== null ? ` — position ${a.queuePosition} in the queue` : '';
  const more = a.moreTaskCount > 0 ? ` (and ${a.moreTaskCount} more task${a.moreTaskCount === 1 ? '' : 's'})` : '';
  return `✅ ${a.label} submitted${queue} — following it in ${whereShown(a.place)}${more}`;
}

export function existingSentence(a: { label: string; place: Place }): string {
  return `ℹ️ ${a.label} was already done for this image, so nothing new was submitted. Showing it in ${whereShown(a.place)}`;
}

/** Submitted (money spent), but the progress message could not be posted. Gives the id so nothing is lost. */
export function followFailedSentence(label: string, taskId: string, channelId: string): string {
  return `✅ ${label} submitted as task \`${taskId}\`, but the bot could not post in <#${channelId}>. Use \`/mjtask id:${taskId}\` to see it.`;
}

export function noNewTaskSentence(label: string): string {
  return `✅ ${label} done. It does not start a new image, so there is nothing to follow.`;
}

/**
 * The prompt form was filled in, but the action started a normal task (the server has no pop-up for it,
 * e.g. the account auto-submits Remix): the edited prompt was not used. The task is followed anyway.
 */
export function promptNotAppliedSentence(label: string, place: Place | null, taskId: string): string {
  const where = place !== null ? `following it in ${whereShown(place)}` : `task \`${taskId}\``;
  return `⚠️ ${label} started without waiting for a prompt, so your edited prompt could not apply: it runs with the original prompt — ${where}`;
}

/** The ephemeral reply when the API asks for a prompt after the submit (Remix mode, Describe/Shorten). */
export function needsPromptSentence(label: string): string {
  return `✏️ ${label} needs a prompt first (Remix mode is on for this Midjourney account). Press **Edit prompt & submit**; nothing runs until you do.`;
}
