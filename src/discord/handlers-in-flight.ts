// The interaction handlers in flight, by interaction id: Bot.handled(id) resolves once that
// interaction's handler is over, so a test reads a member's answer when it is final (a task shown
// through the interaction is answered first, then given its link).
import type { Interaction } from 'discord.js';
import type { Logger } from '../log.js';

export function handlersInFlight(route: (interaction: Interaction) => Promise<void>, log: Logger) {
  const running = new Map<string, Promise<void>>();
  return {
    run(interaction: Interaction): void {
      const handling = route(interaction)
        .catch((err: unknown) => log.error({ event: 'interaction.failed', err }, 'interaction handler failed'))
        .finally(() => running.delete(interaction.id));
      running.set(interaction.id, handling);
    },
    handled: (interactionId: string): Promise<void> => running.get(interactionId) ?? Promise.resolve(),
  };
}
