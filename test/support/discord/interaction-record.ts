// The part every INTERACTION_CREATE payload shares, as Discord sends it (the builders per kind are
// ./command-payloads.ts and ./component-payloads.ts): the guild, channel and member of who acts, their
// permissions and the bot's, locales, and the record the stand-in keeps of the interaction.
import { randomBytes } from 'node:crypto';
import type { CommandStore } from './commands.js';
import type { InteractionRecord, InteractionStore } from './interactions.js';
import type { MessageStore } from './message-store.js';
import type { SnowflakeFactory } from './snowflake.js';
import type { InteractionUser, JsonObject, StandInDefaults, UserSpec } from './types.js';
import { channelWire, memberWire } from './wire.js';
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

/**
 * A record of an interaction of `type` by `who`, in their channel (else `fallbackChannelId`, else the
 * default one); a UserSpec that is not yet a member of that guild joins it first.
 */
export function newRecord(
  ctx: PayloadContext,
  type: number,
  who: InteractionUser,
  fallbackChannelId?: string,
): InteractionRecord {
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
