// Bounded API answers end to end (M3, the answer part): four members show tasks at once whose /fetch
// answers are 15 MiB each (under the old 16 MiB body cap, so today's main read and parsed them whole).
// Each member gets the plain sentence that the API answered with an oversized body (the client stops
// reading at the 1 MiB task cap: test/unit/mj-client-limits.test.ts), and the bot keeps serving.
import { MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { taskIdOf } from '../support/tracking-e2e.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A task answer of about `bytes`: valid JSON, so only its size is wrong. */
function hugeTaskBody(id: string, bytes: number): string {
  return JSON.stringify({ id, status: 'SUCCESS', progress: '100%', prompt: 'x'.repeat(bytes) });
}

async function privateAnswerTo(interactionId: string): Promise<string> {
  return h.discord.waitFor(
    () => {
      const view = h.discord.interactionResponses(interactionId);
      const followUp = view.followUps.find((m) => (m.flags & MessageFlags.Ephemeral) !== 0);
      return followUp?.content || view.original?.content || null;
    },
    10_000,
    `the answer to interaction ${interactionId}`,
  );
}

it('four 15 MiB task answers at once: each member is told the answer was oversized, and the bot keeps serving', async () => {
  const ids = Array.from({ length: 4 }, () => h.mj.createTask({ status: 'SUCCESS' }));
  for (const id of ids)
    h.mj.fault(id, {
      kind: 'status',
      status: 200,
      body: hugeTaskBody(id, 15 * 1024 * 1024),
      contentType: 'application/json',
    });
  const members = ids.map((_, i) => h.discord.addMember({ username: `viewer-${i}` }).id);
  const interactions = ids.map((id, i) =>
    h.discord.slashCommand({ name: 'mjtask', options: { id }, user: members[i]! }),
  );
  const answers = await Promise.all(interactions.map((i) => privateAnswerTo(i.id)));
  for (const answer of answers) expect(answer).toMatch(/oversized body \(over 1 MiB\)/);

  const normal = h.mj.createTask({ status: 'SUCCESS', prompt: 'after the flood' });
  const again = h.discord.slashCommand({ name: 'mjtask', options: { id: normal } });
  await h.discord.waitFor(
    () => taskIdOf(h.discord.interactionResponses(again.id).original ?? undefined) === normal,
    5_000,
    'a normal /mjtask after the oversized answers',
  );
});
