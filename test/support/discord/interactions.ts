// What the stand-in remembers about each interaction it dispatched and how the bot answered it.
import type { MessageStore } from './message-store.js';
import type { InteractionResponseView, JsonObject } from './types.js';

export interface InteractionRecord {
  id: string;
  token: string;
  applicationId: string;
  /** 2 application command, 3 message component, 5 modal submit. */
  type: number;
  /** Stand-in clock time of the dispatch (deadlines run from here). */
  dispatchedAt: number;
  guildId: string;
  channelId: string;
  userId: string;
  /** For components (and modal submits opened from one): the message the component is on. */
  sourceMessageId: string | null;
  /** Command name (type 2) or custom_id (types 3 and 5). */
  name: string;
  payload: JsonObject;
  callback: { type: number; data: JsonObject | null; at: number } | null;
  /** The message `@original` refers to, once there is one. */
  originalMessageId: string | null;
  followUpIds: string[];
  modal: JsonObject | null;
}

export class InteractionStore {
  private readonly byId = new Map<string, InteractionRecord>();

  add(record: InteractionRecord): void {
    this.byId.set(record.id, record);
  }

  get(id: string): InteractionRecord | undefined {
    return this.byId.get(id);
  }

  byToken(token: string): InteractionRecord | undefined {
    for (const record of this.byId.values()) if (record.token === token) return record;
    return undefined;
  }

  all(): InteractionRecord[] {
    return [...this.byId.values()];
  }

  /** The most recent interaction the bot answered with this modal, if any. */
  latestModal(customId: string): InteractionRecord | undefined {
    return this.all()
      .filter((r) => r.modal?.custom_id === customId)
      .at(-1);
  }

  view(id: string, messages: MessageStore): InteractionResponseView | null {
    const record = this.byId.get(id);
    if (!record) return null;
    const find = (messageId: string | null) =>
      messageId ? (messages.get(record.channelId, messageId) ?? messages.find(messageId) ?? null) : null;
    return {
      interactionId: record.id,
      type: record.type,
      callbackType: record.callback?.type ?? null,
      callbackData: record.callback?.data ?? null,
      callbackAt: record.callback?.at ?? null,
      modal: record.modal,
      original: find(record.originalMessageId),
      followUps: record.followUpIds.map((followUpId) => find(followUpId)).filter((m) => m !== null),
    };
  }
}
