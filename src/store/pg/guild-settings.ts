// Per-server settings on PostgreSQL (the contract and its meaning: ../guild-settings.ts). A change
// reads the current settings and writes them with their audit rows in one transaction, under a
// per-server transaction lock, so two instances changing one server's settings take turns. The same
// statement that takes the lock notifies SETTINGS_CHANNEL with the server's id: PostgreSQL delivers
// it when the transaction commits (never for one rolled back), and every other instance drops its
// copy of the server's settings (../settings-cache.ts), so a first quota binds them from their next
// submit rather than within the copy's 5 seconds. The payload also names the store that changed it
// (`origin`): that store's own copy was dropped by the change itself, so its listener skips it.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../../clock.js';
import type { EditableSettings, SettingName } from '../../server-settings.js';
import { DEFAULT_SETTINGS } from '../../server-settings.js';
import { auditEntryOf, changedSettings, editable, settingsFromRow, type GuildSettingsRepo } from '../guild-settings.js';
import { SETTINGS_CHANNEL, settingsPayload } from './push-relay.js';
import type { PgSchema } from './schema.js';

type Db = Kysely<PgSchema> | Transaction<PgSchema>;

async function read(db: Db, guildId: string) {
  const row = await db.selectFrom('guild_settings').selectAll().where('guild_id', '=', guildId).executeTakeFirst();
  return row ? settingsFromRow(row) : null;
}

export function createPgGuildSettingsRepo(db: Kysely<PgSchema>, clock: Clock, origin = ''): GuildSettingsRepo {
  const apply = (guildId: string, change: Partial<EditableSettings>, updatedBy: string | null) =>
    db.transaction().execute(async (trx): Promise<SettingName[]> => {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`guild_settings:${guildId}`})),
        pg_notify(${SETTINGS_CHANNEL}, ${settingsPayload(guildId, origin)})`.execute(trx);
      const before = editable(await read(trx, guildId));
      const { after, changed } = changedSettings(before, change);
      if (changed.length === 0) return [];
      const now = clock.now();
      const row = {
        guild_id: guildId,
        updates_channel_id: after.updatesChannelId,
        allowed_channel_ids: JSON.stringify(after.allowedChannelIds),
        start_role_ids: JSON.stringify(after.startRoleIds),
        click_role_ids: JSON.stringify(after.clickRoleIds),
        member_daily_quota: after.memberDailyQuota,
        server_daily_budget: after.serverDailyBudget,
        default_speed: after.defaultSpeed,
        channel_locale: after.channelLocale,
        updated_by: updatedBy,
        updated_at: now,
      };
      const { guild_id: _id, ...columns } = row;
      await trx
        .insertInto('guild_settings')
        .values(row)
        .onConflict((oc) => oc.column('guild_id').doUpdateSet(columns))
        .execute();
      await trx
        .insertInto('guild_settings_audit')
        .values(
          changed.map((name) => ({
            guild_id: guildId,
            user_id: updatedBy,
            at: now,
            setting: name,
            old_value: JSON.stringify(before[name]),
            new_value: JSON.stringify(after[name]),
          })),
        )
        .execute();
      return changed;
    });

  return {
    get: (guildId) => read(db, guildId),
    effective: async (guildId) => editable(await read(db, guildId)),
    getUpdatesChannel: async (guildId) => (await read(db, guildId))?.updatesChannelId ?? null,
    async setUpdatesChannel(guildId, channelId, updatedBy) {
      await apply(guildId, { updatesChannelId: channelId }, updatedBy);
    },
    update: (guildId, change, updatedBy) => apply(guildId, change, updatedBy),
    reset: (guildId, updatedBy) => apply(guildId, DEFAULT_SETTINGS, updatedBy),
    async auditTrail(guildId, limit) {
      const rows = await db
        .selectFrom('guild_settings_audit')
        .selectAll()
        .where('guild_id', '=', guildId)
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.flatMap(auditEntryOf);
    },
  };
}
