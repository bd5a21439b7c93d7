// Application-command payloads: a slash command (with sub-commands, options checked against the
// registered definition and resolved users, members, channels, roles and attachments; in a guild or a
// DM) and autocomplete. They refuse a command that is not registered or an option it does not take.
import { newRecord, type PayloadContext } from './interaction-record.js';
import type { InteractionRecord } from './interactions.js';
import type { AttachmentUpload, AutocompleteArgs, JsonObject, SlashCommandArgs } from './types.js';
import { isObject } from './validate-fields.js';
import { channelWire, memberWire, roleWire, userWire } from './wire.js';

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
