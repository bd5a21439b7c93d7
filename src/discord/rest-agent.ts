// discord.js sends through its own undici (6.x), while the bot depends on undici 7. Both versions
// share one process-wide "global dispatcher" slot, and whichever version fills it first serves the
// other's requests too: an undici 7 agent there breaks discord.js's multipart uploads (result images).
// Giving discord.js an agent from its own undici takes it out of that race, whatever runs first.
// The bot's undici 7 is installed under the alias `undici-7` (package.json) so that `undici` itself is
// discord.js's 6.x, hoisted once and shared by discord.js and @discordjs/rest: one copy of undici 6 in
// memory, not one nested under each (about 5 MB of RSS).
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici-7';

type AgentConstructor = new (options?: { keepAliveTimeout?: number }) => Dispatcher;

/** An Agent built by the undici that @discordjs/rest itself resolves (nested or hoisted). */
export function createDiscordRestAgent(): Dispatcher {
  const requireHere = createRequire(import.meta.url);
  const requireFromRest = createRequire(requireHere.resolve('@discordjs/rest'));
  const { Agent } = requireFromRest('undici') as { Agent: AgentConstructor };
  return new Agent({ keepAliveTimeout: 10_000 });
}
