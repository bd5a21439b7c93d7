// `npm run deploy-commands`: registers the slash commands without starting the bot (the bot also does
// this at every start). Useful after changing DISCORD_GUILD_ID or to check the token.
import dotenv from 'dotenv';
import { REST } from 'discord.js';
import { ConfigError, loadConfig } from './config/load.js';
import { commandDefinitions } from './discord/commands/definitions.js';
import { registerCommands } from './discord/register.js';
import { redactSecrets } from './log.js';

dotenv.config({ quiet: true });

try {
  const config = loadConfig(process.env);
  const rest = new REST({ api: config.discord.apiUrl }).setToken(config.discord.token);
  try {
    const app = (await rest.get('/applications/@me')) as { id: string; name?: string };
    const count = await registerCommands(rest, app.id, config.discord.guildId);
    const names = commandDefinitions.map((c) => `/${c.name}`).join(', ');
    console.log(
      `Registered ${count} command(s) ${config.discord.guildId ? `in server ${config.discord.guildId}` : 'globally'}: ${names}`,
    );
  } catch (err) {
    const message = redactSecrets(err instanceof Error ? err.message : String(err), [config.discord.token]);
    console.error(`Could not register the commands: ${message}`);
    process.exitCode = 1;
  }
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exitCode = 1;
}
