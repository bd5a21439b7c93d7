// What the gateway tells the bot about the world: READY for a new session (the bot user and the
// shard's guilds, unavailable until their GUILD_CREATE), the GUILD_CREATEs of a shard, and the members
// a REQUEST_GUILD_MEMBERS asks for (by ids, or by a username prefix and a limit).
import { shardOf, type GatewayHooks } from './gateway.js';
import type { UserSpec } from './types.js';
import { guildCreateWire, memberWire, userWire } from './wire.js';
import type { World } from './world.js';

/** `origin` is read when a session starts: the server's port is known only once it listens. */
export function gatewayFeed(
  world: World,
  botUser: UserSpec,
  applicationId: string,
  shardCount: number,
  origin: () => string,
): Pick<GatewayHooks, 'ready' | 'guildCreates' | 'membersChunk'> {
  return {
    ready: (sessionId, shard) => ({
      v: 10,
      user: { ...userWire(botUser), bot: true, verified: true, mfa_enabled: false, flags: 0, email: null },
      guilds: [...world.guilds.keys()]
        .filter((id) => shardOf(id, shardCount) === shard[0])
        .map((id) => ({ id, unavailable: true })),
      session_id: sessionId,
      resume_gateway_url: origin().replace(/^http/, 'ws'),
      shard,
      application: { id: applicationId, flags: 0 },
      user_settings: {},
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ['stand-in'],
    }),
    guildCreates: (shardId) =>
      [...world.guilds.values()]
        .filter((guild) => shardOf(guild.id, shardCount) === shardId)
        .map((guild) => guildCreateWire(guild)),
    membersChunk: (request) => {
      const guild = world.guild(String(request.guild_id));
      const ids = Array.isArray(request.user_ids)
        ? request.user_ids.map(String)
        : typeof request.user_ids === 'string'
          ? [request.user_ids]
          : null;
      const query = typeof request.query === 'string' ? request.query.toLowerCase() : '';
      const members = [...(guild?.members.values() ?? [])].filter((m) =>
        ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query),
      );
      const limit = typeof request.limit === 'number' && request.limit > 0 ? request.limit : members.length;
      return members.slice(0, limit).map((m) => memberWire(m));
    },
  };
}
