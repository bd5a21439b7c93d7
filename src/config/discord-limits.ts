// The bot's default shares of Discord's request limits: the settings' defaults and the request
// gate's, in one place (config sits below tracking, so both can read them here).

/** Discord's global limit is 50/s; 45 leaves room for requests made outside the gate (command registration…). */
export const DEFAULT_MAX_REQUESTS_PER_SECOND = 45;

/**
 * Interaction webhooks are exempt from the global limit. Measured in the bench at 1,000 tasks in
 * flight (about 100 webhook requests a second wanted): held to 45/s, as they were before, a change
 * waited p95 21.1 s for its edit; at 100/s 8.9 s; at 200/s 2.95 s. Each interaction's own bucket
 * still holds per token (src/tracking/reported-bucket.ts).
 */
export const DEFAULT_INTERACTION_REQUESTS_PER_SECOND = 200;
