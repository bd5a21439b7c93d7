// Pure: the permissions the bot needs in a channel, Discord's channel permission algorithm over the
// wire objects of REST (guild roles, member, channel overwrites), and the invite link that grants them.
import { PermissionFlagsBits } from 'discord.js';

/** What the bot needs where it posts task messages: read, post, embed, upload the image, fetch its own messages. */
export const REQUIRED_CHANNEL_PERMISSIONS: ReadonlyArray<{ name: string; bit: bigint }> = [
  { name: 'View Channel', bit: PermissionFlagsBits.ViewChannel },
  { name: 'Send Messages', bit: PermissionFlagsBits.SendMessages },
  { name: 'Embed Links', bit: PermissionFlagsBits.EmbedLinks },
  { name: 'Attach Files', bit: PermissionFlagsBits.AttachFiles },
  { name: 'Read Message History', bit: PermissionFlagsBits.ReadMessageHistory },
];

/** 117760: the `permissions` value of the invite link. */
export const BOT_PERMISSIONS = REQUIRED_CHANNEL_PERMISSIONS.reduce((all, p) => all | p.bit, 0n);

const ALL_PERMISSIONS = (1n << 64n) - 1n;

/** The OAuth2 link that adds the bot with its commands and permissions (to one server when known). */
export function inviteUrl(applicationId: string, guildId: string | null): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSIONS.toString(),
  });
  if (guildId) {
    params.set('guild_id', guildId);
    params.set('disable_guild_select', 'true');
  }
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

export interface RoleWire {
  id: string;
  permissions: string;
}

export interface OverwriteWire {
  id: string;
  /** 0 = role, 1 = member (older API versions sent "role" / "member"). */
  type: number | string;
  allow: string;
  deny: string;
}

export interface ChannelPermissionInputs {
  guildId: string;
  ownerId: string;
  roles: readonly RoleWire[];
  userId: string;
  memberRoleIds: readonly string[];
  overwrites: readonly OverwriteWire[];
}

const bits = (value: string | undefined): bigint => {
  try {
    return value ? BigInt(value) : 0n;
  } catch {
    return 0n;
  }
};
const isRole = (o: OverwriteWire) => o.type === 0 || o.type === 'role';
const isMember = (o: OverwriteWire) => o.type === 1 || o.type === 'member';

/**
 * Discord's algorithm (Permissions → "Permission Overwrites"): @everyone and the member's roles give the
 * base; Administrator or ownership grants everything; then the @everyone overwrite, the member's role
 * overwrites together, and the member overwrite. Unlike Discord this does not zero the result when
 * View Channel is denied, so every missing permission can be named at once.
 */
export function channelPermissions(s: ChannelPermissionInputs): bigint {
  if (s.userId === s.ownerId) return ALL_PERMISSIONS;
  const rolePermissions = new Map(s.roles.map((r) => [r.id, bits(r.permissions)]));
  let base = rolePermissions.get(s.guildId) ?? 0n;
  for (const role of s.memberRoleIds) base |= rolePermissions.get(role) ?? 0n;
  if (base & PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;

  let permissions = base;
  const everyone = s.overwrites.find((o) => isRole(o) && o.id === s.guildId);
  if (everyone) permissions = (permissions & ~bits(everyone.deny)) | bits(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of s.overwrites) {
    if (isRole(o) && o.id !== s.guildId && s.memberRoleIds.includes(o.id)) {
      allow |= bits(o.allow);
      deny |= bits(o.deny);
    }
  }
  permissions = (permissions & ~deny) | allow;
  const member = s.overwrites.find((o) => isMember(o) && o.id === s.userId);
  if (member) permissions = (permissions & ~bits(member.deny)) | bits(member.allow);
  return permissions;
}

/** Names of the required permissions absent from `permissions`, in the order of the list above. */
export function missingPermissionNames(permissions: bigint): string[] {
  return REQUIRED_CHANNEL_PERMISSIONS.filter((p) => !(permissions & p.bit)).map((p) => p.name);
}
