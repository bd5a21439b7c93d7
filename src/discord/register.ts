// Registers the slash commands with one idempotent bulk overwrite (PUT): in one server when
// DISCORD_GUILD_ID is set (instant), else globally. Bulk overwrite only counts new commands toward
// Discord's 200 creates/day, so running it at every start is safe.
import { Routes, type REST } from 'discord.js';
import { commandDefinitions } from './commands/definitions.js';

export async function registerCommands(rest: REST, applicationId: string, guildId: string | null): Promise<number> {
  const route = guildId
    ? Routes.applicationGuildCommands(applicationId, guildId)
    : Routes.applicationCommands(applicationId);
  const result = (await rest.put(route, { body: commandDefinitions })) as unknown[];
  return Array.isArray(result) ? result.length : 0;
}
