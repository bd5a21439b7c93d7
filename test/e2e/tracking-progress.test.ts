// Automatic updates end to end: a task started with /imagine is followed through the channel
// message the bot owns (edited only when what a member sees changes), then its result arrives as a
// new message that mentions the member, carries the image as a file and the task's buttons, and the
// progress message makes way for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  imagine,
  problems,
  resultPosts,
  resultsOf,
  startTrackingHarness,
  statusField,
} from '../support/tracking-e2e.js';

let h: Harness;

beforeAll(async () => {
  h = await startTrackingHarness({ discord: { maxUploadBytes: 64 * 1024 } });
});
afterAll(async () => {
  await h?.close();
});

/** Moves the MJ clock and waits until the progress message shows `text`. */
async function stepTo(ms: number, channelId: string, progressId: string, text: string) {
  h.mj.clock.advance(ms);
  await h.discord.waitFor(
    () => h.discord.message(channelId, progressId)?.content.includes(text),
    5_000,
    `progress "${text}"`,
  );
}

describe('progress, then the result', () => {
  it('edits the progress message through several states, then posts one result with the image and buttons', async () => {
    const started = await imagine(h, 'a red fox in the snow');
    const { channelId, progressId, taskId } = started;
    const userId = h.discord.defaults.userId;
    expect(started.answer).toMatch(/following it in/);
    const first = h.discord.message(channelId, progressId)!;
    expect(first.content.split('\n')[0]).toBe(`**a red fox in the snow** - <@${userId}> (Waiting to start)`);
    // Progress pings nobody: silent flag and no allowed mention.
    expect(first.flags & (1 << 12)).not.toBe(0);
    // A follow-up of the member's /imagine, created through its webhook (not counted against the global limit).
    const created = h.discord
      .requestsTo('POST', `/webhooks/${h.discord.applicationId}/${started.token}`)
      .find((r) => r.responseBody && (r.responseBody as { id?: string }).id === progressId);
    expect(created?.body).toMatchObject({ allowed_mentions: { parse: [], users: [] }, flags: 1 << 12 });

    await stepTo(4_000, channelId, progressId, '(15%)');
    await stepTo(4_000, channelId, progressId, '(46%)');
    await stepTo(4_000, channelId, progressId, '(78%)');
    // Nothing changes for a member while the task stays at 78%: no edit.
    const editsAt78 = h.discord.requestsTo('PATCH', new RegExp(`/messages/${progressId}$`)).length;
    const pollsSoFar = h.mj.requests.filter((r) => JSON.stringify(r.body ?? r.path).includes(taskId)).length;
    await h.discord.waitFor(
      () => h.mj.requests.filter((r) => JSON.stringify(r.body ?? r.path).includes(taskId)).length >= pollsSoFar + 3,
      5_000,
      'three more polls at 78%',
    );
    await h.quiesce();
    expect(h.discord.requestsTo('PATCH', new RegExp(`/messages/${progressId}$`))).toHaveLength(editsAt78);

    h.mj.clock.advance(10_000); // SUCCESS
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result message');
    await h.discord.waitFor(
      () => h.discord.message(channelId, progressId) === undefined,
      5_000,
      'the progress message to be deleted',
    );

    // Each edit changed what a member sees (no identical edits); the states in order:
    const history = h.discord.messageHistory(progressId);
    const looks = history.map((m) => JSON.stringify([m.content, m.embeds, m.components]));
    looks.slice(1).forEach((look, i) => expect(look).not.toBe(looks[i]));
    const states = history.map((m) => statusField(m)).filter((s, i, all) => s !== all[i - 1]);
    expect(states).toEqual(['Waiting to start', '15%', '46%', '78%']);
    // Said once, in the content line: no status field or progress bar beside it.
    expect(JSON.stringify(h.discord.messageHistory(progressId).at(-1)?.embeds)).not.toMatch(/Status|▰|78%/);

    // The result: a new message that mentions (and only pings) the requester.
    expect(result.content).toMatch(/\n-# Task \d+$/);
    expect(result.content.split('\n')[0]).toBe(`**a red fox in the snow** - <@${userId}>`);
    expect(result.flags & (1 << 12)).toBe(0);
    const [post] = resultPosts(h, channelId);
    expect(post?.body).toMatchObject({ allowed_mentions: { parse: [], users: [userId] }, enforce_nonce: true });
    // The image, downloaded once from the API, is attached and shown on its own, full size (no embed).
    expect(result.attachments).toHaveLength(1);
    expect(result.attachments[0]).toMatchObject({ content_type: 'image/png' });
    expect(result.embeds).toEqual([]);
    expect(h.mj.requests.filter((r) => r.route === 'images' && r.path.endsWith(`/images/${taskId}.png`))).toHaveLength(
      1,
    );
    // The task's buttons, as Discord buttons.
    const customIds = result.components
      .flatMap((row) => (row.components as Array<{ custom_id?: string }>).map((b) => b.custom_id))
      .filter(Boolean);
    expect(customIds.length).toBeGreaterThanOrEqual(9); // U1–U4, 🔄, V1–V4
    expect(customIds.every((id) => id?.startsWith('MJ::'))).toBe(true);

    // Following stops: no further polls of this task, no second result.
    const polls = h.mj.requests.filter((r) => JSON.stringify(r.body ?? r.path).includes(taskId)).length;
    h.mj.clock.advance(30_000);
    expect((await h.bot.context.store.tracked.get(taskId))?.phase).toBe('done');
    await h.quiesce();
    expect(h.mj.requests.filter((r) => JSON.stringify(r.body ?? r.path).includes(taskId)).length).toBe(polls);
    expect(resultsOf(h, started)).toHaveLength(1);
    await expect
      .poll(async () => await h.bot.context.store.tracked.get(taskId))
      .toMatchObject({ phase: 'done', messageId: null, resultMessageId: result.id });
    expect(h.bot.context.tracking.runningCountFor(userId)).toBe(0);
  });

  it('links the image instead when Discord refuses the file (too large), still one result', async () => {
    h.mj.nextTask({ imageBytes: 200 * 1024 }); // above this stand-in's 64 KiB upload limit
    const started = await imagine(h, 'a very detailed map');
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result message');
    await h.discord.waitFor(
      () => h.discord.message(started.channelId, started.progressId) === undefined,
      5_000,
      'the progress message to be deleted',
    );
    expect(result.attachments).toHaveLength(0);
    const imageUrl = (result.embeds[0] as { image?: { url?: string } }).image?.url ?? '';
    expect(imageUrl).toBe(`${h.mj.baseUrl}/images/${started.taskId}.png`);
    // Refused once with the file (413), then sent with the link; both under the same nonce.
    const posts = resultPosts(h, started.channelId).filter((r) =>
      JSON.stringify(r.body).includes(`Task ${started.taskId}`),
    );
    expect(posts.map((r) => r.status)).toEqual([413, 200]);
    expect(h.mj.requests.filter((r) => r.path.endsWith(`/images/${started.taskId}.png`))).toHaveLength(1);
    expect(resultsOf(h, started)).toHaveLength(1);
  });

  it('links the image when it cannot be downloaded', async () => {
    const started = await imagine(h, 'an offline image');
    h.mj.fault('images', { kind: 'status', status: 502 }, 5);
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result message');
    h.mj.clearFaults();
    expect(result.attachments).toHaveLength(0);
    expect((result.embeds[0] as { image?: { url?: string } }).image?.url).toBe(
      `${h.mj.baseUrl}/images/${started.taskId}.png`,
    );
    expect(statusField(result)).toBe('');
  });

  it('leaves no warnings in the log and no stand-in errors', () => {
    expect(h.discord.serverErrors).toEqual([]);
    expect(h.discord.count429()).toBe(0);
    // The refused upload (413) is expected to be logged; nothing else.
    expect(problems(h).filter((l) => !l.includes('refused'))).toEqual([]);
  });
});
