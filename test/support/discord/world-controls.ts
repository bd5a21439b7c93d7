// Changing the world while the bot runs, as server members and admins would: members, roles and
// channels added (each announced on the gateway), the bot's access to a channel revoked and restored
// by a member overwrite (CHANNEL_UPDATE), and how the client names users and channels.
import { INTENT_GUILDS, type StandInCore } from './core.js';
import type { Gateway } from './gateway.js';
import { Permission } from './permissions.js';
import type { DiscordStandIn } from './stand-in-api.js';
import type { StandInDefaults, UserSpec } from './types.js';
import { channelWire, memberWire, roleWire } from './wire.js';
import type { World } from './world.js';

export type WorldControls = Pick<
  DiscordStandIn,
  'revokeAccess' | 'restoreAccess' | 'addMember' | 'addRole' | 'addChannel' | 'displayName' | 'channelName'
>;

const REVOKABLE = {
  view: Permission.ViewChannel,
  send: Permission.SendMessages,
  attach: Permission.AttachFiles,
  history: Permission.ReadMessageHistory,
};

export function worldControls(
  core: StandInCore,
  gateway: Gateway,
  world: World,
  botUser: UserSpec,
  defaults: StandInDefaults,
): WorldControls {
  const guildOf = (guildId?: string) => world.requireGuild(guildId ?? defaults.guildId);
  return {
    revokeAccess: (channelId, what = 'view') => {
      const current = core.channelOr404(channelId).channel.overwrites.find((o) => o.type === 1 && o.id === botUser.id);
      const channel = world.setOverwrite(channelId, {
        id: botUser.id,
        type: 1,
        allow: 0n,
        deny: (current?.deny ?? 0n) | REVOKABLE[what],
      });
      gateway.dispatch('CHANNEL_UPDATE', channelWire(channel), INTENT_GUILDS);
    },
    restoreAccess: (channelId) => {
      const channel = world.setOverwrite(channelId, { id: botUser.id, type: 1 });
      gateway.dispatch('CHANNEL_UPDATE', channelWire(channel), INTENT_GUILDS);
    },
    addMember: (member = {}) => {
      const guild = guildOf(member.guildId);
      const id = member.id ?? core.ids.next();
      const user: UserSpec = { id, username: member.username ?? `member-${id.slice(-6)}`, global_name: null };
      const state = world.addMember(guild.id, { user, roles: member.roles ?? [] });
      gateway.dispatch('GUILD_MEMBER_ADD', { ...memberWire(state), guild_id: guild.id }, 1 << 1);
      return user;
    },
    addRole: (role) => {
      const guild = guildOf(role.guildId);
      const state = world.addRole(guild.id, { id: core.ids.next(), name: role.name, permissions: role.permissions });
      gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: roleWire(state) }, INTENT_GUILDS);
      return state.id;
    },
    addChannel: (channel) => {
      const guild = guildOf(channel.guildId);
      const state = world.addChannel(guild.id, { id: core.ids.next(), name: channel.name });
      gateway.dispatch('CHANNEL_CREATE', channelWire(state), INTENT_GUILDS);
      return state.id;
    },
    displayName: (userId) => {
      if (userId === botUser.id) return botUser.global_name ?? botUser.username;
      for (const guild of world.guilds.values()) {
        const member = guild.members.get(userId);
        if (member) return member.nick ?? member.user.global_name ?? member.user.username;
      }
      return userId;
    },
    channelName: (channelId) => world.channel(channelId)?.channel.name ?? channelId,
  };
}
