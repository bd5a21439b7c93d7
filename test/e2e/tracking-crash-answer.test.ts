// SIGKILL between a paid submit and the member's answer: the API has taken (and charged) the task,
// Discord has the member's "started" answer, the bot dies before it posts any progress. The task is
// in the store from before that answer (tracker.prepare), so the next process resumes it and its
// result reaches the channel once, mentioning the member: the money spent is never lost to a crash.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killAllBots, spawnBot } from '../support/bot-process.js';
import { startHarness, type Harness } from '../support/harness.js';
import { resultPosts, taskIdOf } from '../support/tracking-e2e.js';

let h: Harness;

beforeAll(async () => {
  // Progress through the member's interaction (the default): the answer comes before any message.
  h = await startHarness({ startBot: false, env: { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' } });
});
afterAll(async () => {
  await killAllBots();
  await h?.close();
});

it('resumes a task whose instance died right after answering the member, and posts its result once', async () => {
  const first = spawnBot(h.env);
  await first.ready();
  const channelId = h.discord.defaults.channelId;
  const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a paid fox' } });
  const answer = `/webhooks/${h.discord.applicationId}/${interaction.token}/messages/@original`;
  // Killed the moment Discord has the member's answer, before the bot hears back from it.
  const off = h.discord.beforeAnswer((r) => {
    if (r.method === 'PATCH' && r.path === answer) {
      off();
      first.kill('SIGKILL');
    }
  });
  expect((await first.exited).signal).toBe('SIGKILL');
  expect(h.mj.countRequests('imagine')).toBe(1);
  // Nothing but the member's private answer was posted: no progress message anywhere.
  expect(
    h.discord.messages(channelId).filter((m) => m.author.id === h.discord.botUser.id && (m.flags & 64) === 0),
  ).toEqual([]);

  const second = spawnBot(h.env);
  await second.ready();
  expect(second.logs().find((l) => l.event === 'bot.ready')).toMatchObject({ resumedTasks: 1 });
  h.mj.clock.advance(120_000); // straight to SUCCESS
  const result = await h.discord.waitFor(() => resultPosts(h, channelId)[0], 10_000, 'the resumed result');
  // Any progress message the resumed task got is gone once its result is there.
  const publicMessages = () =>
    h.discord.messages(channelId).filter((m) => taskIdOf(m) !== null && (m.flags & 64) === 0);
  const shown = await h.discord.waitFor(() => publicMessages().length === 1 && publicMessages(), 8_000, 'one message');
  expect(shown[0]!.content).toContain('a paid fox');
  expect(shown[0]!.content).toContain(`<@${h.discord.defaults.userId}>`);
  expect(result.status).toBeLessThan(300);
  second.kill('SIGTERM');
  expect(await second.exited).toEqual({ code: 0, signal: null });
  // Exactly one result for the one paid task, posted by the process that resumed it.
  expect(resultPosts(h, channelId).filter((r) => r.status < 300)).toHaveLength(1);
}, 45_000);
