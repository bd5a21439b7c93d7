// Message-component payloads: a button click on a message the bot sent, and a modal submit that
// answers the modal the bot showed, mirroring its layout. They refuse a missing or disabled button, a
// modal never shown, and text inputs it does not have or whose lengths it would not accept.
import { newRecord, type PayloadContext } from './interaction-record.js';
import type { InteractionRecord } from './interactions.js';
import { messageWire } from './message-store.js';
import type { ButtonClickArgs, JsonObject, ModalSubmitArgs } from './types.js';
import { isObject } from './validate-fields.js';

function findComponent(components: unknown, customId: string): JsonObject | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const component of components) {
    if (!isObject(component)) continue;
    if (component.custom_id === customId) return component;
    const inner =
      findComponent(component.components, customId) ??
      findComponent(component.accessory ? [component.accessory] : [], customId);
    if (inner) return inner;
  }
  return undefined;
}

export function buildButtonClick(ctx: PayloadContext, args: ButtonClickArgs): InteractionRecord {
  const message = ctx.messages.get(args.channelId, args.messageId);
  if (!message)
    throw new Error(`stand-in: message ${args.messageId} is not in channel ${args.channelId} (deleted or never sent)`);
  const button = args.crafted ? { type: 2 } : findComponent(message.components, args.customId);
  if (!button || button.type !== 2) {
    throw new Error(
      `stand-in: message ${args.messageId} has no button with custom_id ${JSON.stringify(args.customId)}`,
    );
  }
  if (button.disabled === true) throw new Error(`stand-in: button ${args.customId} is disabled and cannot be clicked`);
  const record = newRecord(ctx, 3, args, args.channelId);
  record.name = args.customId;
  record.sourceMessageId = message.id;
  record.payload.message = messageWire(message);
  record.payload.data = {
    custom_id: args.customId,
    component_type: 2,
    ...(typeof button.id === 'number' ? { id: button.id } : {}),
  };
  return record;
}

function submittedTextInput(input: JsonObject, fields: Record<string, string>, used: Set<string>): JsonObject {
  const customId = String(input.custom_id);
  used.add(customId);
  const value = fields[customId] ?? (typeof input.value === 'string' ? input.value : '');
  const length = Array.from(value).length;
  if (input.required !== false && length === 0) throw new Error(`stand-in: text input ${customId} is required`);
  if (length > 0 && typeof input.min_length === 'number' && length < input.min_length)
    throw new Error(`stand-in: ${customId} is shorter than min_length`);
  if (typeof input.max_length === 'number' && length > input.max_length)
    throw new Error(`stand-in: ${customId} is longer than max_length`);
  return { type: 4, ...(typeof input.id === 'number' ? { id: input.id } : {}), custom_id: customId, value };
}

/** A modal submit nobody was shown: each field a text input in a Label, no source message. */
function buildCraftedModalSubmit(ctx: PayloadContext, args: ModalSubmitArgs): InteractionRecord {
  const record = newRecord(ctx, 5, args);
  record.name = args.customId;
  const components = Object.entries(args.fields).map(([customId, value]) => ({
    type: 18,
    component: { type: 4, custom_id: customId, value },
  }));
  record.payload.data = { custom_id: args.customId, components };
  return record;
}

/** Answers the modal the bot showed, mirroring its layout (action rows or Label components). */
export function buildModalSubmit(ctx: PayloadContext, args: ModalSubmitArgs): InteractionRecord {
  if (args.crafted) return buildCraftedModalSubmit(ctx, args);
  const source = args.fromInteractionId
    ? ctx.interactions.get(args.fromInteractionId)
    : ctx.interactions.latestModal(args.customId);
  if (!source?.modal || source.modal.custom_id !== args.customId) {
    throw new Error(`stand-in: the bot never showed a modal with custom_id ${JSON.stringify(args.customId)}`);
  }
  const guild = ctx.world.requireGuild(source.guildId);
  const record = newRecord(ctx, 5, { user: guild.members.get(source.userId)?.user, ...args }, source.channelId);
  const used = new Set<string>();
  const components = (Array.isArray(source.modal.components) ? source.modal.components.filter(isObject) : []).map(
    (component) => {
      const id = typeof component.id === 'number' ? { id: component.id } : {};
      if (component.type === 1) {
        const inputs = Array.isArray(component.components) ? component.components.filter(isObject) : [];
        return { type: 1, ...id, components: inputs.map((input) => submittedTextInput(input, args.fields, used)) };
      }
      if (component.type === 18 && isObject(component.component) && component.component.type === 4) {
        return { type: 18, ...id, component: submittedTextInput(component.component, args.fields, used) };
      }
      return { type: component.type, ...id };
    },
  );
  const unknown = Object.keys(args.fields).filter((key) => !used.has(key));
  if (unknown.length) throw new Error(`stand-in: modal ${args.customId} has no text input ${unknown.join(', ')}`);
  record.name = args.customId;
  record.payload.data = { custom_id: args.customId, components };
  const message = source.sourceMessageId ? ctx.messages.get(source.channelId, source.sourceMessageId) : undefined;
  if (message) {
    record.sourceMessageId = message.id;
    record.payload.message = messageWire(message);
  }
  return record;
}
