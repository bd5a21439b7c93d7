// The Discord stand-in, driven by the real discord.js 14 Client: the test code plays the bot.
import { once } from 'node:events';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  Routes,
  TextInputBuilder,
  TextInputStyle,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type TextChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordStandIn, type DiscordStandIn, type DispatchedInteraction } from '../support/discord/index.js';

const TASK_ID = '1733291234567890';
const MJTASK = {
  name: 'mjtask',
  description: 'Show a Midjourney task',
  options: [{ type: 3, name: 'id', description: 'Task id', required: true }],
};

let standIn: DiscordStandIn;
let client: Client;

async function receive<T extends Interaction>(dispatch: () => DispatchedInteraction): Promise<T> {
  const next = once(client, Events.InteractionCreate, { signal: AbortSignal.timeout(3000) });
  const sent = dispatch();
  const [interaction] = (await next) as [T];
  expect(interaction.id).toBe(sent.id);
  return interaction;
}

const slash = () =>
  receive<ChatInputCommandInteraction>(() => standIn.slashCommand({ name: 'mjtask', options: { id: TASK_ID } }));

async function apiError(promise: Promise<unknown>): Promise<DiscordAPIError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DiscordAPIError);
  return error as DiscordAPIError;
}

const textChannel = (id: string) => client.channels.cache.get(id) as TextChannel;

const resultRow = () =>
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

describe('Discord stand-in with a real discord.js Client', () => {
  beforeAll(async () => {
    standIn = await createDiscordStandIn({ clock: 'manual', editBucket: { limit: 4, windowMs: 500 } });
    client = new Client({
      intents: [GatewayIntentBits.Guilds],
      rest: { api: standIn.apiBase, globalRequestsPerSecond: 1e6 },
    });
    const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(5000) });
    await client.login(standIn.token);
    await ready;
    await client.application!.commands.set([MJTASK], standIn.defaults.guildId);
  });

  afterAll(async () => {
    await client?.destroy();
    await standIn?.close();
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

  it('sends and edits channel messages, and answers 10008 once a member deleted one', async () => {
    const channel = textChannel(standIn.defaults.channelId);
    const sent = await channel.send({ content: 'Waiting to start', components: [resultRow()] });
    const edited = await sent.edit({ content: '(42%) (fast)' });
    expect(edited.editedTimestamp).not.toBeNull();
    expect(standIn.messageHistory(sent.id).map((m) => m.content)).toEqual(['Waiting to start', '(42%) (fast)']);

    expect(standIn.deleteMessage(channel.id, sent.id)).toBe(true);
    expect((await apiError(sent.edit('(60%)'))).code).toBe(10008);
    expect(standIn.message(channel.id, sent.id)).toBeUndefined();
  });

  it('returns the existing message for a repeated nonce with enforce_nonce, within the window only', async () => {
    const channelId = standIn.addChannel({ name: 'nonces' });
    const post = (body: Record<string, unknown>) =>
      client.rest.post(Routes.channelMessages(channelId), { body }) as Promise<{ id: string; nonce?: string }>;

    const first = await post({ content: 'result', nonce: 'r-task-1', enforce_nonce: true });
    const repeat = await post({ content: 'result, sent again after a crash', nonce: 'r-task-1', enforce_nonce: true });
    expect(repeat.id).toBe(first.id);
    expect(standIn.messages(channelId).map((m) => m.content)).toEqual(['result']);
    expect(standIn.requestsTo('POST', `/channels/${channelId}/messages`).map((r) => r.status)).toEqual([200, 200]);

    // Without enforce_nonce, or with another nonce, Discord creates a new message.
    const unenforced = await post({ content: 'not enforced', nonce: 'r-task-1' });
    const other = await post({ content: 'other task', nonce: 'r-task-2', enforce_nonce: true });
    expect(new Set([first.id, unenforced.id, other.id]).size).toBe(3);

    // After "a few minutes" the nonce is forgotten.
    standIn.clock.advance(3 * 60_000 + 1);
    const late = await post({ content: 'much later', nonce: 'r-task-2', enforce_nonce: true });
    expect(late.id).not.toBe(other.id);
    expect(standIn.messages(channelId)).toHaveLength(4);

    const tooLong = await apiError(post({ content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true }));
    expect(tooLong.code).toBe(50035);
    expect(standIn.messages(channelId)).toHaveLength(4);
  });

  it('paces a single-route burst by its headers, and answers 429 to a mixed burst, which discord.js retries', async () => {
    const channelId = standIn.addChannel({ name: 'burst' });
    await standIn.waitFor(() => client.channels.cache.has(channelId), 2000, 'CHANNEL_CREATE in the client cache');
    const channel = textChannel(channelId);
    const seed = await channel.send('seed');

    // Edits only: discord.js reads x-ratelimit-remaining/reset-after and waits out the window itself.
    await Promise.all([1, 2, 3, 4, 5].map((n) => seed.edit(`edit ${n}`)));
    const edits = standIn.requestsTo('PATCH', `/channels/${channelId}/messages/${seed.id}`);
    expect(edits.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(edits[3]!.realAt - edits[0]!.realAt).toBeGreaterThanOrEqual(300);
    expect(standIn.count429()).toBe(0);

    // Creates and edits share the channel's count but not discord.js's queue: some overrun it.
    const results = await Promise.all([
      ...[1, 2, 3].map((n) => channel.send(`send ${n}`)),
      ...[6, 7, 8].map((n) => seed.edit(`edit ${n}`)),
    ]);
    expect(results).toHaveLength(6);
    const limited = standIn.requests.filter((r) => r.status === 429);
    expect(standIn.count429()).toBeGreaterThan(0);
    expect(limited[0]).toMatchObject({
      path: expect.stringContaining(`/channels/${channelId}/messages`) as string,
      responseBody: { global: false },
    });
    expect((limited[0]?.responseBody as { retry_after: number }).retry_after).toBeGreaterThan(0);
    expect(standIn.message(channelId, seed.id)?.content).toBe('edit 8');
    expect(standIn.messages(channelId)).toHaveLength(4);
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

  it('stores multipart uploads with their bytes and serves them', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const channel = textChannel(standIn.defaults.otherChannelId);
    const sent = await channel.send({
      files: [{ attachment: bytes, name: 'grid.png' }],
      embeds: [{ image: { url: 'attachment://grid.png' } }],
    });
    const stored = standIn.message(channel.id, sent.id)!;
    expect(stored.attachments[0]).toMatchObject({
      filename: 'grid.png',
      size: bytes.length,
      content_type: 'image/png',
    });
    expect(stored.attachments[0]?.bytes.equals(bytes)).toBe(true);
    expect(stored.embeds[0]).toMatchObject({ image: { url: stored.attachments[0]?.url } });
    const served = await fetch(stored.attachments[0]!.url);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    expect(standIn.requestsTo('POST', `/channels/${channel.id}/messages`).at(-1)?.files[0]?.filename).toBe('grid.png');
  });

  it('answers 50001 and 50013 when access is revoked, 401 without the token', async () => {
    const channel = textChannel(standIn.defaults.otherChannelId);
    standIn.revokeAccess(channel.id, 'send');
    expect((await apiError(channel.send('nope'))).code).toBe(50013);
    standIn.revokeAccess(channel.id, 'view');
    expect((await apiError(channel.send('nope'))).code).toBe(50001);
    standIn.restoreAccess(channel.id);
    await expect(channel.send('back')).resolves.toBeDefined();
    const anonymous = await fetch(`${standIn.apiBase}/v10/users/@me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: '401: Unauthorized', code: 0 });
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
