// The sentences of the commands and of the router that are not refusals: /mjtask's watch notes,
// /mjupdates' answers, and the one answer for an unexpected failure. Pure; worded by `t` (src/i18n).
import type { Translate } from '../i18n/index.js';

export function unexpectedFailureSentence(t: Translate): string {
  return t('command.unexpected_failure');
}

/** /mjtask's private note while the (slow) task is posted publicly under it. */
export function taskShownBelowSentence(t: Translate, taskId: string): string {
  return t('command.task_shown_below', { taskId: taskId.slice(0, 64) });
}

export function alreadyFollowedElsewhereSentence(t: Translate): string {
  return t('command.already_followed_elsewhere');
}

export function watchNotSavedSentence(t: Translate): string {
  return t('command.watch_not_saved');
}

export function watchNotPossibleSentence(t: Translate): string {
  return t('command.watch_not_possible');
}

/** Where /mjupdates show says tasks go: the server's own setting, UPDATES_CHANNEL_ID, or the starting channel. */
export type UpdatesChannelSource =
  | { source: 'server'; channelId: string }
  | { source: 'config'; channelId: string }
  | { source: 'origin' };

export function updatesChannelShownSentence(t: Translate, where: UpdatesChannelSource): string {
  const place =
    where.source === 'server'
      ? t('command.updates_place_server', { channelId: where.channelId })
      : where.source === 'config'
        ? t('command.updates_place_config', { channelId: where.channelId })
        : t('command.updates_place_origin');
  return t('command.updates_shown', { place });
}

export function updatesChannelClearedSentence(t: Translate): string {
  return t('command.updates_cleared');
}

export function updatesChannelSetSentence(t: Translate, channelId: string): string {
  return t('command.updates_set', { channelId });
}
