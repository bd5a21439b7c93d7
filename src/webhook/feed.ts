// What a notifyHook push does. A push is a hint, never the truth: anyone who has the webhook secret
// can send any body. For a followed task it brings the next re-read from the API forward. A task the
// bot does not follow is looked up in the API (in the same batches as the polls) and, when the API's
// answer carries the bot's own `state`, picked up in that server's updates channel, so a result missed
// during a restart still arrives; the member mentioned is the one that state names. Pick-ups are capped
// per server and overall. Anything else is ignored.
// A task whose state names a click was paid for by that click: when its answer never came (the
// instance died, or the request timed out), the push is what finds it, so the task is counted then in
// the member's quota, the server's budget and /mjusage, once however many pushes (or instances, or a
// look in the server's list) find it, and at most as many tasks as the click held places for: an
// Imagine all's four pushes count four (store/usage.ts countFound). A task its answer named was
// counted by the answer, and counts nothing here. Such a task is shown as the list look shows it
// (submit/recovery.ts): where the member clicked (the server's updates channel first, as for any
// answer), mentioning them, even in a server with no updates channel; and the click is marked
// answered with the first task found, so a repeat click on its button links to it. The click is
// the one the log holds under the state's id as that member's in that server (found-target.ts);
// a state naming no such click is a task shown in the updates channel only, as before.
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { MjTask } from '../mj/schema.js';
import type { HeldClick } from '../store/clicks.js';
import type { Store } from '../store/store.js';
import type { TaskTarget } from '../store/tracked-tasks.js';
import { clickNamedBy, foundTarget } from '../submit/found-target.js';
import { systemScheduler, type Scheduler } from '../tracking/scheduler.js';
import type { Tracker } from '../tracking/types.js';
import { createPickUpCaps, type PickUpCapsOptions } from './pickup-caps.js';
import type { PushResult } from './server.js';

/** Who started a task, as its `state` says, and the click (the click log's record) that paid for it. */
export interface StateOwner {
  guildId: string | null;
  userId: string;
  clickId?: number;
}

export interface FeedPushDeps {
  tracker: Pick<Tracker, 'hint' | 'pickUp'>;
  store: Pick<Store, 'settings' | 'tracked' | 'relay' | 'usage' | 'clicks'>;
  /** UPDATES_CHANNEL_ID: the fallback when the server has no channel of its own. */
  configuredChannelId: string | null;
  /** The one place a task's `state` is read: its owner when the bot wrote it, else null. */
  stateOwner(state: string): StateOwner | null;
  /**
   * The language of the server's channel messages (its /mjsettings choice, else `guildLocale`: the
   * one the click recorded, else the server's preferred locale).
   */
  localeFor?(guildId: string | null, guildLocale: string | null): Promise<string>;
  clock: Clock;
  /**
   * How long a click's own submit answer may still come (MJ_TIMEOUT_MS + 5 s, as the list look waits;
   * default 0). A push often arrives before that answer: picked up then, its task would be followed
   * twice, once by the pick-up and once by the answer. A push naming a click still pending that
   * recently waits until then, and is picked up only if nobody follows the task by then.
   */
  answerWaitMs?: number;
  /** Timers for those waits (default: real ones). */
  scheduler?: Scheduler;
  caps?: PickUpCapsOptions;
  log: Logger;
}

/** Pushes waiting for their click's answer window, at most; more are dropped (their later pushes come again). */
const MAX_WAITING_PUSHES = 10_000;

/** Where a picked-up task is shown, and the click that paid for it (null: its state names none the log holds). */
interface Shown {
  target: TaskTarget;
  click: HeldClick | null;
}

export function createFeedPushHandler(deps: FeedPushDeps): (task: MjTask) => Promise<PushResult> {
  const caps = createPickUpCaps(deps.caps);
  const channelFor = async (guildId: string | null) =>
    (guildId ? await deps.store.settings.getUpdatesChannel(guildId) : null) ?? deps.configuredChannelId;

  /**
   * Counts a task the API confirms a click paid for (its answer, had it come, would have). A database
   * that refuses the write costs the count, never the member's result.
   */
  const countFound = async (read: MjTask, clickId: number) => {
    try {
      if ((await deps.store.usage.countFound(clickId, [read.id])) > 0)
        deps.log.info({ event: 'webhook.found_usage', taskId: read.id, clickId }, 'counted a task a push found');
    } catch (err) {
      deps.log.warn(
        { event: 'webhook.found_usage_failed', taskId: read.id, clickId, err },
        'could not count a task a push found',
      );
    }
  };

  /** The click a state names, as the log holds it; null when it names none (or the log cannot say now). */
  const clickOf = async (owner: StateOwner): Promise<HeldClick | null> => {
    if (owner.clickId === undefined) return null;
    try {
      return clickNamedBy(owner, await deps.store.clicks.get(owner.clickId));
    } catch (err) {
      deps.log.warn({ event: 'webhook.click_read_failed', clickId: owner.clickId, err }, 'could not read a click');
      return null;
    }
  };

  /** Where a task of this owner is shown: the updates channel, else where its click was made. */
  const channelOf = async (owner: StateOwner, click: HeldClick | null) =>
    (await channelFor(owner.guildId)) ?? click?.channelId ?? null;

  /** The target of a task read from the API, or null (not ours, no channel, over a cap), and its click. */
  const targetFor = async (read: MjTask): Promise<Shown | null> => {
    const owner = deps.stateOwner(read.state);
    if (!owner) return null;
    const click = await clickOf(owner);
    // Paid for whether or not a cap lets it be shown.
    if (click) await countFound(read, click.id);
    const channelId = await channelOf(owner, click);
    if (!channelId) return null;
    if (!caps.take(owner.guildId, deps.clock.now())) {
      deps.log.warn({ event: 'webhook.pickup_capped', taskId: read.id }, 'too many tasks picked up from pushes');
      return null;
    }
    const locale = (await deps.localeFor?.(owner.guildId, click?.guildLocale ?? null)) ?? null;
    const target: TaskTarget = click
      ? foundTarget(click, channelId, locale)
      : { guildId: owner.guildId, channelId, messageId: null, requesterId: owner.userId, origin: 'feed', locale };
    return { target, click };
  };

  /**
   * The click answered with the task now shown (only while pending: the first found stays, and an
   * answer that came names its own). A database that refuses it keeps the click pending, no more.
   */
  const markAnswered = async (click: HeldClick, taskId: string, channelId: string, messageId: string | null) => {
    try {
      await deps.store.clicks.complete(
        click.id,
        { childTaskId: taskId, followChannelId: channelId, followMessageId: messageId },
        true,
      );
    } catch (err) {
      deps.log.warn({ event: 'webhook.click_mark_failed', taskId, clickId: click.id, err }, 'could not mark a click');
    }
  };

  const pickUp = async (taskId: string) => {
    try {
      // Set by the pick-up's read (a holder: the checker cannot see a callback assign a local).
      const picked: { shown?: Shown | null; messageId?: string | null } = {};
      const outcome = await deps.tracker.pickUp(
        taskId,
        async (read) => (picked.shown = await targetFor(read))?.target ?? null,
        (messageId) => (picked.messageId = messageId),
      );
      const shown = picked.shown ?? null;
      if (outcome === 'followed') {
        if (shown?.click) await markAnswered(shown.click, taskId, shown.target.channelId, picked.messageId ?? null);
        deps.log.info(
          { event: 'webhook.recorded', taskId, channelId: shown?.target.channelId, clickId: shown?.click?.id },
          'push for an unfollowed task recorded',
        );
      } else deps.log.debug({ event: 'webhook.not_picked_up', taskId, outcome }, 'pushed task not picked up');
    } catch (err) {
      deps.log.warn({ event: 'webhook.record_failed', taskId, err }, 'could not record a pushed task');
    }
  };

  const answerWaitMs = deps.answerWaitMs ?? 0;
  const scheduler = deps.scheduler ?? systemScheduler;
  /** Tasks whose pick-up waits for their click's answer window (one wait per task). */
  const waiting = new Set<string>();
  /**
   * The push handled again once its click's answer window has passed: by then the answer may have
   * come and the task be followed, here or by another instance (stored, leased, relayed), or be done;
   * only what is still unfollowed then is picked up.
   */
  const handleLater = (task: MjTask, ms: number): PushResult => {
    if (waiting.has(task.id)) return 'queued';
    if (waiting.size >= MAX_WAITING_PUSHES) return 'dropped';
    waiting.add(task.id);
    const timer = scheduler.setTimeout(() => {
      waiting.delete(task.id);
      handle(task).catch((err: unknown) =>
        deps.log.warn({ event: 'webhook.record_failed', taskId: task.id, err }, 'could not record a pushed task'),
      );
    }, ms);
    // A stopping bot does not wait for it: a push after the restart, or the list look, finds the task.
    if (typeof timer === 'object' && 'unref' in timer) (timer as { unref(): void }).unref();
    return 'queued';
  };

  const handle = async (task: MjTask): Promise<PushResult> => {
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
    if (!claimed) return 'ignored';
    const click = await clickOf(claimed);
    if (!((await channelFor(claimed.guildId)) ?? click?.channelId)) return 'ignored';
    if (caps.full(claimed.guildId, deps.clock.now())) return 'dropped';
    const answerIn = click?.state === 'pending' ? click.at + answerWaitMs - deps.clock.now() : 0;
    if (answerIn > 0) return handleLater(task, answerIn);
    void pickUp(task.id);
    return 'queued';
  };
  return handle;
}
