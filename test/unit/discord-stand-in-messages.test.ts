// The Discord stand-in's channel messages, driven by the real discord.js 14 Client (the test code
// plays the bot): sends, edits and deletes, nonces, the per-route bucket and 429s, uploads, revoked
// access. Interactions: discord-stand-in.test.ts.
import { Routes, type Client } from 'discord.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiscordStandIn } from '../support/discord/index.js';
import { apiError, realDiscordClient, resultRow } from '../support/discord/real-client.js';

const world = realDiscordClient();
const { textChannel } = world;
let standIn: DiscordStandIn;
let client: Client;

describe('Discord stand-in with a real discord.js Client: channel messages', () => {
  beforeAll(() => {
    ({ standIn, client } = world);
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
});
