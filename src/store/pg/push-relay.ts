// The push relay on PostgreSQL (the contract: ../push-relay.ts): NOTIFY through the pool, LISTEN on a
// client of its own (a pooled connection would be handed to other queries and lose the LISTEN). Every
// instance listens on one channel; the owner's tracker acts on the id, the others ignore what they do
// not follow. A connection lost while listening is reopened after a growing pause (1 s … 30 s); a push
// relayed meanwhile is not lost for good: the owner's next poll reads the task anyway. The connection
// also listens on SETTINGS_CHANNEL, which a settings change notifies in its own transaction
// (pg/guild-settings.ts), so PostgreSQL tells every instance the server's id once it commits; a
// change told while the connection was lost is missed, so listening again says so (`resumed`). A
// change this store made itself (its `origin` in the payload) is not told: its copy is dropped already.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import pg from 'pg';
import type { Logger } from '../../log.js';
import { isGuildId, isRelayableId, type PushRelay } from '../push-relay.js';
import type { PgSchema } from './schema.js';

/** The NOTIFY channel (an identifier of ours, never from input). */
export const PUSH_CHANNEL = 'mjtask_push';
/** The NOTIFY channel of settings changes; the payload: settingsPayload. */
export const SETTINGS_CHANNEL = 'mjtask_settings';

/** "<guild id> <origin>": the server changed and the store that changed it. */
export const settingsPayload = (guildId: string, origin: string): string => `${guildId} ${origin}`;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export function createPgPushRelay(
  db: Kysely<PgSchema>,
  clientConfig: pg.ClientConfig,
  log?: Logger,
  origin = '',
): PushRelay {
  const settingsChangedElsewhere = (payload: string): string | null => {
    const [guildId = '', from = ''] = payload.split(' ');
    return isGuildId(guildId) && (from === '' || from !== origin) ? guildId : null;
  };
  return {
    async tell(taskId) {
      if (!isRelayableId(taskId)) return false;
      await sql`SELECT pg_notify(${PUSH_CHANNEL}, ${taskId})`.execute(db);
      return true;
    },
    async listen(onPush, watchers = {}) {
      let client: pg.Client | null = null;
      let stopped = false;
      let retryMs = RETRY_FIRST_MS;
      let retry: ReturnType<typeof setTimeout> | null = null;
      const lost = (c: pg.Client, err?: unknown) => {
        if (client !== c || stopped) return;
        client = null;
        log?.warn({ event: 'store.connection_lost', err }, 'push relay: connection lost, listening again soon');
        void c.end().catch(() => undefined);
        retry = setTimeout(() => {
          retry = null;
          connect().catch(() => undefined); // lost() has scheduled the next try
        }, retryMs);
        retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
      };
      const connect = async (): Promise<void> => {
        const c = new pg.Client(clientConfig);
        client = c;
        c.on('notification', (n) => {
          if (n.payload === undefined) return;
          if (n.channel === PUSH_CHANNEL && isRelayableId(n.payload)) onPush(n.payload);
          const guildId = n.channel === SETTINGS_CHANNEL ? settingsChangedElsewhere(n.payload) : null;
          if (guildId !== null) watchers.settingsChanged?.(guildId);
        });
        c.on('error', (err) => lost(c, err));
        c.on('end', () => lost(c));
        try {
          await c.connect();
          await c.query(`LISTEN ${PUSH_CHANNEL}; LISTEN ${SETTINGS_CHANNEL}`);
          retryMs = RETRY_FIRST_MS;
          watchers.resumed?.();
        } catch (err) {
          lost(c, err);
          throw err;
        }
      };
      const stop = async () => {
        stopped = true;
        if (retry !== null) clearTimeout(retry);
        const c = client;
        client = null;
        await c?.end().catch(() => undefined);
      };
      // The first connection must work (the database has just answered the migration): else a clear failure.
      await connect().catch(async (err: unknown) => {
        await stop();
        throw err;
      });
      return stop;
    },
  };
}
