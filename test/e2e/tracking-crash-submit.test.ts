// SIGKILL while a paid submit is out: the API takes (and charges) the task, but the instance that sent
// it dies before the answer, so no process knows the task's id. The click was recorded before the
// request with where it was made, and the submit's signed state names that record; the next process
// finds the task in the server's latest tasks (the fork's GET /mj/task/list, trueai-org/midjourney-proxy
// src/Midjourney.API/Controllers/TaskController.cs L177-182) once no answer can come any more, and its
// result reaches the member's channel once, mentioning them. A second look finds it answered. The task
// was paid for: it counts in the member's daily quota and /mjusage like any other.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killAllBots, spawnBot } from '../support/bot-process.js';
import { startHarness, type Harness } from '../support/harness.js';
import { resultPosts, GUARDS_OFF } from '../support/tracking-e2e.js';

let h: Harness;

/** A command's private answer from a bot process, once it no longer reads "thinking…". */
const replyTo = (interactionId: string) =>
  h.discord.waitFor(
    () => {
      const view = h.discord.interactionResponses(interactionId);
      const immediate = view.callbackData?.content;
      if (typeof immediate === 'string' && immediate !== '') return immediate;
      const original = view.original;
      return original && (original.flags & 128) === 0 && original.content !== '' ? original.content : null;
    },
    15_000,
    `the answer to ${interactionId}`,
  );

beforeAll(async () => {
  // MJ_TIMEOUT_MS 2000 (the harness's): a click is looked for 7 s after it was made.
  h = await startHarness({ startBot: false, dialect: 'fork', env: { ...GUARDS_OFF, MJ_API_DIALECT: 'fork' } });
});
afterAll(async () => {
  await killAllBots();
  await h?.close();
});

it('finds the task of a submit whose instance died waiting for the answer, and posts its result once', async () => {
  const channelId = h.discord.defaults.channelId;
  const first = spawnBot(h.env);
  await first.ready();
  const quota = h.discord.slashCommand({
    name: 'mjsettings quota',
    user: h.discord.defaults.adminUserId,
    options: { member_per_day: 2 },
  });
  expect(await replyTo(quota.id)).toMatch(/^✅ /);
  let answer!: () => void;
  // The API holds the request while the bot dies, then takes the task as if the answer had been sent.
  h.mj.fault('imagine', { kind: 'held', until: new Promise<void>((resolve) => (answer = resolve)) }, 1);
  h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a fox nobody heard of' } });
  await h.discord.waitFor(() => h.mj.countRequests('imagine') === 1, 10_000, 'the submit at the API');
  first.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');
  answer();
  const listed = () => h.mj.countRequests('list');

  const second = spawnBot(h.env);
  await second.ready();
  // Nothing was stored about the task: nothing to resume.
  expect(second.logs().find((l) => l.event === 'bot.ready')).toMatchObject({ resumedTasks: 0 });
  const recovered = await h.discord.waitFor(
    () => second.logs().find((l) => l.event === 'submit.recovered'),
    30_000,
    'the unanswered submit found again',
  );
  expect(recovered).toMatchObject({ outcome: 'followed', channelId });
  h.mj.clock.advance(120_000); // straight to SUCCESS
  await h.discord.waitFor(() => resultPosts(h, channelId).some((r) => r.status < 300), 15_000, 'the result');
  const result = h.discord
    .messages(channelId)
    .find((m) => m.author.id === h.discord.botUser.id && m.content.includes('a fox nobody heard of'));
  expect(result?.content).toContain(`<@${h.discord.defaults.userId}>`);
  // Counted once found: one task started of the member's two today (its held place dropped with it).
  const usage = h.discord.slashCommand({ name: 'mjusage', options: { period: '1' } });
  const used = await replyTo(usage.id);
  expect(used).toContain('**1** started (/imagine 1)');
  expect(used).toContain('Today: **1** of 2 daily tasks used, **1** left');
  // The look was one list request; once found, the click reads as answered and is not looked for again.
  const lists = listed();
  expect(lists).toBeGreaterThanOrEqual(1);
  second.kill('SIGTERM');
  expect(await second.exited).toEqual({ code: 0, signal: null });
  const third = spawnBot(h.env);
  await third.ready();
  third.kill('SIGTERM');
  await third.exited;
  expect(listed()).toBe(lists);
  expect(h.mj.countRequests('imagine')).toBe(1);
  expect(resultPosts(h, channelId).filter((r) => r.status < 300)).toHaveLength(1);
}, 60_000);
