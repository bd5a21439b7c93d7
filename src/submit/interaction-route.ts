// Which member interaction may carry a task's progress (issue 14: progress through the interaction's
// own token, which Discord does not count against the global limit), and the early answer that lets
// a public follow-up exist beside a private "thinking…".
import { PermissionFlagsBits } from 'discord.js';
import type { InteractionRoute } from '../tracking/types.js';
import type { HandlerDeps } from './deps.js';
import type { RepliableInteraction } from './reply.js';

/** Discord: an interaction token works for 15 minutes after the interaction. */
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;
/**
 * The bot stops using it this much earlier: the time since the interaction (the submit waits at most
 * MJ_TIMEOUT_MS, 2 minutes) and a request in flight must never meet a dead token.
 */
export const INTERACTION_TOKEN_MARGIN_MS = 3 * 60_000;

/**
 * The route for progress shown in `channelId`, or undefined when the setting is off or the progress is
 * shown elsewhere (an updates channel: the interaction's webhook posts in the interaction's channel only),
 * or the bot may not post there itself: the webhook would show progress whose result cannot follow.
 * `originalMessageId`: the followed message is the interaction's reply (the /mjtask reply shown at once).
 */
export function interactionRouteFor(
  interaction: RepliableInteraction,
  deps: Pick<HandlerDeps, 'config' | 'clock'>,
  channelId: string,
  originalMessageId: string | null,
): InteractionRoute | undefined {
  if (!deps.config.discord.progressThroughInteraction || channelId !== interaction.channelId) return undefined;
  const canPost = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages];
  if (!interaction.appPermissions?.has(canPost)) return undefined;
  return {
    interactionId: interaction.id,
    applicationId: interaction.applicationId,
    token: interaction.token,
    originalMessageId,
    usableUntil: deps.clock.now() + INTERACTION_TOKEN_LIFETIME_MS - INTERACTION_TOKEN_MARGIN_MS,
  };
}
