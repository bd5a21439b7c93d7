// INTERACTION_CREATE payloads as Discord sends them, with every field discord.js 14 reads (data.type,
// entitlements, authorizing_integration_owners, app_permissions, channel, member.permissions, …).
// The helpers refuse what a Discord client could not produce (unregistered command, missing or
// disabled button, modal never shown) so a test cannot pass on an impossible interaction.
import { randomBytes } from 'node:crypto';
import type { CommandStore } from './commands.js';
import type { InteractionRecord, InteractionStore } from './interactions.js';
import { messageWire, type MessageStore } from './message-store.js';
import type { SnowflakeFactory } from './snowflake.js';
import type {
  AttachmentUpload,
  AutocompleteArgs,
  ButtonClickArgs,
  InteractionUser,
  JsonObject,
  ModalSubmitArgs,
  SlashCommandArgs,
  StandInDefaults,
  UserSpec,
} from './types.js';
import { isObject } from './validate-fields.js';
import { channelWire, memberWire, roleWire, userWire } from './wire.js';
import type { World } from './world.js';

export interface PayloadContext {
  world: World;
  messages: MessageStore;
  commands: CommandStore;
  interactions: InteractionStore;
  ids: SnowflakeFactory;
  applicationId: string;
  defaults: StandInDefaults;
  now(): number;
}

const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

function newRecord(ctx: PayloadContext, type: number, who: InteractionUser, fallbackChannelId?: string) {
  const channelId = who.channelId ?? fallbackChannelId ?? ctx.defaults.channelId;
  const found = ctx.world.channel(channelId);
  if (!found) throw new Error(`stand-in: unknown channel ${channelId}`);
  const { guild, channel } = found;
  if (who.guildId && who.guildId !== guild.id)
    throw new Error(`stand-in: channel ${channelId} is not in guild ${who.guildId}`);
  const spec: UserSpec | string = who.user ?? ctx.defaults.userId;
  const userId = typeof spec === 'string' ? spec : spec.id;
  let member = guild.members.get(userId);
  if (!member) {
    if (typeof spec === 'string')
      throw new Error(`stand-in: user ${spec} is not a member of guild ${guild.id}; pass a UserSpec`);
    member = ctx.world.addMember(guild.id, { user: spec, roles: who.roles ?? [] });
  }
  const roles = who.roles ?? member.roles;
  const memberPermissions = ctx.world.permissions(channelId, userId, roles).toString();
  const id = ctx.ids.next();
  const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(48).toString('base64url')}`;
  const payload: JsonObject = {
    id,
    application_id: ctx.applicationId,
    type,
    token,
    version: 1,
    guild_id: guild.id,
    guild: { id: guild.id, locale: guild.locale, features: [] },
    channel_id: channelId,
    channel: { ...channelWire(channel), permissions: memberPermissions },
    member: memberWire({ ...member, roles: [...roles] }, { permissions: memberPermissions }),
    app_permissions: ctx.world.permissions(channelId, ctx.world.botUser.id).toString(),
    locale: who.locale ?? 'en-US',
    guild_locale: guild.locale,
    entitlements: [],
    authorizing_integration_owners: { '0': guild.id },
    context: 0,
    attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
  };
  const record: InteractionRecord = {
    id,
    token,
    applicationId: ctx.applicationId,
    type,
    dispatchedAt: ctx.now(),
    guildId: guild.id,
    channelId,
    userId,
    sourceMessageId: null,
    name: '',
    payload,
    callback: null,
    originalMessageId: null,
    followUpIds: [],
    modal: null,
  };
  return record;
}

function isUpload(value: unknown): value is AttachmentUpload {
  return isObject(value) && typeof value.filename === 'string' && Buffer.isBuffer(value.bytes);
}

function coerceOption(definition: JsonObject, value: unknown): string | number | boolean {
  const type = definition.type;
  const name = String(definition.name);
  if (type === 3 && typeof value === 'string') return value;
  if (type === 4 && typeof value === 'number' && Number.isInteger(value)) return value;
  if (type === 10 && typeof value === 'number') return value;
  if (type === 5 && typeof value === 'boolean') return value;
  if ([6, 7, 8, 9].includes(type as number) && typeof value === 'string' && /^\d+$/.test(value)) return value;
  throw new Error(`stand-in: option ${name} (type ${String(type)}) cannot take ${JSON.stringify(value)}`);
}

function resolveOptions(
  ctx: PayloadContext,
  record: InteractionRecord,
  definitions: JsonObject[],
  args: SlashCommandArgs['options'],
) {
  const given = Array.isArray(args) ? args : Object.entries(args ?? {}).map(([name, value]) => ({ name, value }));
  const resolved: Record<string, JsonObject> = {};
  const put = (kind: string, id: string, value: JsonObject) => {
    const bucket = resolved[kind] ?? (resolved[kind] = {});
    bucket[id] = value;
  };
  const guild = ctx.world.requireGuild(record.guildId);
  const options = given.map(({ name, value }) => {
    const definition = definitions.find((d) => d.name === name);
    if (!definition) throw new Error(`stand-in: option ${name} is not defined on this command`);
    if (definition.type === 11) {
      // The client uploads the file first; the option's value is its id, resolved like Discord does.
      if (!isUpload(value)) throw new Error(`stand-in: attachment option ${name} needs {filename, bytes}`);
      const stored = ctx.messages.addCommandAttachment(record.channelId, value);
      put('attachments', stored.id, {
        id: stored.id,
        filename: stored.filename,
        size: stored.size,
        url: stored.url,
        proxy_url: stored.proxy_url,
        ...(stored.content_type !== null && { content_type: stored.content_type }),
        ephemeral: true,
      });
      return { name, type: 11, value: stored.id };
    }
    const coerced = coerceOption(definition, value);
    const choices = Array.isArray(definition.choices) ? definition.choices.filter(isObject) : null;
    if (choices && !choices.some((c) => c.value === coerced))
      throw new Error(`stand-in: ${JSON.stringify(coerced)} is not a choice of option ${name}`);
    if (definition.type === 6 || definition.type === 9) {
      const member = guild.members.get(String(coerced));
      if (member) {
        put('users', member.user.id, userWire(member.user));
        const { user: _user, ...rest } = memberWire(member);
        put('members', member.user.id, {
          ...rest,
          permissions: ctx.world.permissions(record.channelId, member.user.id).toString(),
        });
      }
    }
    const channel = ctx.world.channel(String(coerced))?.channel;
    if (definition.type === 7 && channel)
      put('channels', channel.id, {
        ...channelWire(channel),
        permissions: ctx.world.permissions(channel.id, record.userId).toString(),
      });
    const role = guild.roles.get(String(coerced));
    if ((definition.type === 8 || definition.type === 9) && role) put('roles', role.id, roleWire(role));
    return { name, type: definition.type, value: coerced };
  });
  for (const definition of definitions) {
    if (definition.required === true && !options.some((o) => o.name === definition.name)) {
      throw new Error(`stand-in: required option ${String(definition.name)} is missing`);
    }
  }
  return { options, resolved };
}

/**
 * The payload as a direct message with the bot carries it: no guild or member, the user at the top,
 * a DM channel (type 1) and context 1 (BOT_DM). The record keeps its guild channel for bookkeeping.
 */
function asDirectMessage(ctx: PayloadContext, record: InteractionRecord): void {
  const member = record.payload.member as { user: JsonObject };
  const dmChannelId = ctx.ids.next();
  for (const key of ['guild_id', 'guild', 'member', 'guild_locale']) delete record.payload[key];
  record.payload.user = member.user;
  record.payload.channel_id = dmChannelId;
  record.payload.channel = { id: dmChannelId, type: 1, last_message_id: null, flags: 0, recipients: [member.user] };
  record.payload.context = 1;
  record.payload.authorizing_integration_owners = { '0': ctx.defaults.guildId };
}

/** `name` may be "command", "command sub" or "command group sub". */
export function buildSlashCommand(ctx: PayloadContext, args: SlashCommandArgs): InteractionRecord {
  const record = newRecord(ctx, 2, args);
  const [commandName = '', ...path] = args.name.trim().split(/\s+/);
  // In a DM only global commands exist, and only those whose contexts allow BOT_DM.
  const command = args.dm ? ctx.commands.find(commandName, undefined) : ctx.commands.find(commandName, record.guildId);
  if (command && args.dm && Array.isArray(command.contexts) && !command.contexts.includes(1))
    throw new Error(
      `stand-in: /${commandName} is registered for servers only (contexts ${JSON.stringify(command.contexts)})`,
    );
  if (!command) {
    const known = [...ctx.commands.list(record.guildId), ...ctx.commands.list()].map((c) => c.name);
    throw new Error(`stand-in: /${commandName} is not registered (registered: ${known.join(', ') || 'none'})`);
  }
  let definitions = Array.isArray(command.options) ? command.options.filter(isObject) : [];
  const wrappers: JsonObject[] = [];
  for (const sub of path) {
    const definition = definitions.find((d) => d.name === sub && (d.type === 1 || d.type === 2));
    if (!definition) throw new Error(`stand-in: /${commandName} has no sub-command ${sub}`);
    wrappers.push({ name: sub, type: definition.type });
    definitions = Array.isArray(definition.options) ? definition.options.filter(isObject) : [];
  }
  const { options, resolved } = resolveOptions(ctx, record, definitions, args.options);
  let nested: JsonObject[] = options;
  for (const wrapper of wrappers.reverse()) nested = [{ ...wrapper, options: nested }];
  record.name = args.name;
  record.payload.data = {
    id: command.id,
    name: command.name,
    type: 1,
    ...(nested.length ? { options: nested } : {}),
    ...(Object.keys(resolved).length ? { resolved } : {}),
    ...(command.guild_id ? { guild_id: command.guild_id } : {}),
  };
  if (args.dm) asDirectMessage(ctx, record);
  return record;
}

/**
 * APPLICATION_COMMAND_AUTOCOMPLETE (type 4): the options typed so far, the focused one marked, its value
 * the partial text as typed (never validated against the option's type or length, as Discord sends it).
 */
export function buildAutocomplete(ctx: PayloadContext, args: AutocompleteArgs): InteractionRecord {
  const record = newRecord(ctx, 4, args);
  const command = ctx.commands.find(args.name, record.guildId);
  if (!command) throw new Error(`stand-in: /${args.name} is not registered`);
  const definitions = Array.isArray(command.options) ? command.options.filter(isObject) : [];
  const focused = definitions.find((d) => d.name === args.focused);
  if (focused?.autocomplete !== true)
    throw new Error(`stand-in: option ${args.focused} of /${args.name} is not registered with autocomplete`);
  const others = Object.entries(args.options ?? {}).map(([name, value]) => {
    const definition = definitions.find((d) => d.name === name);
    if (!definition) throw new Error(`stand-in: option ${name} is not defined on this command`);
    return { name, type: definition.type, value: coerceOption(definition, value) };
  });
  record.name = args.name;
  record.payload.data = {
    id: command.id,
    name: command.name,
    type: 1,
    options: [...others, { name: args.focused, type: focused.type, value: args.value, focused: true }],
    ...(command.guild_id ? { guild_id: command.guild_id } : {}),
  };
  return record;
}

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
