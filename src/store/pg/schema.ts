// The PostgreSQL tables as Kysely sees them: the same tables and columns as the SQLite schema
// (src/store/migrations.ts), times as BIGINT milliseconds (read back as numbers, see open.ts).
import type { Generated } from 'kysely';
import type { SharedBudget } from '../instances.js';

export interface TrackedTasksTable {
  task_id: string;
  guild_id: string | null;
  channel_id: string;
  message_id: string | null;
  requester_id: string | null;
  origin: string;
  started_at: number;
  last_status: string;
  last_progress: string;
  last_push_at: number | null;
  last_render_hash: string | null;
  result_message_id: string | null;
  phase: string;
  locale: string | null;
  created_at: number;
  updated_at: number;
  /** Migration 9: the customId the click that started the task submitted. */
  submitted_custom_id: string | null;
  /** Migration 10: the interaction whose webhook may create the first progress message. */
  progress_interaction_id: string | null;
  /** The lease (migration 8): src/store/leases.ts. */
  lease_owner: Generated<string | null>;
  lease_expires_at: Generated<number | null>;
  lease_epoch: Generated<number>;
}

export interface GuildSettingsTable {
  guild_id: string;
  updates_channel_id: string | null;
  allowed_channel_ids: string;
  start_role_ids: string;
  click_role_ids: string;
  member_daily_quota: number | null;
  server_daily_budget: number | null;
  default_speed: string | null;
  channel_locale: string | null;
  updated_by: string | null;
  updated_at: number;
}

export interface GuildSettingsAuditTable {
  id: Generated<number>;
  guild_id: string;
  user_id: string | null;
  at: number;
  setting: string;
  old_value: string | null;
  new_value: string | null;
}

export interface ClicksTable {
  id: Generated<number>;
  message_id: string | null;
  custom_id: string;
  user_id: string;
  at: number;
  state: Generated<string>;
  child_task_id: string | null;
  follow_channel_id: string | null;
  follow_message_id: string | null;
  guild_id: string | null;
  channel_id: string | null;
  guild_locale: string | null;
  made_by: string | null;
  recover_after: number | null;
  recover_tries: Generated<number>;
  usage_action: string | null;
  usage_counted: Generated<boolean>;
  usage_places: Generated<number>;
  usage_found: Generated<string[]>;
}

export interface TaskOwnersTable {
  task_id: string;
  guild_id: string | null;
  user_id: string | null;
  created_at: number;
  prompt: string | null;
  /** Insertion order, the tie-break SQLite takes from its rowid. */
  seq: Generated<number>;
}

export interface BannedPromptsTable {
  id: Generated<number>;
  user_id: string;
  guild_id: string | null;
  at: number;
}

export interface UsageLogTable {
  id: Generated<number>;
  guild_id: string;
  user_id: string;
  at: number;
  day: string;
  action: string;
  outcome: string;
  rule: string;
}

export interface UsageDailyTable {
  guild_id: string;
  day: string;
  user_id: string;
  action: string;
  outcome: string;
  rule: string;
  n: number;
}

/** Submits in flight holding their place in the day's limits (migration 10): src/store/usage.ts. */
export interface UsageReservationsTable {
  id: Generated<number>;
  guild_id: string;
  user_id: string;
  day: string;
  at: number;
  expires_at: number;
  places: Generated<number>;
  click_id: number | null;
}

export interface InstancesTable {
  budget: Generated<SharedBudget>;
  instance_id: string;
  shards: number;
  share: number;
  seen_at: number;
}

export interface SchemaVersionTable {
  version: number;
  description: string;
  applied_at: number;
}

export interface PgSchema {
  tracked_tasks: TrackedTasksTable;
  guild_settings: GuildSettingsTable;
  guild_settings_audit: GuildSettingsAuditTable;
  clicks: ClicksTable;
  task_owners: TaskOwnersTable;
  banned_prompts: BannedPromptsTable;
  usage_log: UsageLogTable;
  usage_daily: UsageDailyTable;
  usage_reservations: UsageReservationsTable;
  instances: InstancesTable;
  schema_version: SchemaVersionTable;
}
