// The guilds the bot is in: roles, text channels (with overwrites) and members, plus the wire objects
// discord.js needs to build its cache (GUILD_CREATE) and compute permissions.
import {
  computeChannelPermissions,
  DEFAULT_EVERYONE_PERMISSIONS,
  Permission,
  toBits,
  type OverwriteState,
} from './permissions.js';
import type { ChannelSpec, GuildSpec, MemberSpec, RoleSpec, StandInDefaults, UserSpec } from './types.js';

export interface RoleState {
  id: string;
  name: string;
  permissions: bigint;
  position: number;
  managed: boolean;
}

export interface ChannelState {
  id: string;
  guildId: string;
  name: string;
  type: 0;
  position: number;
  topic: string | null;
  overwrites: OverwriteState[];
  lastMessageId: string | null;
}

export interface MemberState {
  user: UserSpec;
  roles: string[];
  nick: string | null;
  joinedAt: string;
}

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  locale: string;
  joinedAt: string;
  roles: Map<string, RoleState>;
  channels: Map<string, ChannelState>;
  members: Map<string, MemberState>;
}

export const BOT_ROLE_PERMISSIONS =
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.AddReactions |
  Permission.UseExternalEmojis |
  Permission.SendMessagesInThreads;

const ID = {
  application: '1180000000000000001',
  guild: '1180000000000000100',
  general: '1180000000000000200',
  updates: '1180000000000000201',
  user: '1180000000000000300',
  admin: '1180000000000000301',
  owner: '1180000000000000302',
  adminRole: '1180000000000000400',
  botRole: '1180000000000000401',
};

export const DEFAULT_APPLICATION_ID = ID.application;

/**
 * A server besides the default one, its ids counting up from `base` (its id decides its shard:
 * (id >> 22) % shards), with one channel and its own admin (Manage Server, View Channel, Send Messages).
 */
export function serverWithAdmin(base: bigint, name: string, admin: { id: string; username: string }): GuildSpec {
  const role = String(base + 500n);
  const permissions = Permission.ManageGuild | Permission.ViewChannel | Permission.SendMessages;
  return {
    id: String(base),
    name,
    channels: [{ id: String(base + 96n), name: 'art' }],
    roles: [{ id: role, name: 'Admin', permissions: String(permissions), position: 1 }],
    members: [{ user: admin, roles: [role] }],
  };
}

export function defaultGuildSpec(): GuildSpec {
  return {
    id: ID.guild,
    name: 'Stand-in Guild',
    ownerId: ID.owner,
    channels: [
      { id: ID.general, name: 'general' },
      { id: ID.updates, name: 'mj-updates' },
    ],
    roles: [
      {
        id: ID.adminRole,
        name: 'Admin',
        permissions: Permission.ManageGuild | Permission.ManageMessages | DEFAULT_EVERYONE_PERMISSIONS,
        position: 2,
      },
      { id: ID.botRole, name: 'mjtask-bot', permissions: BOT_ROLE_PERMISSIONS, position: 1, managed: true },
    ],
    members: [
      { user: { id: ID.user, username: 'tester', global_name: 'Tester' } },
      { user: { id: ID.admin, username: 'admin', global_name: 'Admin' }, roles: [ID.adminRole] },
      { user: { id: ID.owner, username: 'owner', global_name: 'Owner' } },
    ],
  };
}

const toOverwrite = (o: {
  id: string;
  type: 0 | 1;
  allow?: bigint | string;
  deny?: bigint | string;
}): OverwriteState => ({
  id: o.id,
  type: o.type,
  allow: toBits(o.allow),
  deny: toBits(o.deny),
});

export class World {
  readonly guilds = new Map<string, GuildState>();
  private readonly channelIndex = new Map<string, string>();

  constructor(
    readonly botUser: UserSpec,
    specs: GuildSpec[],
    private readonly joinedAt: string,
  ) {
    for (const spec of specs) this.addGuild(spec);
  }

  private addGuild(spec: GuildSpec): void {
    const guild: GuildState = {
      id: spec.id,
      name: spec.name ?? `Guild ${spec.id}`,
      ownerId: spec.ownerId ?? spec.members?.find((m) => !m.user.bot)?.user.id ?? '0',
      locale: spec.locale ?? 'en-US',
      joinedAt: this.joinedAt,
      roles: new Map(),
      channels: new Map(),
      members: new Map(),
    };
    this.guilds.set(guild.id, guild);
    const roles = spec.roles ?? [];
    if (!roles.some((r) => r.id === guild.id))
      this.addRole(guild.id, {
        id: guild.id,
        name: '@everyone',
        permissions: DEFAULT_EVERYONE_PERMISSIONS,
        position: 0,
      });
    for (const role of roles) this.addRole(guild.id, role);
    for (const channel of spec.channels) this.addChannel(guild.id, channel);
    for (const member of spec.members ?? []) this.addMember(guild.id, member);
    if (!guild.members.has(this.botUser.id)) {
      let botRole = [...guild.roles.values()].find((r) => r.managed);
      if (!botRole) {
        botRole = this.addRole(guild.id, {
          id: `${BigInt(guild.id) + 1n}`,
          name: this.botUser.username,
          permissions: BOT_ROLE_PERMISSIONS,
          position: 1,
          managed: true,
        });
      }
      this.addMember(guild.id, { user: this.botUser, roles: [botRole.id] });
    }
  }

  guild(guildId: string): GuildState | undefined {
    return this.guilds.get(guildId);
  }

  requireGuild(guildId: string): GuildState {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`stand-in: unknown guild ${guildId}`);
    return guild;
  }

  channel(channelId: string): { guild: GuildState; channel: ChannelState } | undefined {
    const guildId = this.channelIndex.get(channelId);
    const guild = guildId === undefined ? undefined : this.guilds.get(guildId);
    const channel = guild?.channels.get(channelId);
    return guild && channel ? { guild, channel } : undefined;
  }

  addRole(guildId: string, spec: RoleSpec): RoleState {
    const role: RoleState = {
      id: spec.id,
      name: spec.name,
      permissions: toBits(spec.permissions),
      position: spec.position ?? this.requireGuild(guildId).roles.size,
      managed: spec.managed ?? false,
    };
    this.requireGuild(guildId).roles.set(role.id, role);
    return role;
  }

  addChannel(guildId: string, spec: ChannelSpec): ChannelState {
    const guild = this.requireGuild(guildId);
    const channel: ChannelState = {
      id: spec.id,
      guildId,
      name: spec.name,
      type: 0,
      position: guild.channels.size,
      topic: spec.topic ?? null,
      overwrites: (spec.permission_overwrites ?? []).map(toOverwrite),
      lastMessageId: null,
    };
    guild.channels.set(channel.id, channel);
    this.channelIndex.set(channel.id, guildId);
    return channel;
  }

  addMember(guildId: string, spec: MemberSpec): MemberState {
    const member: MemberState = {
      user: spec.user,
      roles: spec.roles ?? [],
      nick: spec.nick ?? null,
      joinedAt: this.joinedAt,
    };
    this.requireGuild(guildId).members.set(spec.user.id, member);
    return member;
  }

  /** Sets (or with allow = deny = 0 removes) the overwrite for a role or member on a channel. */
  setOverwrite(channelId: string, overwrite: { id: string; type: 0 | 1; allow?: bigint; deny?: bigint }): ChannelState {
    const found = this.channel(channelId);
    if (!found) throw new Error(`stand-in: unknown channel ${channelId}`);
    const rest = found.channel.overwrites.filter((o) => !(o.id === overwrite.id && o.type === overwrite.type));
    const next = toOverwrite(overwrite);
    found.channel.overwrites = next.allow || next.deny ? [...rest, next] : rest;
    return found.channel;
  }

  permissions(channelId: string, userId: string, rolesOverride?: readonly string[]): bigint {
    const found = this.channel(channelId);
    if (!found) return 0n;
    const { guild, channel } = found;
    const roles = rolesOverride ?? guild.members.get(userId)?.roles ?? [];
    return computeChannelPermissions({
      guildId: guild.id,
      ownerId: guild.ownerId,
      rolePermissions: new Map([...guild.roles.values()].map((r) => [r.id, r.permissions])),
      overwrites: channel.overwrites,
      userId,
      roles,
    });
  }

  defaults(): StandInDefaults {
    const guild = this.guilds.values().next().value;
    if (!guild) throw new Error('stand-in: at least one guild is required');
    const channels = [...guild.channels.values()];
    const roles = [...guild.roles.values()];
    const adminRole = roles.find(
      (r) => !r.managed && r.id !== guild.id && r.permissions & (Permission.ManageGuild | Permission.Administrator),
    );
    const humans = [...guild.members.values()].filter((m) => m.user.id !== this.botUser.id && !m.user.bot);
    const admin = adminRole ? humans.find((m) => m.roles.includes(adminRole.id)) : undefined;
    const plain = humans.find((m) => m.user.id !== guild.ownerId && m !== admin) ?? humans[0];
    return {
      guildId: guild.id,
      channelId: channels[0]?.id ?? '',
      otherChannelId: channels[1]?.id ?? channels[0]?.id ?? '',
      userId: plain?.user.id ?? '',
      adminUserId: admin?.user.id ?? '',
      adminRoleId: adminRole?.id ?? '',
      ownerUserId: guild.ownerId,
      botRoleId: guild.members.get(this.botUser.id)?.roles[0] ?? '',
    };
  }
}
