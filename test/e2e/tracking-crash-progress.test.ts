// SIGKILL between Discord's create of a task's first progress message and the bot's store write of its
// id. Progress goes through the member's interaction webhook (POST /webhooks/{application}/{token}),
// which takes no nonce (Discord API, Execute Webhook: no nonce or enforce_nonce among its parameters),
// so a resend cannot be folded into the message Discord already has the way a channel create is; and
// the token lives in memory only, so the next process cannot ask the webhook for it either. The next
// process finds it in the channel's history (GET /channels/{id}/messages?after=<interaction id>: the
// follow-up names its interaction in interaction_metadata) and keeps it as the progress message.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killAllBots, spawnBot } from '../support/bot-process.js';
import type { RecordedRequest } from '../support/discord/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { resultPosts, statusField, taskIdOf } from '../support/tracking-e2e.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ startBot: false, env: { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' } });
});
afterAll(async () => {
  await killAllBots();
  await h?.close();
});

const nonceOf = (r: RecordedRequest) => String((r.body as { nonce?: unknown } | undefined)?.nonce ?? '');

it('kill -9 as Discord creates the progress follow-up: the next process keeps that message, no second one', async () => {
  const first = spawnBot(h.env);
  await first.ready();
  const channelId = h.discord.defaults.channelId;
  h.mj.nextTask({ timeline: { queuedMs: 1_000, runMs: 14_000 } });
  const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a lantern in the fog' } });
  const followUpPath = `/webhooks/${h.discord.applicationId}/${interaction.token}`;
  let followUp: RecordedRequest | undefined;
  const off = h.discord.beforeAnswer((r) => {
    if (r.method !== 'POST' || r.path !== followUpPath) return;
    off();
    followUp = r;
    first.kill('SIGKILL');
  });
  expect((await first.exited).signal).toBe('SIGKILL');
  const orphanId = (followUp?.responseBody as { id?: string } | undefined)?.id;
  expect(orphanId, 'Discord created the follow-up before the kill').toBeDefined();
  const taskId = taskIdOf(h.discord.message(channelId, orphanId!));
  expect(taskId).not.toBeNull();

  await h.startBot();
  // The restarted bot asks the channel's history for what came after the interaction, once.
  const lookups = await h.discord.waitFor(
    () => {
      const asked = h.discord.requestsTo('GET', `/channels/${channelId}/messages`);
      return asked.length > 0 && asked;
    },
    10_000,
    'the look for the follow-up',
  );
  expect(lookups.map((r) => r.query)).toEqual([{ after: interaction.id, limit: '100' }]);
  expect(lookups[0]!.responseBody).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: orphanId, interaction_metadata: expect.anything() })]),
  );
  h.mj.clock.advance(6_000); // running
  // The member sees that follow-up move on: edited through the channel (the token died with the process).
  await h.discord.waitFor(
    () => /%$/.test(statusField(h.discord.message(channelId, orphanId!))),
    10_000,
    'the found follow-up showing the running task',
  );
  const edits = h.discord.requestsTo('PATCH', `/channels/${channelId}/messages/${orphanId}`);
  expect(edits.length).toBeGreaterThan(0);
  h.mj.clock.advance(60_000); // done
  await h.discord.waitFor(() => resultPosts(h, channelId).length > 0, 10_000, 'the result');
  await h.quiesce();

  const shown = h.discord.messages(channelId).filter((m) => taskIdOf(m) === taskId && (m.flags & 64) === 0);
  const [result] = resultPosts(h, channelId);
  // Only the result is left: the follow-up made before the kill served as the progress message.
  expect(shown.map((m) => m.id)).toEqual([(result!.responseBody as { id: string }).id]);
  expect(h.discord.message(channelId, orphanId!)).toBeUndefined();
  const progressCreates = h.discord
    .requestsTo('POST', `/channels/${channelId}/messages`)
    .filter((r) => nonceOf(r).startsWith('p'));
  expect(progressCreates, 'no second progress message').toEqual([]);
  await h.stopBot();
}, 45_000);
