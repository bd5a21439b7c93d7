// The gateway: HELLO → IDENTIFY → READY + GUILD_CREATEs, heartbeats, RESUME with replay, and
// dispatches. Served on the REST server's port (any path). Supports zlib-stream and identify
// compression in case discord.js asks for them (it does only when zlib-sync is installed).
// Sharded as Discord documents it (discord.md, "Sharding"): IDENTIFY carries `shard: [id, count]`,
// each shard is its own session, and a guild's events go to shard (guild_id >> 22) % count only.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import zlib from 'node:zlib';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Clock } from '../../../src/clock.js';
import { ShardLinks, type Connection, type ShardLink, type ShardStatus } from './shard-links.js';
import type { DisconnectOptions, GatewayLogEntry, JsonObject } from './types.js';

export { shardOf, type ShardStatus } from './shard-links.js';

export interface GatewayHooks {
  token: string;
  /** Shards the bot must connect (Discord's recommendation on /gateway/bot); 1 = unsharded. */
  shardCount: number;
  heartbeatIntervalMs: number;
  clock: Clock;
  /** READY's `d` for a new session of `shard` ([id, count]). */
  ready(sessionId: string, shard: [number, number]): JsonObject;
  /** GUILD_CREATEs for the guilds of one shard. */
  guildCreates(shardId: number): JsonObject[];
  membersChunk(request: JsonObject): JsonObject[];
  onChange(): void;
}

const REPLAY_LIMIT = 1000;

export class Gateway {
  readonly log: GatewayLogEntry[] = [];
  private readonly wss: WebSocketServer;
  private readonly shards: ShardLinks;

  constructor(
    server: Server,
    private readonly hooks: GatewayHooks,
  ) {
    this.shards = new ShardLinks(hooks.shardCount);
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (ws, request) =>
      this.accept(ws, new URL(request.url ?? '/', 'ws://127.0.0.1').searchParams),
    );
  }

  /** Shard 0's view (the whole gateway when unsharded). */
  get status(): { connected: boolean; sessionId: string | null; intents: number | null; seq: number } {
    const link = this.shards.at(0);
    return {
      connected: link.current?.identified === true,
      sessionId: link.session?.id ?? null,
      intents: link.session?.intents ?? null,
      seq: link.session?.seq ?? 0,
    };
  }

  shardStatus(): ShardStatus[] {
    return this.shards.status();
  }

  /** True when the shard that carries `guildId`'s events has a session (every shard, without a guild). */
  hasSession(guildId?: string | null): boolean {
    return this.shards.hasSession(guildId);
  }

  /**
   * Sends (or buffers while disconnected) a dispatch on the shard of its `guild_id` (shard 0 without
   * one); false when that shard has no session or the intent is missing.
   */
  dispatch(t: string, d: unknown, intent?: number): boolean {
    const guildId = typeof d === 'object' && d !== null ? (d as { guild_id?: unknown }).guild_id : undefined;
    return this.dispatchOn(this.shards.of(typeof guildId === 'string' ? guildId : null), t, d, intent);
  }

  /** Sends a dispatch on one shard, whatever guild it names (see ButtonClickArgs.viaShard). */
  dispatchOnShard(shard: number, t: string, d: unknown): boolean {
    return this.dispatchOn(this.shards.at(shard), t, d);
  }

  private dispatchOn(link: ShardLink, t: string, d: unknown, intent?: number): boolean {
    const session = link.session;
    if (!session) return false;
    if (intent !== undefined && (session.intents & intent) === 0) return false;
    const s = ++session.seq;
    session.buffer.push({ s, t, d });
    if (session.buffer.length > REPLAY_LIMIT) session.buffer.shift();
    if (link.current?.identified) this.send(link.current, { op: 0, t, s, d });
    return true;
  }

  /** Drops one shard's connection (`options.shard`), or every shard's when none is named. */
  drop(options: DisconnectOptions = {}): void {
    const targets = options.shard === undefined ? [...Array(this.shards.count).keys()] : [options.shard];
    for (const shard of targets) {
      const link = this.shards.at(shard);
      const connection = link.current;
      if (options.resumable === false) link.session = null;
      link.current = null;
      this.entry({
        direction: 'connection',
        shard,
        note: options.code === undefined ? 'drop' : `close ${options.code}`,
      });
      if (!connection) continue;
      if (options.code === undefined) connection.ws.terminate();
      else connection.ws.close(options.code, 'stand-in disconnect');
    }
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, query: URLSearchParams): void {
    const connection: Connection = {
      ws,
      identified: false,
      shard: 0,
      identifyCompress: false,
      deflate: query.get('compress') === 'zlib-stream' ? zlib.createDeflate() : null,
      chain: Promise.resolve(),
    };
    this.entry({ direction: 'connection', note: 'open' });
    ws.on('message', (raw) => this.receive(connection, raw));
    ws.on('close', (code) => {
      connection.deflate?.close();
      const link = this.shards.at(connection.shard);
      if (link.current === connection) link.current = null;
      this.entry({ direction: 'connection', shard: connection.shard, note: `closed ${code}` });
    });
    ws.on('error', () => undefined);
    if (query.get('v') !== '10') return void ws.close(4012, 'Invalid API version');
    if ((query.get('encoding') ?? 'json') !== 'json') return void ws.close(4002, 'Error while decoding payload.');
    this.send(connection, { op: 10, d: { heartbeat_interval: this.hooks.heartbeatIntervalMs, _trace: ['stand-in'] } });
  }

  private receive(connection: Connection, raw: RawData): void {
    let payload: { op?: unknown; d?: unknown };
    try {
      payload = JSON.parse(
        Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.from(raw as ArrayBuffer).toString('utf8'),
      ) as typeof payload;
    } catch {
      return void connection.ws.close(4002, 'Error while decoding payload.');
    }
    const op = typeof payload.op === 'number' ? payload.op : -1;
    const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as JsonObject;
    // An IDENTIFY is logged as the shard it asks for (the connection has none before it).
    const shard = op === 2 && Array.isArray(d.shard) && typeof d.shard[0] === 'number' ? d.shard[0] : connection.shard;
    this.entry({ direction: 'received', shard, op });
    if (op === 1) return this.send(connection, { op: 11 });
    if (op === 2) return this.identify(connection, d);
    if (op === 6) return this.resume(connection, d);
    if (!connection.identified) return void connection.ws.close(4003, 'Not authenticated.');
    if (op === 8) return this.requestMembers(connection, d);
    if (op === 3 || op === 4) return;
    connection.ws.close(4001, 'Unknown opcode.');
  }

  private identify(connection: Connection, d: JsonObject): void {
    if (connection.identified) return void connection.ws.close(4005, 'Already authenticated.');
    if (d.token !== this.hooks.token) return void connection.ws.close(4004, 'Authentication failed.');
    if (typeof d.intents !== 'number') return void connection.ws.close(4013, 'Invalid intent(s).');
    const shard = this.shards.shardOfIdentify(d.shard);
    if (shard === null) return void connection.ws.close(4010, 'Invalid shard.');
    if (this.shards.shardingRequired(d.shard)) return void connection.ws.close(4011, 'Sharding required.');
    connection.identified = true;
    connection.shard = shard;
    connection.identifyCompress = d.compress === true;
    const link = this.shards.at(shard);
    this.shards.replaceCurrent(link, connection);
    const session = { id: randomBytes(16).toString('hex'), seq: 0, intents: d.intents, buffer: [] };
    link.session = session;
    // READY itself is never replayed on resume; the GUILD_CREATEs after it are.
    this.send(connection, {
      op: 0,
      t: 'READY',
      s: ++session.seq,
      d: this.hooks.ready(session.id, [shard, this.shards.count]),
    });
    for (const guild of this.hooks.guildCreates(shard)) this.dispatchOn(link, 'GUILD_CREATE', guild);
    this.hooks.onChange();
  }

  private resume(connection: Connection, d: JsonObject): void {
    const found = this.shards.bySession(d.session_id);
    if (!found || d.token !== this.hooks.token) {
      // Not resumable: discord.js answers by reconnecting and identifying afresh.
      this.send(connection, { op: 9, d: false });
      return;
    }
    const { shard, link, session } = found;
    connection.identified = true;
    connection.shard = shard;
    this.shards.replaceCurrent(link, connection);
    const after = typeof d.seq === 'number' ? d.seq : 0;
    for (const event of session.buffer) {
      if (event.s > after) this.send(connection, { op: 0, t: event.t, s: event.s, d: event.d });
    }
    this.send(connection, { op: 0, t: 'RESUMED', s: ++session.seq, d: { _trace: ['stand-in'] } });
    this.hooks.onChange();
  }

  private requestMembers(connection: Connection, d: JsonObject): void {
    const members = this.hooks.membersChunk(d);
    const session = this.shards.at(connection.shard).session;
    const s = session ? ++session.seq : null;
    const chunk = { guild_id: d.guild_id, members, chunk_index: 0, chunk_count: 1, not_found: [], nonce: d.nonce };
    this.send(connection, { op: 0, t: 'GUILD_MEMBERS_CHUNK', s, d: chunk });
  }

  private send(connection: Connection, payload: { op: number; t?: string; s?: number | null; d?: unknown }): void {
    const { ws } = connection;
    const json = JSON.stringify(payload);
    this.entry({
      direction: 'sent',
      shard: connection.shard,
      op: payload.op,
      t: payload.t ?? null,
      s: payload.s ?? null,
    });
    if (connection.deflate) {
      const deflate = connection.deflate;
      connection.chain = connection.chain.then(
        () =>
          new Promise<void>((resolve) => {
            const chunks: Buffer[] = [];
            const collect = (chunk: Buffer) => chunks.push(chunk);
            deflate.on('data', collect);
            deflate.write(json);
            deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
              deflate.off('data', collect);
              if (ws.readyState === ws.OPEN) ws.send(Buffer.concat(chunks));
              resolve();
            });
          }),
      );
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    if (connection.identifyCompress && payload.op !== 10) ws.send(zlib.deflateSync(json));
    else ws.send(json);
  }

  private entry(partial: Omit<GatewayLogEntry, 'at' | 'realAt'>): void {
    this.log.push({ at: this.hooks.clock.now(), realAt: Date.now(), ...partial });
    this.hooks.onChange();
  }
}
