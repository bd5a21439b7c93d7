// Members acting through the client: slash commands, autocomplete, button clicks and modal submits,
// built from what the bot registered and sent (./interaction-payloads.ts), dispatched as
// INTERACTION_CREATE on the guild's shard (or the one a test names), and the bot's answers to them.
import type { StandInCore } from './core.js';
import { shardOf, type Gateway } from './gateway.js';
import {
  buildAutocomplete,
  buildButtonClick,
  buildModalSubmit,
  buildSlashCommand,
  type PayloadContext,
} from './interaction-payloads.js';
import type { InteractionRecord } from './interactions.js';
import type { DiscordStandIn } from './stand-in-api.js';
import type { DispatchedInteraction, InteractionResponseView, JsonObject, StandInDefaults } from './types.js';
import type { Waiter } from './wait.js';
import type { World } from './world.js';

export type InteractionControls = Pick<
  DiscordStandIn,
  'interactionResponses' | 'slashCommand' | 'autocomplete' | 'clickButton' | 'submitModal' | 'waitForResponse'
>;

export function interactionControls(
  core: StandInCore,
  gateway: Gateway,
  waiter: Waiter,
  world: World,
  defaults: StandInDefaults,
  applicationId: string,
  shardCount: number,
): InteractionControls {
  const context: PayloadContext = {
    world,
    messages: core.messages,
    commands: core.commands,
    interactions: core.interactions,
    ids: core.ids,
    applicationId,
    defaults,
    now: () => core.now(),
  };
  const dispatch = (record: InteractionRecord, viaShard?: number): DispatchedInteraction => {
    const guildId = typeof record.payload.guild_id === 'string' ? record.payload.guild_id : null;
    if (viaShard === undefined && !gateway.hasSession(guildId))
      throw new Error(
        `stand-in: no bot is connected to shard ${shardOf(guildId, shardCount)} of the gateway yet (wait for the client to be ready)`,
      );
    core.interactions.add(record);
    if (viaShard === undefined) gateway.dispatch('INTERACTION_CREATE', record.payload);
    else if (!gateway.dispatchOnShard(viaShard, 'INTERACTION_CREATE', record.payload))
      throw new Error(`stand-in: no bot is connected to shard ${viaShard} of the gateway`);
    core.notify();
    const resolved = (record.payload.data as { resolved?: { attachments?: JsonObject } } | undefined)?.resolved;
    const attachmentIds = Object.keys(resolved?.attachments ?? {});
    return { id: record.id, token: record.token, applicationId, ...(attachmentIds.length > 0 && { attachmentIds }) };
  };

  return {
    interactionResponses: (interactionId) => {
      const view = core.interactions.view(interactionId, core.messages);
      if (!view) throw new Error(`stand-in: no interaction ${interactionId} was dispatched`);
      return view;
    },
    slashCommand: (args) => dispatch(buildSlashCommand(context, args), args.viaShard),
    autocomplete: (args) => dispatch(buildAutocomplete(context, args)),
    clickButton: (args) => dispatch(buildButtonClick(context, args), args.viaShard),
    submitModal: (args) => dispatch(buildModalSubmit(context, args)),
    waitForResponse: (interactionId, timeoutMs = 5000) =>
      waiter.waitFor<InteractionResponseView | null>(
        () => {
          const view = core.interactions.view(interactionId, core.messages);
          return view?.callbackType !== null ? view : null;
        },
        timeoutMs,
        `the bot's response to interaction ${interactionId}`,
      ),
  };
}
