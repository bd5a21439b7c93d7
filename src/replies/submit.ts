// The sentences a member reads about a submit's outcome (clicks, pop-ups, /imagine), so each
// situation is always worded the same way. Pure: each function takes `t` (the language, src/i18n)
// and an outcome's parameters.
// API descriptions are quoted on one line, cut short and without backticks.
import type { Translate } from '../i18n/index.js';
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

function quoteApi(t: Translate, description: string): string {
  const text = truncate(oneLine(description).replace(/`/g, "'"), 300);
  return text === '' ? '' : t('submit.api_said', { text });
}

/** The sentence for a refused submit of `label` ("U1", "Custom Zoom", "/imagine"). */
export function rejectionSentence(t: Translate, rejection: Rejection, label: string): string {
  const api = quoteApi(t, rejection.description);
  switch (rejection.reason) {
    case 'unsupported_action':
      return t('submit.unsupported_action', { label });
    case 'parent_not_ready':
      // The server's "related task status error": under a finished grid it means the server will not
      // run this button on it (it lost or refuses the task), not that the task is still running.
      return t('submit.parent_not_ready', { label, api });
    case 'already_submitted':
      return t('submit.already_submitted');
    case 'task_not_found':
      return t('submit.task_not_found');
    case 'no_account':
      return t('submit.no_account', { api });
    case 'queue_full':
      return t('submit.queue_full');
    case 'account_limit':
      return t('submit.account_limit', { api });
    case 'banned_prompt': {
      const word = rejection.bannedWord ? truncate(oneLine(rejection.bannedWord).replace(/`/g, "'"), 100) : '';
      return word !== '' ? t('submit.banned_word', { word }) : t('submit.banned_prompt');
    }
    case 'invalid':
      return t('submit.invalid', { label, api });
    case 'failure':
      return t('submit.failure', { label, api });
    case 'no_task_id':
      return t('submit.no_task_id', { label, api });
    case 'unknown_code':
      return t('submit.unknown_code', { label, code: rejection.code, api });
  }
}

export function acceptedSentence(
  t: Translate,
  a: { label: string; taskId: string; queuePosition: number | null; moreTaskCount: number; place: Place },
): string {
  return t('submit.accepted', {
    label: a.label,
    queue: a.queuePosition !== null ? t('submit.queue_position', { position: a.queuePosition }) : '',
    place: whereShown(a.place),
    more: a.moreTaskCount > 0 ? t('unit.more_tasks', { count: a.moreTaskCount }) : '',
  });
}

export function existingSentence(t: Translate, a: { label: string; place: Place }): string {
  return t('submit.existing', { label: a.label, place: whereShown(a.place) });
}

/** Submitted (money spent), but the progress message could not be posted. Gives the id so nothing is lost. */
export function followFailedSentence(t: Translate, label: string, taskId: string, channelId: string): string {
  return t('submit.follow_failed', { label, taskId, channelId });
}

export function noNewTaskSentence(t: Translate, label: string): string {
  return t('submit.no_new_task', { label });
}

/**
 * The prompt form was filled in, but the action started a normal task (the server has no pop-up for it,
 * e.g. the account auto-submits Remix): the edited prompt was not used. The task is followed anyway.
 */
export function promptNotAppliedSentence(t: Translate, label: string, place: Place | null, taskId: string): string {
  const where =
    place !== null
      ? t('submit.prompt_not_applied_place', { place: whereShown(place) })
      : t('submit.prompt_not_applied_task', { taskId });
  return t('submit.prompt_not_applied', { label, where });
}

/** The ephemeral reply when the API asks for a prompt after the submit (Remix mode, Describe/Shorten). */
export function needsPromptSentence(t: Translate, label: string): string {
  return t('submit.needs_prompt', { label });
}
