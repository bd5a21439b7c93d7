// The Discord stand-in's interactions, driven by the real discord.js 14 Client (the test code plays
// the bot): login and commands, acks and their deadlines, component checks, buttons and modals, a
// resumed connection. Channel messages and REST limits: discord-stand-in-messages.test.ts.
import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  Events,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  TextInputBuilder,
  TextInputStyle,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Client,
  type ModalSubmitInteraction,
} from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordStandIn } from '../support/discord/index.js';
import { apiError, realDiscordClient, resultRow, TASK_ID } from '../support/discord/real-client.js';

const MJTASK = {
  name: 'mjtask',
  description: 'Show a Midjourney task',
  options: [{ type: 3, name: 'id', description: 'Task id', required: true }],
};

const world = realDiscordClient();
const { receive, textChannel } = world;
let standIn: DiscordStandIn;
let client: Client;

const slash = () =>
  receive<ChatInputCommandInteraction>(() => standIn.slashCommand({ name: 'mjtask', options: { id: TASK_ID } }));

describe('Discord stand-in with a real discord.js Client: interactions', () => {
  beforeAll(async () => {
    ({ standIn, client } = world);
    await client.application!.commands.set([MJTASK], standIn.defaults.guildId);
  });

  it('lets the client log in, cache the guild and compute its permissions', () => {
    expect(client.user?.id).toBe(standIn.botUser.id);
    const guild = client.guilds.cache.get(standIn.defaults.guildId);
    expect(guild?.members.me?.id).toBe(standIn.botUser.id);
    const permissions = textChannel(standIn.defaults.channelId).permissionsFor(guild!.members.me!);
    expect(permissions.has([PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks])).toBe(true);
    expect(standIn.requestsTo('GET', '/gateway/bot')).toHaveLength(1);
    expect(standIn.commands(standIn.defaults.guildId).map((c) => c.name)).toEqual(['mjtask']);
  });

  it('rejects an invalid command definition with 50035', async () => {
    const error = await apiError(
      client.application!.commands.set([{ name: 'Bad Name', description: '' }], standIn.defaults.guildId),
    );
    expect(error.code).toBe(50035);
    expect(error.message).toContain('APPLICATION_COMMAND_INVALID_NAME');
  });

  it('delivers a slash command; defer + editReply stores the embed and buttons; a second ack is 40060', async () => {
    const interaction = await slash();
    expect(interaction.options.getString('id')).toBe(TASK_ID);
    expect(interaction.inCachedGuild()).toBe(true);
    expect(interaction.appPermissions.has(PermissionFlagsBits.SendMessages)).toBe(true);

    await interaction.deferReply();
    expect(standIn.interactionResponses(interaction.id).original?.flags).toBe(MessageFlags.Loading);
    const embed = new EmbedBuilder().setTitle('a cat').setDescription('SUCCESS 100%').setFooter({ text: TASK_ID });
    const reply = await interaction.editReply({ embeds: [embed], components: [resultRow()] });

    const view = standIn.interactionResponses(interaction.id);
    expect(view.callbackType).toBe(5);
    expect(view.original).toMatchObject({
      id: reply.id,
      flags: 0,
      embeds: [{ title: 'a cat' }],
      webhook_id: standIn.applicationId,
    });
    expect(view.original?.components[0]).toMatchObject({
      type: 1,
      components: [{ label: 'U1' }, {}, {}, { style: 5 }],
    });
    expect(standIn.requestsTo('PATCH', /\/messages\/@original$/)).toHaveLength(1);

    const second = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: 4, data: { content: 'again' } },
      auth: false,
    });
    expect((await apiError(second)).code).toBe(40060);
  });

  it('answers 10062 to an ack after the deadline and 50027 to an edit after 15 minutes', async () => {
    const late = await slash();
    standIn.clock.advance(3001);
    expect((await apiError(late.deferReply())).code).toBe(10062);

    const slow = await slash();
    await slow.deferReply();
    standIn.clock.advance(15 * 60_000 + 1);
    const expired = await apiError(slow.editReply('too late'));
    expect([expired.code, expired.status]).toEqual([50027, 401]);
    // The 401 came from an auth:false route, so the bot token survives.
    await expect(textChannel(standIn.defaults.channelId).send('still authorised')).resolves.toBeDefined();
  });

  it('refuses invalid components with 50035 like Discord', async () => {
    const button = (custom_id: string, extra = {}) => ({ type: 2, style: 2, label: 'x', custom_id, ...extra });
    const cases: Array<[unknown[], string]> = [
      [[{ type: 1, components: [button('a'.repeat(101))] }], 'BASE_TYPE_BAD_LENGTH'],
      [[{ type: 1, components: [button('dup'), button('dup')] }], 'COMPONENT_CUSTOM_ID_DUPLICATED'],
      [Array.from({ length: 6 }, (_, i) => ({ type: 1, components: [button(`r${i}`)] })), 'BASE_TYPE_MAX_LENGTH'],
      [[{ type: 1, components: [button('e', { emoji: { name: 'upscale_1' } })] }], 'BUTTON_COMPONENT_INVALID_EMOJI'],
    ];
    for (const [components, code] of cases) {
      const interaction = await slash();
      const error = await apiError(interaction.reply({ content: 'x', components: components as never }));
      expect(error.code).toBe(50035);
      expect(error.message).toContain(code);
    }
    const emojiError = standIn.requests.at(-1)?.responseBody;
    expect(emojiError).toMatchObject({
      errors: {
        data: {
          components: {
            0: { components: { 0: { emoji: { name: { _errors: [{ code: 'BUTTON_COMPONENT_INVALID_EMOJI' }] } } } } },
          },
        },
      },
    });
  });

  it('carries the stored message on a button click, shows a modal and delivers its submit', async () => {
    const command = await slash();
    const reply = await command.reply({ content: 'grid', components: [resultRow()], withResponse: true });
    const messageId = reply.resource!.message!.id;
    expect(standIn.interactionResponses(command.id).original?.id).toBe(messageId);

    const click = await receive<ButtonInteraction>(() =>
      standIn.clickButton({ channelId: standIn.defaults.channelId, messageId, customId: `MJ::CustomZoom::${TASK_ID}` }),
    );
    expect(click.message.id).toBe(messageId);
    expect(click.message.content).toBe('grid');
    const input = new TextInputBuilder()
      .setCustomId('prompt')
      .setStyle(TextInputStyle.Paragraph)
      .setValue('a cat --zoom 2');
    await click.showModal(
      new ModalBuilder()
        .setCustomId(`zoom:${TASK_ID}`)
        .setTitle('Custom Zoom')
        .addLabelComponents(new LabelBuilder().setLabel('Prompt').setTextInputComponent(input)),
    );
    expect(standIn.interactionResponses(click.id).modal).toMatchObject({ title: 'Custom Zoom' });

    const submit = await receive<ModalSubmitInteraction>(() =>
      standIn.submitModal({ customId: `zoom:${TASK_ID}`, fields: { prompt: 'a dog --zoom 1.5' } }),
    );
    expect(submit.fields.getTextInputValue('prompt')).toBe('a dog --zoom 1.5');
    expect(submit.message?.id).toBe(messageId);
    if (!submit.isFromMessage()) throw new Error('the modal submit lost the message it was opened from');
    await submit.update({ content: 'zooming', components: [] });
    expect(standIn.message(standIn.defaults.channelId, messageId)).toMatchObject({
      content: 'zooming',
      components: [],
    });

    // The legacy layout (action rows of text inputs) round-trips too.
    const vary = new ButtonBuilder().setCustomId('vary').setLabel('Vary').setStyle(ButtonStyle.Primary);
    const owned = await textChannel(standIn.defaults.channelId).send({
      content: 'variations',
      components: [new ActionRowBuilder<ButtonBuilder>().addComponents(vary)],
    });
    const click2 = await receive<ButtonInteraction>(() =>
      standIn.clickButton({ channelId: owned.channelId, messageId: owned.id, customId: 'vary' }),
    );
    const legacy = new ActionRowBuilder<TextInputBuilder>().addComponents(
      new TextInputBuilder().setCustomId('remix').setLabel('Remix').setStyle(TextInputStyle.Short),
    );
    await click2.showModal(new ModalBuilder().setCustomId('remix-modal').setTitle('Remix').addComponents(legacy));
    const submit2 = await receive<ModalSubmitInteraction>(() =>
      standIn.submitModal({ customId: 'remix-modal', fields: { remix: 'v2' } }),
    );
    expect(submit2.fields.getTextInputValue('remix')).toBe('v2');
  });

  it('resumes after a dropped connection and still delivers interactions', async () => {
    const resumed = once(client, Events.ShardResume, { signal: AbortSignal.timeout(5000) });
    standIn.disconnectClient();
    await resumed;
    expect(standIn.gatewayLog.some((e) => e.direction === 'received' && e.op === 6)).toBe(true);
    const interaction = await slash();
    await interaction.reply({ content: 'after resume', flags: MessageFlags.Ephemeral });
    expect(standIn.interactionResponses(interaction.id).original?.flags).toBe(MessageFlags.Ephemeral);
    expect(standIn.serverErrors).toEqual([]);
  });
});
