// discord.js sends through its own undici (6.x), while the bot depends on undici 7. Both versions
// share one process-wide "global dispatcher" slot, and whichever version fills it first serves the
// other's requests too: an undici 7 agent there breaks discord.js's multipart uploads (result images).
// Giving discord.js an agent from its own undici takes it out of that race, whatever runs first.
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

type AgentConstructor = new (options?: { keepAliveTimeout?: number }) => Dispatcher;

/** An Agent built by the undici that @discordjs/rest itself resolves (nested or hoisted). */
export function createDiscordRestAgent(): Dispatcher {
  const requireHere = createRequire(import.meta.url);
  const requireFromRest = createRequire(requireHere.resolve('@discordjs/rest'));
  const { Agent } = requireFromRest('undici') as { Agent: AgentConstructor };
  return new Agent({ keepAliveTimeout: 10_000 });
}
