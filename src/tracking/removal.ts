// The one-off requests a channel's lane runs besides its follows' updates (channel-queue.ts).
import type { MessageBody } from './messenger.js';
import type { InteractionRoute } from './types.js';

/**
 * A one-off request on a message no follow owns: the delete of a delivered result's progress message,
 * or (`edit` set) an edit of a message a member clicked (its button shown as used).
 */
export interface Removal {
  channelId: string;
  messageId: string;
  /** Deleted through this interaction's webhook (the removal then waits in its lane). */
  via?: InteractionRoute;
  /** Edit the message with this body instead of deleting it. */
  edit?: MessageBody;
  /** true once deleted (or edited). */
  resolve: (done: boolean) => void;
}
