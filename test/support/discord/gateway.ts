// The gateway: HELLO → IDENTIFY → READY + GUILD_CREATEs, heartbeats, RESUME with replay, and
// dispatches. Served on the REST server's port (any path). Supports zlib-stream and identify
// compression in case discord.js asks for them (it does only when zlib-sync is installed).
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import zlib from 'node:zlib';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Clock } from '../../../src/clock.js';
import type { DisconnectOptions, GatewayLogEntry, JsonObject } from './types.js';

interface Session {
  id: string;
  seq: number;
  intents: number;
  /** Dispatches kept for RESUME replay. */
  buffer: Array<{ s: number; t: string; d: unknown }>;
}

interface Connection {
  ws: WebSocket;
  identified: boolean;
  identifyCompress: boolean;
  deflate: zlib.Deflate | null;
  chain: Promise<void>;
}

export interface GatewayHooks {
  token: string;
  heartbeatIntervalMs: number;
  clock: Clock;
  /** READY's `d` for a new session. */
  ready(sessionId: string): JsonObject;
  guildCreates(): JsonObject[];
  membersChunk(request: JsonObject): JsonObject[];
  onChange(): void;
}

const REPLAY_LIMIT = 1000;

export class Gateway {
  readonly log: GatewayLogEntry[] = [];
  private readonly wss: WebSocketServer;
  private session: Session | null = null;
  private current: Connection | null = null;

  constructor(
    server: Server,
    private readonly hooks: GatewayHooks,
  ) {
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (ws, request) =>
      this.accept(ws, new URL(request.url ?? '/', 'ws://127.0.0.1').searchParams),
    );
  }

  get status(): { connected: boolean; sessionId: string | null; intents: number | null; seq: number } {
    return {
      connected: this.current?.identified === true,
      sessionId: this.session?.id ?? null,
      intents: this.session?.intents ?? null,
      seq: this.session?.seq ?? 0,
    };
  }

  get hasSession(): boolean {
    return this.session !== null;
  }

  /** Sends (or buffers while disconnected) a dispatch; false when no session or the intent is missing. */
  dispatch(t: string, d: unknown, intent?: number): boolean {
    const session = this.session;
    if (!session) return false;
    if (intent !== undefined && (session.intents & intent) === 0) return false;
    const s = ++session.seq;
    session.buffer.push({ s, t, d });
    if (session.buffer.length > REPLAY_LIMIT) session.buffer.shift();
    if (this.current?.identified) this.send(this.current, { op: 0, t, s, d });
    return true;
  }

  drop(options: DisconnectOptions = {}): void {
    const connection = this.current;
    if (options.resumable === false) this.session = null;
    this.current = null;
    this.entry({ direction: 'connection', note: options.code === undefined ? 'drop' : `close ${options.code}` });
    if (!connection) return;
    if (options.code === undefined) connection.ws.terminate();
    else connection.ws.close(options.code, 'stand-in disconnect');
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, query: URLSearchParams): void {
    const connection: Connection = {
      ws,
      identified: false,
      identifyCompress: false,
      deflate: query.get('compress') === 'zlib-stream' ? zlib.createDeflate() : null,
      chain: Promise.resolve(),
    };
    this.entry({ direction: 'connection', note: 'open' });
    ws.on('message', (raw) => this.receive(connection, raw));
    ws.on('close', (code) => {
      connection.deflate?.close();
      if (this.current === connection) this.current = null;
      this.entry({ direction: 'connection', note: `closed ${code}` });
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
    this.entry({ direction: 'received', op });
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
    connection.identified = true;
    connection.identifyCompress = d.compress === true;
    this.replaceCurrent(connection);
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, intents: d.intents, buffer: [] };
    this.session = session;
    // READY itself is never replayed on resume; the GUILD_CREATEs after it are.
    this.send(connection, { op: 0, t: 'READY', s: ++session.seq, d: this.hooks.ready(session.id) });
    for (const guild of this.hooks.guildCreates()) this.dispatch('GUILD_CREATE', guild);
    this.hooks.onChange();
  }

  private resume(connection: Connection, d: JsonObject): void {
    const session = this.session;
    if (!session || d.session_id !== session.id || d.token !== this.hooks.token) {
      // Not resumable: discord.js answers by reconnecting and identifying afresh.
      this.send(connection, { op: 9, d: false });
      return;
    }
    connection.identified = true;
    this.replaceCurrent(connection);
    const after = typeof d.seq === 'number' ? d.seq : 0;
    for (const event of session.buffer) {
      if (event.s > after) this.send(connection, { op: 0, t: event.t, s: event.s, d: event.d });
    }
    this.send(connection, { op: 0, t: 'RESUMED', s: ++session.seq, d: { _trace: ['stand-in'] } });
    this.hooks.onChange();
  }

  private requestMembers(connection: Connection, d: JsonObject): void {
    const members = this.hooks.membersChunk(d);
    const s = this.session ? ++this.session.seq : null;
    const chunk = { guild_id: d.guild_id, members, chunk_index: 0, chunk_count: 1, not_found: [], nonce: d.nonce };
    this.send(connection, { op: 0, t: 'GUILD_MEMBERS_CHUNK', s, d: chunk });
  }

  private replaceCurrent(connection: Connection): void {
    if (this.current && this.current !== connection) this.current.ws.terminate();
    this.current = connection;
  }

  private send(connection: Connection, payload: { op: number; t?: string; s?: number | null; d?: unknown }): void {
    const { ws } = connection;
    const json = JSON.stringify(payload);
    this.entry({ direction: 'sent', op: payload.op, t: payload.t ?? null, s: payload.s ?? null });
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
