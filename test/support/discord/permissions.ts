// Discord's permission bits and the channel permission algorithm (developers/topics/permissions.mdx
// "Permission Overwrites"): base from @everyone + member roles, then @everyone, role and member overwrites.
export const Permission = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
} as const;

export const ALL_PERMISSIONS = (1n << 51n) - 1n;

export const DEFAULT_EVERYONE_PERMISSIONS =
  Permission.CreateInstantInvite |
  Permission.AddReactions |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.UseExternalEmojis |
  Permission.UseApplicationCommands |
  Permission.SendMessagesInThreads;

export function toBits(value: bigint | string | number | undefined | null): bigint {
  if (value === undefined || value === null || value === '') return 0n;
  return BigInt(value);
}

export interface OverwriteState {
  id: string;
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export interface PermissionSubject {
  guildId: string;
  ownerId: string;
  rolePermissions: ReadonlyMap<string, bigint>;
  overwrites: readonly OverwriteState[];
  userId: string;
  roles: readonly string[];
}

export function computeChannelPermissions(s: PermissionSubject): bigint {
  if (s.userId === s.ownerId) return ALL_PERMISSIONS;
  let base = s.rolePermissions.get(s.guildId) ?? 0n;
  for (const role of s.roles) base |= s.rolePermissions.get(role) ?? 0n;
  if (base & Permission.Administrator) return ALL_PERMISSIONS;

  let permissions = base;
  const everyone = s.overwrites.find((o) => o.type === 0 && o.id === s.guildId);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const o of s.overwrites) {
    if (o.type === 0 && o.id !== s.guildId && s.roles.includes(o.id)) {
      allow |= o.allow;
      deny |= o.deny;
    }
  }
  permissions = (permissions & ~deny) | allow;
  const member = s.overwrites.find((o) => o.type === 1 && o.id === s.userId);
  if (member) permissions = (permissions & ~member.deny) | member.allow;
  // Without VIEW_CHANNEL nothing else in the channel applies.
  if (!(permissions & Permission.ViewChannel)) return 0n;
  return permissions;
}
