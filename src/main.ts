// `npm start`: read .env, check the configuration, start the bot, stop cleanly on SIGTERM/SIGINT.
import dotenv from 'dotenv';
import { createBot, type Bot } from './bot.js';
import { ConfigError, configSecrets, loadConfig, type Config } from './config/load.js';
import { redactSecrets } from './log.js';
import { isStoreDamagedError, isStoreWriteError } from './store/errors.js';
import { loadStoreOpener } from './store/open.js';

dotenv.config({ quiet: true });

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

const secrets = configSecrets(config);
const openStore = await loadStoreOpener(config);
let bot: Bot;
try {
  bot = createBot({ config, openStore });
} catch (err) {
  // Opening the database is the only thing here that can fail: a damaged file, one that cannot be written, or other.
  const why = redactSecrets(err instanceof Error ? err.message : String(err), secrets);
  const fix = isStoreDamagedError(err)
    ? ''
    : isStoreWriteError(err)
      ? `Check DATABASE_PATH (${config.databasePath}): the file and its folder must be writable by the bot and the disk must have free space.\n`
      : `Check DATABASE_PATH (${config.databasePath}): its folder must be writable.\n`;
  process.stderr.write(`The bot cannot start: ${why}\n${fix}`);
  process.exit(1);
}
const log = bot.context.log;

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ event: 'bot.shutdown', signal }, 'shutting down');
  await bot.stop().catch((err: unknown) => log.error({ event: 'bot.stop_failed', err }, 'stop failed'));
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('unhandledRejection', (err) => log.error({ event: 'unhandled_rejection', err }, 'unhandled rejection'));

bot.start().catch(async (err: unknown) => {
  process.stderr.write(`${redactSecrets(err instanceof Error ? err.message : String(err), secrets)}\n`);
  await bot.stop().catch(() => undefined);
  process.exit(1);
});
