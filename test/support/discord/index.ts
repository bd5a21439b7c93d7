// Entry point for tests: the Discord stand-in and its helpers.
export { createDiscordStandIn, type DiscordStandIn } from './stand-in.js';
export { createManualClock } from './clock.js';
export { Permission } from './permissions.js';
export { messagePayloadViolations, modalViolations, isUnicodeEmoji } from './validate.js';
export { commandListViolations } from './validate-commands.js';
export { MESSAGE_BUCKET_HASHES } from './rate-limit.js';
export type * from './types.js';
