// Shard bookkeeping for the gateway stand-in: one link per shard (its session and current
// connection), the shard a guild's events travel on, and IDENTIFY's shard pair checked as Discord
// checks it (discord.md, "Sharding"). No sockets here: the gateway owns those.
import type { WebSocket } from 'ws';
import type zlib from 'node:zlib';

export interface Session {
  id: string;
  seq: number;
  intents: number;
  /** Dispatches kept for RESUME replay. */
  buffer: Array<{ s: number; t: string; d: unknown }>;
}

export interface Connection {
  ws: WebSocket;
  identified: boolean;
  /** The shard this connection identified or resumed as. */
  shard: number;
  identifyCompress: boolean;
  deflate: zlib.Deflate | null;
  chain: Promise<void>;
}

export interface ShardLink {
  session: Session | null;
  current: Connection | null;
}

/** What a test sees of one shard. */
export interface ShardStatus {
  shard: number;
  connected: boolean;
  sessionId: string | null;
  seq: number;
}

/** The shard a guild's events travel on (Discord: `shard_id = (guild_id >> 22) % num_shards`). */
export function shardOf(guildId: string | null | undefined, shardCount: number): number {
  if (!guildId || !/^\d+$/.test(guildId)) return 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export class ShardLinks {
  private readonly links: ShardLink[];

  constructor(readonly count: number) {
    this.links = Array.from({ length: count }, () => ({ session: null, current: null }));
  }

  /** The link of shard `shard`; throws for a shard the gateway does not have. */
  at(shard: number): ShardLink {
    const link = this.links[shard];
    if (!link) throw new Error(`stand-in: there is no shard ${shard}`);
    return link;
  }

  /** The link that carries `guildId`'s events (shard 0 without a guild). */
  of(guildId: string | null): ShardLink {
    return this.at(shardOf(guildId, this.count));
  }

  status(): ShardStatus[] {
    return this.links.map((link, shard) => ({
      shard,
      connected: link.current?.identified === true,
      sessionId: link.session?.id ?? null,
      seq: link.session?.seq ?? 0,
    }));
  }

  /** True when the shard that carries `guildId`'s events has a session (every shard, without a guild). */
  hasSession(guildId?: string | null): boolean {
    if (guildId === undefined) return this.links.every((link) => link.session !== null);
    return this.of(guildId).session !== null;
  }

  /** The shard holding session `sessionId`, for RESUME; null when no shard has it. */
  bySession(sessionId: unknown): { shard: number; link: ShardLink; session: Session } | null {
    const shard = this.links.findIndex((link) => link.session !== null && link.session.id === sessionId);
    const link = this.links[shard];
    return link?.session ? { shard, link, session: link.session } : null;
  }

  /** `shard: [id, count]` from IDENTIFY (absent = [0, 1]); null when the pair is not valid. */
  shardOfIdentify(value: unknown): number | null {
    if (value === undefined) return 0;
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [id, count] = value as unknown[];
    if (typeof id !== 'number' || typeof count !== 'number' || !Number.isInteger(id) || !Number.isInteger(count))
      return null;
    if (count < 1 || id < 0 || id >= count || id >= this.count) return null;
    return id;
  }

  /** Discord closes 4011 when a bot in more guilds than one shard may carry connects with the wrong count. */
  shardingRequired(value: unknown): boolean {
    return Array.isArray(value) ? value[1] !== this.count : this.count !== 1;
  }

  /** Makes `connection` the shard's current one, closing the one it replaces. */
  replaceCurrent(link: ShardLink, connection: Connection): void {
    if (link.current && link.current !== connection) link.current.ws.terminate();
    link.current = connection;
  }
}
