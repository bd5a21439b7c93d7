// What a notifyHook push does. A push is a hint, never the truth: anyone who has the webhook secret
// can send any body. For a followed task it brings the next re-read from the API forward. A task the
// bot does not follow is looked up in the API (in the same batches as the polls) and, when the API's
// answer carries the bot's own `state`, picked up in that server's updates channel, so a result missed
// during a restart still arrives; the member mentioned is the one that state names. Pick-ups are capped
// per server and overall. Anything else is ignored.
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import type { Store } from '../store/store.js';
import type { TaskTarget } from '../store/tracked-tasks.js';
import type { Tracker } from '../tracking/types.js';
import { createPickUpCaps, type PickUpCapsOptions } from './pickup-caps.js';
import type { PushResult } from './server.js';

/** Who started a task, as its `state` says. */
export interface StateOwner {
  guildId: string | null;
  userId: string;
}

export interface FeedPushDeps {
  tracker: Pick<Tracker, 'hint' | 'pickUp'>;
  store: Pick<Store, 'settings' | 'tracked' | 'relay'>;
  /** UPDATES_CHANNEL_ID: the fallback when the server has no channel of its own. */
  configuredChannelId: string | null;
  /** The one place a task's `state` is read: its owner when the bot wrote it, else null. */
  stateOwner(state: string): StateOwner | null;
  /** The language of the server's channel messages (its /mjsettings choice, else its preferred locale). */
  localeFor?(guildId: string | null): Promise<string>;
  clock: Clock;
  caps?: PickUpCapsOptions;
  log: Logger;
}

export function createFeedPushHandler(deps: FeedPushDeps): (task: MjTask) => Promise<PushResult> {
  const caps = createPickUpCaps(deps.caps);
  const channelFor = async (guildId: string | null) =>
    (guildId ? await deps.store.settings.getUpdatesChannel(guildId) : null) ?? deps.configuredChannelId;

  /** The target of a task read from the API, or null (not ours, no channel, over a cap). */
  const targetFor = async (read: MjTask): Promise<TaskTarget | null> => {
    const owner = deps.stateOwner(read.state);
    const channelId = owner ? await channelFor(owner.guildId) : null;
    if (!owner || !channelId) return null;
    if (!caps.take(owner.guildId, deps.clock.now())) {
      deps.log.warn({ event: 'webhook.pickup_capped', taskId: read.id }, 'too many tasks picked up from pushes');
      return null;
    }
    const locale = (await deps.localeFor?.(owner.guildId)) ?? null;
    return { guildId: owner.guildId, channelId, messageId: null, requesterId: owner.userId, origin: 'feed', locale };
  };

  const pickUp = async (taskId: string) => {
    try {
      const outcome = await deps.tracker.pickUp(taskId, targetFor);
      if (outcome === 'followed')
        deps.log.info(
          { event: 'webhook.recorded', taskId },
          'push for an unfollowed task recorded in the updates channel',
        );
      else deps.log.debug({ event: 'webhook.not_picked_up', taskId, outcome }, 'pushed task not picked up');
    } catch (err) {
      deps.log.warn({ event: 'webhook.record_failed', taskId, err }, 'could not record a pushed task');
    }
  };

  return async (task) => {
    const hinted = deps.tracker.hint(task.id);
    if (hinted !== 'untracked') return hinted;
    // Followed before and finished (result sent, channel gone, timed out): proxies repeat the final
    // state, and picking it up again would post a second result.
    const known = await deps.store.tracked.get(task.id);
    if (known && known.phase !== 'active') return 'stale';
    // Followed, by another instance (it holds the lease): the push goes to that owner, which hints it.
    if (known && (await deps.store.relay.tell(task.id))) return 'relayed';
    // The push's own state only decides whether asking the API is worth it; the answer decides the rest.
    const claimed = deps.stateOwner(task.state);
    if (!claimed || !(await channelFor(claimed.guildId))) return 'ignored';
    if (caps.full(claimed.guildId, deps.clock.now())) return 'dropped';
    void pickUp(task.id);
    return 'queued';
  };
}
