// INTERACTION_CREATE payloads as Discord sends them, with every field discord.js 14 reads (data.type,
// entitlements, authorizing_integration_owners, app_permissions, channel, member.permissions, …).
// The helpers refuse what a Discord client could not produce (unregistered command, missing or
// disabled button, modal never shown) so a test cannot pass on an impossible interaction.
// The shared part is ./interaction-record.ts; commands and autocomplete ./command-payloads.ts; button
// clicks and modal submits ./component-payloads.ts.
export type { PayloadContext } from './interaction-record.js';
export { buildAutocomplete, buildSlashCommand } from './command-payloads.js';
export { buildButtonClick, buildModalSubmit } from './component-payloads.js';
