// What a notifyHook push does: a followed task moves forward in the tracker; a task the bot does not
// follow but that one of its members started (the `state` we pass on submit names the server and the
// member) is picked up in that server's updates channel, so a result missed during a restart or
// submitted before the bot followed it still arrives. Anything else is ignored.
import { parseSubmitState } from '../mj/submit-state.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import type { Store } from '../store/store.js';
import type { Tracker } from '../tracking/types.js';
import type { PushResult } from './server.js';

export interface FeedPushDeps {
  tracker: Pick<Tracker, 'push' | 'follow'>;
  store: Pick<Store, 'settings' | 'tracked'>;
  /** Verifies the signed submit state (deriveStateKey): only a state the bot signed names a member. */
  stateKey: Buffer;
  /** UPDATES_CHANNEL_ID: the fallback when the server has no channel of its own. */
  configuredChannelId: string | null;
  log: Logger;
}

export function createFeedPushHandler(deps: FeedPushDeps): (task: MjTask) => Promise<PushResult> {
  return async (task) => {
    const pushed = deps.tracker.push(task);
    if (pushed !== 'untracked') return pushed;
    // Followed before and finished (result sent, channel gone, timed out): proxies repeat the final
    // state, and picking it up again would post a second result.
    const known = deps.store.tracked.get(task.id);
    if (known && known.phase !== 'active') return 'stale';
    const origin = parseSubmitState(task.state, deps.stateKey);
    const channelId =
      (origin?.guildId ? deps.store.settings.getUpdatesChannel(origin.guildId) : null) ?? deps.configuredChannelId;
    if (!channelId) return 'ignored';
    try {
      await deps.tracker.follow(
        task.id,
        {
          guildId: origin?.guildId ?? null,
          channelId,
          messageId: null,
          requesterId: origin?.userId ?? null,
          origin: 'feed',
        },
        task,
      );
      deps.log.info(
        { event: 'webhook.recorded', taskId: task.id, channelId },
        'push for an unfollowed task recorded in the updates channel',
      );
      return 'recorded';
    } catch (err) {
      deps.log.warn(
        { event: 'webhook.record_failed', taskId: task.id, channelId, err },
        'could not record a pushed task',
      );
      return 'ignored';
    }
  };
}
