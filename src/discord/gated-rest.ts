// The REST client of the publisher's requests. Those are counted by the request gate
// (src/tracking/request-gate.ts), so each must reach Discord exactly once: discord.js resends on its
// own (after a timeout or a 5xx, up to 3 times; after a 429, once it has waited), behind the gate's
// back, which is how requests beyond the global limit reached Discord at 10,000 tasks. This client
// sends once and hands a 429 (or a wait it would make) back as an error: the lane pauses, and the
// publisher's own retry goes through the gate again. Nor does it keep a global limit of its own:
// discord.js counts every request of the client against 50/s, interaction webhooks too (which Discord
// exempts), and refused results when progress through webhooks filled its second; the gate keeps
// Discord's global limit over the requests Discord counts. A real global 429 still stops it.
import { DefaultUserAgentAppendix, REST, type RESTOptions } from 'discord.js';

/**
 * Ends the User-Agent of every request the gate let through: whoever reads Discord's side (the
 * stand-in's record in the e2e tests, a proxy's log) can tell a gated request from one that was not.
 */
export const GATED_USER_AGENT_MARK = 'mjtask-gate';

export function createGatedRest(options: Partial<RESTOptions>, token: string): REST {
  return new REST({
    ...options,
    userAgentAppendix: `${options.userAgentAppendix ?? DefaultUserAgentAppendix} ${GATED_USER_AGENT_MARK}`.trim(),
    retries: 0,
    rejectOnRateLimit: () => true,
    globalRequestsPerSecond: Number.POSITIVE_INFINITY,
  }).setToken(token);
}

/** Its sweep timers (unref'd, but a stopped bot leaves nothing running). */
export function closeGatedRest(rest: REST): void {
  rest.clearHashSweeper();
  rest.clearHandlerSweeper();
}
