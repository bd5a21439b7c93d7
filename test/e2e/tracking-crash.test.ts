// SIGKILL end to end: the bot runs as a real child process (`node --import tsx src/main.ts`, config
// from the environment) against stand-ins in this process, and is killed at the worst moments: as
// Discord creates a progress message, mid progress as Discord creates a result, as Discord deletes
// a progress message. Each restart resumes from SQLite; in the end every task has EXACTLY one
// result (none lost, none duplicated) and no progress message is left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { killAllBots, spawnBot, type BotProcess } from '../support/bot-process.js';
import type { RecordedRequest } from '../support/discord/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import { resultsOf, statusField, taskIdOf } from '../support/tracking-e2e.js';

let h: Harness;
const bots: BotProcess[] = [];

beforeAll(async () => {
  // The nonces of the channel routes make a crash harmless (a restart forgets interaction tokens and
  // edits through the channel); progress through the interaction webhook: tracking-followup.test.ts.
  h = await startHarness({
    startBot: false,
    env: { CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0', PROGRESS_THROUGH_INTERACTION: 'false' },
  });
});
afterAll(async () => {
  await killAllBots();
  await h?.close();
});

async function startBot(): Promise<BotProcess> {
  const bot = spawnBot(h.env);
  bots.push(bot);
  await bot.ready();
  return bot;
}

/** SIGKILLs `bot` the moment Discord has handled a request matching `when`, before the bot hears the answer. */
function killWhen(bot: BotProcess, when: (r: RecordedRequest) => boolean): Promise<void> {
  const off = h.discord.beforeAnswer((request) => {
    if (!when(request)) return;
    off();
    bot.kill('SIGKILL');
  });
  return bot.exited.then(({ signal }) => {
    off();
    expect(signal).toBe('SIGKILL');
  });
}

const nonceOf = (r: RecordedRequest) => String((r.body as { nonce?: unknown } | undefined)?.nonce ?? '');
const posts = (channelId: string, kind: 'p' | 'r') =>
  h.discord.requestsTo('POST', `/channels/${channelId}/messages`).filter((r) => nonceOf(r).startsWith(kind));
const botMessages = (channelId: string) =>
  h.discord.messages(channelId).filter((m) => m.author.id === h.discord.botUser.id && (m.flags & 64) === 0);

async function channel(name: string): Promise<string> {
  return h.discord.addChannel({ name });
}

/** /imagine in `channelId` and wait for the member's answer (the task is followed and shown). */
async function imagineIn(channelId: string, prompt: string) {
  const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt }, channelId });
  await h.discord.waitFor(
    () => h.discord.interactionResponses(interaction.id).original?.content.startsWith('✅'),
    8_000,
    `the answer to ${prompt}`,
  );
  const progress = botMessages(channelId)[0]!;
  return { channelId, progressId: progress.id, taskId: taskIdOf(progress)! };
}

describe('kill -9 at the worst moments, then restart', () => {
  it('ends every task with exactly one result, none lost, none duplicated', async () => {
    const [chA, chB, chC] = await Promise.all([channel('crash-a'), channel('crash-b'), channel('crash-c')]);

    // Process 1: B and C are followed; killed as Discord creates A's progress message.
    const p1 = await startBot();
    const b = await imagineIn(chB, 'task B');
    h.mj.nextTask({ timeline: { queuedMs: 1_000, runMs: 4_000 } });
    const c = await imagineIn(chC, 'task C');
    const killed1 = killWhen(
      p1,
      (r) => r.method === 'POST' && r.path === `/channels/${chA}/messages` && nonceOf(r).startsWith('p'),
    );
    h.discord.slashCommand({ name: 'imagine', options: { prompt: 'task A' }, channelId: chA });
    await killed1;
    const progressA = botMessages(chA)[0]!;
    const a = { channelId: chA, progressId: progressA.id, taskId: taskIdOf(progressA)! };
    expect(botMessages(chA)).toHaveLength(1);

    // Process 2: resumes all three (A's message is found again by its nonce); A and B move on, and
    // it is killed mid progress, as Discord creates C's result.
    const p2 = await startBot();
    await h.discord.waitFor(() => posts(chA, 'p').length === 2, 5_000, "A's progress message to be recovered");
    h.mj.clock.advance(4_000); // A and B at 15%, C running
    for (const t of [a, b]) {
      await h.discord.waitFor(
        () => h.discord.message(t.channelId, t.progressId)?.content.split('\n')[0]?.endsWith('(15%)'),
        5_000,
        `15% on ${t.taskId}`,
      );
    }
    const killed2 = killWhen(
      p2,
      (r) => r.method === 'POST' && r.path === `/channels/${chC}/messages` && nonceOf(r).startsWith('r'),
    );
    h.mj.clock.advance(2_000); // C succeeds, A and B at 31%
    await killed2;
    expect(resultsOf(h, c)).toHaveLength(1);

    // Process 3: re-sends C's result (same nonce: the same message comes back), then A and B finish;
    // killed as Discord deletes B's progress message.
    const p3 = await startBot();
    await h.discord.waitFor(
      () => h.discord.message(chC, c.progressId) === undefined,
      8_000,
      "C's progress message to be deleted",
    );
    const killed3 = killWhen(
      p3,
      (r) => r.method === 'DELETE' && r.path === `/channels/${chB}/messages/${b.progressId}`,
    );
    h.mj.clock.advance(12_000);
    await killed3;

    // Process 4: finishes whatever is left, then stops gracefully.
    const p4 = await startBot();
    for (const t of [a, b, c]) {
      await h.discord.waitFor(
        () => resultsOf(h, t).length >= 1 && h.discord.message(t.channelId, t.progressId) === undefined,
        8_000,
        `the end of ${t.taskId}`,
      );
    }
    p4.kill('SIGTERM');
    expect(await p4.exited).toEqual({ code: 0, signal: null });

    for (const t of [a, b, c]) {
      const shown = botMessages(t.channelId);
      expect(shown, `messages of ${t.taskId}`).toHaveLength(1); // the result, and nothing else
      expect(taskIdOf(shown[0])).toBe(t.taskId);
      expect(statusField(shown[0])).toBe('');
      expect(shown[0]!.attachments).toHaveLength(1);
      // Every result POST of the task, across processes, named the same message.
      const resultIds = new Set(
        posts(t.channelId, 'r')
          .filter((r) => r.status === 200)
          .map((r) => (r.responseBody as { id: string }).id),
      );
      expect(resultIds).toEqual(new Set([shown[0]!.id]));
      const progressIds = new Set(
        posts(t.channelId, 'p')
          .filter((r) => r.status === 200)
          .map((r) => (r.responseBody as { id: string }).id),
      );
      expect(progressIds).toEqual(new Set([t.progressId]));
    }
    expect(posts(chC, 'r').length).toBeGreaterThanOrEqual(2); // sent before the kill, and again after

    const store = openStore(h.env.DATABASE_PATH!);
    try {
      for (const t of [a, b, c])
        expect(await store.tracked.get(t.taskId)).toMatchObject({ phase: 'done', messageId: null });
      expect(await store.tracked.countByPhase()).toMatchObject({ active: 0, done: 3 });
    } finally {
      await store.close();
    }
    for (const bot of bots) expect(bot.logs().filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);
    // Four real processes started one after another: on a loaded 2-core machine that alone can pass 20 s.
  }, 60_000);
});
