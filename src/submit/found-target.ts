// Where a task found after its submit's answer was lost (the instance died, or the request timed out)
// is shown, and as whose: the click log's record of the click that paid for it says who clicked and
// where. The list look (submit/recovery.ts) and the pushes (webhook/feed.ts) both find such tasks, and
// a member must not tell which one did: both build the target here. Pure.
import type { HeldClick, UnansweredClick } from '../store/clicks.js';
import type { TaskTarget } from '../store/tracked-tasks.js';

type ClickOfTask = Pick<UnansweredClick, 'guildId' | 'userId' | 'messageId' | 'customId'>;

/** The target of a found task, shown in `channelId` like the answer would have, mentioning the member. */
export function foundTarget(click: ClickOfTask, channelId: string, locale: string | null): TaskTarget {
  const button = click.messageId !== null;
  return {
    guildId: click.guildId,
    channelId,
    messageId: null,
    requesterId: click.userId,
    origin: button ? 'click' : 'imagine',
    locale,
    submittedCustomId: button ? click.customId : null,
  };
}

/**
 * The click a signed state names, when the log's record of that id is that member's in that server;
 * else null. Another record under the id (a database the state was not signed against: two bots that
 * share their secrets) must never show the task in its channel, nor charge its member.
 */
export function clickNamedBy(
  owner: { guildId: string | null; userId: string },
  click: HeldClick | null,
): HeldClick | null {
  return click !== null && click.guildId === owner.guildId && click.userId === owner.userId ? click : null;
}
