// Typing in /mjtask's id: Discord sends an autocomplete interaction per keystroke, and the bot answers
// (within 3 s, no deferral possible) with the member's own recent tasks from its store — id, status,
// prompt excerpt — newest first, filtered by what was typed. Other members' tasks never show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import { imagine, resultsOf, startTrackingHarness } from '../support/tracking-e2e.js';
import { expectAckInTime } from './support-clicks.js';

const AUTOCOMPLETE_RESULT = 8;

describe('/mjtask id autocomplete', () => {
  let h: Harness;
  let other: string;
  beforeAll(async () => {
    h = await startTrackingHarness();
    other = h.discord.addMember({ username: 'someone-else' }).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  async function suggestions(value: string, user?: string): Promise<Array<{ name: string; value: string }>> {
    const interaction = h.discord.autocomplete({ name: 'mjtask', focused: 'id', value, ...(user ? { user } : {}) });
    const view = await expectAckInTime(h, interaction.id);
    expect(view.callbackType).toBe(AUTOCOMPLETE_RESULT);
    return (view.callbackData?.choices ?? []) as Array<{ name: string; value: string }>;
  }

  it("suggests the member's own tasks, newest first, with status and prompt, and filters by what is typed", async () => {
    const fox = await imagine(h, 'a red fox in fresh snow --ar 3:2');
    const whale = await imagine(h, 'a blue whale under the ice');
    const frog = await imagine(h, 'a green frog on a lily pad', { user: other });

    const mine = await suggestions('');
    expect(mine.map((c) => c.value)).toEqual([whale.taskId, fox.taskId]);
    expect(mine[0]!.name).toMatch(
      new RegExp(`^${whale.taskId} · (Waiting to start|Running \\(\\d+%\\)) · a blue whale under the ice$`),
    );

    expect((await suggestions('FOX')).map((c) => c.value)).toEqual([fox.taskId]);
    expect((await suggestions(whale.taskId.slice(0, 12))).map((c) => c.value)).toContain(whale.taskId);
    expect(await suggestions('nothing like this')).toEqual([]);
    expect((await suggestions('', other)).map((c) => c.value)).toEqual([frog.taskId]);

    // Once finished, the store says so.
    h.mj.clock.advance(60_000);
    await h.discord.waitFor(() => resultsOf(h, fox).length > 0, 5_000, 'the fox result');
    await h.discord.waitFor(() => resultsOf(h, whale).length > 0, 5_000, 'the whale result');
    expect((await suggestions('')).map((c) => c.name)).toEqual([
      `${whale.taskId} · Done · a blue whale under the ice`,
      `${fox.taskId} · Done · a red fox in fresh snow --ar 3:2`,
    ]);
  });

  it('keeps each name within 100 characters and at most 25 choices', async () => {
    const long = `a cathedral of glass ${'with many spires '.repeat(30)}`.trim();
    for (let i = 0; i < 26; i++) await imagine(h, `${long} #${i}`);
    const choices = await suggestions('cathedral');
    expect(choices).toHaveLength(25);
    for (const c of choices) {
      expect([...c.name].length).toBeLessThanOrEqual(100);
      expect(c.name.endsWith('…')).toBe(true);
    }
  });

  it('a suggestion is the id /mjtask then shows', async () => {
    const [first] = await suggestions('fox');
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: first!.value } });
    await expectAckInTime(h, interaction.id);
    const shown = await h.discord.waitFor(
      () => h.discord.interactionResponses(interaction.id).original?.content.includes(first!.value) ?? false,
      5_000,
      '/mjtask of the suggested id',
    );
    expect(shown).toBe(true);
  });
});
