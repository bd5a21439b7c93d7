// Which store the configuration asks for: PostgreSQL when DATABASE_URL is set, else the SQLite file
// at DATABASE_PATH (the default). Only the chosen backend's code is loaded: a bot on SQLite never
// loads pg, Kysely and the PostgreSQL store (about 5 MB of heap it would carry for nothing).
import { openStore, type Store, type StoreOptions } from './store.js';

export interface DatabaseSetting {
  databasePath: string;
  /** postgres://… or postgresql://…; null: SQLite. */
  databaseUrl: string | null;
  /** Connections to PostgreSQL (DATABASE_POOL_SIZE). */
  databasePoolSize?: number;
}

/** Opens the configured store (SQLite checks and migrates here; PostgreSQL connects in start()). */
export type StoreOpener = (options: StoreOptions) => Store;

export async function loadStoreOpener(setting: DatabaseSetting): Promise<StoreOpener> {
  const { databaseUrl } = setting;
  if (databaseUrl === null) return (options) => openStore(setting.databasePath, options);
  const { openPostgresStore } = await import('./pg/open.js');
  return (options) => openPostgresStore(databaseUrl, { ...options, poolSize: setting.databasePoolSize });
}
