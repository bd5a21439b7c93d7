// The stand-in's interactions as a test drives them: who acts, the arguments of a slash command, an
// autocomplete, a button click or a form, and what the bot answered.
import type { AttachmentUpload, JsonObject, StoredMessage, UserSpec } from './types.js';

export interface InteractionUser {
  user?: UserSpec | string;
  /** Overrides the member's roles for this interaction. */
  roles?: string[];
  guildId?: string;
  channelId?: string;
  locale?: string;
}

export interface SlashCommandArgs extends InteractionUser {
  name: string;
  /**
   * Sent from a direct message with the bot (context 1): no guild, no member. Discord only offers a
   * command there when its registration allows BOT_DM (contexts null or including 1).
   */
  dm?: boolean;
  /** Either `[{name, type?, value}]` or `{name: value}`; types are taken from the registered command. */
  options?:
    | Array<{ name: string; type?: number; value: string | number | boolean | AttachmentUpload }>
    | Record<string, string | number | boolean | AttachmentUpload>;
  /** Delivered on this shard instead of its guild's (see ButtonClickArgs.viaShard): another instance answers it. */
  viaShard?: number;
}

/** A member typing in a command's autocompleted option: what they typed so far. */
export interface AutocompleteArgs extends InteractionUser {
  name: string;
  /** The option the member is typing in (it must be registered with autocomplete). */
  focused: string;
  /** The text typed so far in the focused option. */
  value: string;
  /** Other options already filled in. */
  options?: Record<string, string | number | boolean>;
}

export interface ButtonClickArgs extends InteractionUser {
  channelId: string;
  messageId: string;
  customId: string;
  /**
   * A custom_id the message does not carry, as a modified client or a replayed, edited payload
   * could send: the message must exist, the button need not. Default false.
   */
  crafted?: boolean;
  /**
   * Delivered on this shard instead of its guild's: as while a shard's session moves from one
   * instance to another (a rolling deploy), when two instances may each get a click on one button.
   */
  viaShard?: number;
}

export interface ModalSubmitArgs extends InteractionUser {
  customId: string;
  /** Text input values by custom_id. Inputs left out keep their prefilled value. */
  fields: Record<string, string>;
  /** The interaction that showed the modal; default: the latest modal with this custom_id. */
  fromInteractionId?: string;
  /**
   * A modal submit the bot never showed (a crafted payload): `fields` become its text inputs, and it
   * carries no source message. Default false.
   */
  crafted?: boolean;
}

export interface DispatchedInteraction {
  id: string;
  token: string;
  applicationId: string;
  /** A command's attachments (data.resolved.attachments), in option order. */
  attachmentIds?: string[];
}

export interface InteractionResponseView {
  interactionId: string;
  /** Interaction type (2 command, 3 component, 5 modal submit). */
  type: number;
  callbackType: number | null;
  callbackData: JsonObject | null;
  /** Stand-in clock time of the initial response. */
  callbackAt: number | null;
  /** The modal's data when the bot answered with type 9. */
  modal: JsonObject | null;
  /** The @original message (for 6/7 the component's message), if any. */
  original: StoredMessage | null;
  followUps: StoredMessage[];
}
