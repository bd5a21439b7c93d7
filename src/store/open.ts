// Which store the configuration asks for: PostgreSQL when DATABASE_URL is set, else the SQLite file
// at DATABASE_PATH (the default).
import { openPostgresStore } from './pg/open.js';
import { openStore, type Store, type StoreOptions } from './store.js';

export interface DatabaseSetting {
  databasePath: string;
  /** postgres://… or postgresql://…; null: SQLite. */
  databaseUrl: string | null;
  /** Connections to PostgreSQL (DATABASE_POOL_SIZE). */
  databasePoolSize?: number;
}

export function openConfiguredStore(setting: DatabaseSetting, options: StoreOptions = {}): Store {
  return setting.databaseUrl !== null
    ? openPostgresStore(setting.databaseUrl, { ...options, poolSize: setting.databasePoolSize })
    : openStore(setting.databasePath, options);
}
