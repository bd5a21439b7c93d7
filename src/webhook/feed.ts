// What a notifyHook push does: a followed task moves forward in the tracker; a task the bot does not
// follow but that one of its members started (the `state` we pass on submit names the server and the
// member) is picked up in that server's updates channel, so a result missed during a restart or
// submitted before the bot followed it still arrives. Anything else is ignored.
import { parseSubmitState } from '../actions/message-facts.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import type { Store } from '../store/store.js';
import type { Tracker } from '../tracking/tracker.js';
import type { PushResult } from './server.js';

export interface FeedPushDeps {
  tracker: Pick<Tracker, 'push' | 'follow'>;
  store: Pick<Store, 'settings'>;
  /** UPDATES_CHANNEL_ID: the fallback when the server has no channel of its own. */
  configuredChannelId: string | null;
  log: Logger;
}

export function createFeedPushHandler(deps: FeedPushDeps): (task: MjTask) => Promise<PushResult> {
  return async (task) => {
    if (deps.tracker.push(task)) return 'applied';
    const origin = parseSubmitState(task.state);
    const channelId = (origin?.guildId ? deps.store.settings.getUpdatesChannel(origin.guildId) : null) ?? deps.configuredChannelId;
    if (!channelId) return 'ignored';
    try {
      await deps.tracker.follow(task.id, { guildId: origin?.guildId ?? null, channelId, messageId: null, requesterId: origin?.userId ?? null, origin: 'feed' }, task);
      deps.log.info({ event: 'webhook.recorded', taskId: task.id, channelId }, 'push for an unfollowed task recorded in the updates channel');
      return 'recorded';
    } catch (err) {
      deps.log.warn({ event: 'webhook.record_failed', taskId: task.id, channelId, err }, 'could not record a pushed task');
      return 'ignored';
    }
  };
}
