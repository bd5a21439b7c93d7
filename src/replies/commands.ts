// The sentences of the commands and of the router that are not refusals: /mjtask's watch notes,
// /mjupdates' answers, and the one answer for an unexpected failure. Pure.

export function unexpectedFailureSentence(): string {
  return '⚠️ Something went wrong on the bot side. Nothing was charged twice; try again, and tell an admin if it keeps happening.';
}

/** /mjtask's private note while the (slow) task is posted publicly under it. */
export function taskShownBelowSentence(taskId: string): string {
  return `🔎 Task \`${taskId.slice(0, 64)}\` is posted below.`;
}

export function alreadyFollowedElsewhereSentence(): string {
  return `👀 This task is already followed in another message; its result will be posted there.`;
}

export function watchNotSavedSentence(): string {
  return '💾 The bot cannot save right now (its database is full or read-only), so this message will not update by itself. Run /mjtask again later, and please tell an admin.';
}

export function watchNotPossibleSentence(): string {
  return '⚠️ I cannot post in this channel, so this message will not update by itself. Run /mjtask again later.';
}

/** Where /mjupdates show says tasks go: the server's own setting, UPDATES_CHANNEL_ID, or the starting channel. */
export type UpdatesChannelSource =
  | { source: 'server'; channelId: string }
  | { source: 'config'; channelId: string }
  | { source: 'origin' };

export function updatesChannelShownSentence(where: UpdatesChannelSource): string {
  const place =
    where.source === 'server'
      ? `<#${where.channelId}> (set with /mjupdates)`
      : where.source === 'config'
        ? `<#${where.channelId}> (UPDATES_CHANNEL_ID)`
        : 'the channel where each task is started';
  return `📣 Tasks started with the bot are reported in ${place}.`;
}

export function updatesChannelClearedSentence(): string {
  return '📣 Done: each task is now reported in the channel where it was started.';
}

export function updatesChannelSetSentence(channelId: string): string {
  return `📣 Done: tasks started with the bot in this server are now reported in <#${channelId}>.`;
}
