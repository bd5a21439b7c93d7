// A real discord.js 14 Client logged in to a Discord stand-in, for the stand-in's own tests
// (test/unit/discord-stand-in*.test.ts): the test code plays the bot. One stand-in and one client per
// file, logged in before its tests (manual clock, an edit bucket of 4 per 500 ms).
import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, expect } from 'vitest';
import { createDiscordRestAgent } from '../../../src/discord/rest-agent.js';
import { createDiscordStandIn, type DiscordStandIn, type DispatchedInteraction } from './index.js';

export const TASK_ID = '1733291234567890';

/** Registers the hooks; `standIn` and `client` are readable from the first test on. */
export function realDiscordClient() {
  let standIn: DiscordStandIn | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    standIn = await createDiscordStandIn({ clock: 'manual', editBucket: { limit: 4, windowMs: 500 } });
    client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // discord.js's own undici, as the bot's client has (src/discord/rest-agent.ts): another test
      // file in this worker may have set undici 7's global dispatcher, which breaks uploads.
      rest: { api: standIn.apiBase, globalRequestsPerSecond: 1e6, agent: createDiscordRestAgent() as never },
    });
    const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(5000) });
    await client.login(standIn.token);
    await ready;
  });
  afterAll(async () => {
    await client?.destroy();
    await standIn?.close();
  });
  const world = {
    get standIn(): DiscordStandIn {
      if (!standIn) throw new Error('the stand-in starts before the first test');
      return standIn;
    },
    get client(): Client {
      if (!client) throw new Error('the client logs in before the first test');
      return client;
    },
    /** The interaction `dispatch` sends, as the client receives it. */
    async receive<T extends Interaction>(dispatch: () => DispatchedInteraction): Promise<T> {
      const next = once(world.client, Events.InteractionCreate, { signal: AbortSignal.timeout(3000) });
      const sent = dispatch();
      const [interaction] = (await next) as [T];
      expect(interaction.id).toBe(sent.id);
      return interaction;
    },
    textChannel: (id: string) => world.client.channels.cache.get(id) as TextChannel,
  };
  return world;
}

/** What `promise` rejects with, which must be a DiscordAPIError. */
export async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DiscordAPIError);
  return error as DiscordAPIError;
}

/** A result's row as the bot builds it: U1, 🔄, Custom Zoom and a link. */
export const resultRow = () =>
  new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`MJ::JOB::upsample::1::${TASK_ID}`).setLabel('U1').setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(`MJ::JOB::reroll::0::${TASK_ID}::SOLO`)
      .setEmoji({ name: '🔄' })
      .setStyle(ButtonStyle.Secondary),
    new ButtonBuilder()
      .setCustomId(`MJ::CustomZoom::${TASK_ID}`)
      .setLabel('Custom Zoom')
      .setEmoji({ name: '🔍' })
      .setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setURL('https://example.com/grid.png').setLabel('Web').setStyle(ButtonStyle.Link),
  );
