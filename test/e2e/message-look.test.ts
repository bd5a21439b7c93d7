// What a member sees of a task, message by message, like Midjourney's own bot (the trueai-org fork,
// which says the most: speed mode and model): the progress line with (46%) (fast) and the preview, the
// finished grid as its picture alone under the line, an upscale naming "Image #N", the buttons in
// Midjourney's rows with the link beside them, and the task id on one small `-# Task` line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { startHarness } from '../support/harness.js';
import { PROMPT, progressAt46, resultOf, SCENE_HARNESS, upscale } from '../support/scenes.js';
import { fieldOf } from '../support/tracking-e2e.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(SCENE_HARNESS);
});
afterAll(async () => {
  await h?.close();
});

const member = () => `<@${h.discord.defaults.userId}>`;
const escaped = PROMPT.replace(/[\\*_~`|<>#[\]]/g, '\\$&');

/** Each row's buttons as a member reads them: label, else emoji; a link marked ↗. */
const rowsOf = (m: StoredMessage) =>
  m.components.map((row) =>
    (row.components as Array<{ label?: string; emoji?: { name?: string }; style: number }>).map(
      (b) => (b.label ?? b.emoji?.name ?? '') + (b.style === 5 ? ' ↗' : ''),
    ),
  );

describe('the look of a task', () => {
  let grid: StoredMessage;

  it('while it runs: the line with (46%) (fast), the preview, the model said once', async () => {
    const { progress, taskId } = await progressAt46(h);
    expect(progress.content).toBe(`**${escaped}** - ${member()} (46%) (fast)\n-# Task ${taskId}`);
    expect(fieldOf(progress, 'Model')).toBe('Midjourney v 7');
    expect((progress.embeds[0] as { image?: { url?: string } }).image?.url).toMatch(/\/preview_46\.webp$/);
    expect(progress.attachments).toEqual([]);
    expect(progress.components).toEqual([]);

    grid = await resultOf(h, await progressAt46(h));
  });

  it('finished: the line, the picture attached full size and nothing under it but the buttons', () => {
    expect(grid.content).toMatch(new RegExp(`^\\*\\*.+\\*\\* - ${member()} \\(fast\\)\\n-# Task \\d+$`));
    expect(grid.embeds).toEqual([]);
    expect(grid.attachments).toHaveLength(1);
    expect(grid.attachments[0]).toMatchObject({ content_type: 'image/png' });
    expect(rowsOf(grid)).toEqual([
      ['U1', 'U2', 'U3', 'U4', '🔄'],
      ['V1', 'V2', 'V3', 'V4'],
      // The fork offers /image-seed: the bot's own ✉️ Seed sits with the link on a last row.
      ['Seed', 'Open image ↗'],
    ]);
  });

  it('an upscale names its image: Image #2', async () => {
    const upscaled = await upscale(h, grid, 2);
    expect(upscaled.content).toMatch(new RegExp(`^\\*\\*.+\\*\\* - Image #2 ${member()} \\(fast\\)\\n-# Task \\d+$`));
    expect(upscaled.embeds).toEqual([]);
    expect(upscaled.attachments).toHaveLength(1);
    expect(rowsOf(upscaled).at(-1)?.at(-1)).toBe('Open image ↗');
  });
});
