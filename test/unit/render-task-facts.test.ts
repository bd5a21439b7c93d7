// What the server knows of a task, shown as Midjourney words it: bot, version and seed (the fork's
// fields; the speed mode is on the content line, said once), and a video result as its thumbnail with
// an "Open video" link.
import { ButtonStyle } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { MjTaskSchema } from '../../src/mj/schema.js';
import { renderTask } from '../../src/render/task-message.js';

const task = (fields: Record<string, unknown>) =>
  MjTaskSchema.parse({ id: '1730000000000001', status: 'SUCCESS', action: 'IMAGINE', prompt: 'a cat', ...fields });
const modelField = (fields: Record<string, unknown>, opts: { imageAttachmentName?: string } = {}) =>
  renderTask(task(fields), opts).embeds[0]?.fields?.find((f) => f.name === 'Model')?.value;

describe('the Model field', () => {
  it.each([
    [{ botType: 'MID_JOURNEY', version: 'v 7', mode: 'FAST' }, 'Midjourney v 7'],
    [{ botType: 'NIJI_JOURNEY', version: 'niji 6', mode: 'RELAX', seed: '1234' }, 'niji・journey niji 6 · seed 1234'],
    [{ version: 'niji 6', mode: 'turbo' }, 'niji・journey niji 6'],
    [{ seed: 42 }, 'seed 42'],
  ])('%j → %s', (fields, shown) => {
    expect(modelField(fields)).toBe(shown);
  });

  it('says the speed mode once, on the content line', () => {
    const rendered = renderTask(task({ botType: 'MID_JOURNEY', version: 'v 7', mode: 'FAST' }));
    expect(JSON.stringify(rendered).match(/fast/g)).toHaveLength(1);
    expect(rendered.content).toMatch(/ \(fast\)\n-# Task /);
  });

  it('a finished grid with its image attached has no embed, unless the seed is known', () => {
    const grid = { botType: 'MID_JOURNEY', version: 'v 7', mode: 'FAST', imageUrl: 'https://cdn.example/g.png' };
    expect(renderTask(task(grid), { imageAttachmentName: 'g.png' }).embeds).toEqual([]);
    expect(modelField({ ...grid, seed: '77' }, { imageAttachmentName: 'g.png' })).toBe('Midjourney v 7 · seed 77');
    // While it runs (no attachment yet) the model is said once, beside the preview.
    expect(modelField({ ...grid, status: 'IN_PROGRESS', progress: '46%' })).toBe('Midjourney v 7');
  });

  it('is absent when the server says nothing (nzk, new-api), and a seed that is not digits is not shown', () => {
    expect(modelField({})).toBeUndefined();
    expect(modelField({ seed: '<@123>' })).toBeUndefined();
  });
});

describe('a video result', () => {
  it('shows the thumbnail and links the video', () => {
    const rendered = renderTask(
      task({
        action: 'VIDEO',
        imageUrl: 'https://cdn.example/grid.png',
        videoUrl: 'https://cdn.example/v.mp4',
        videoUrls: [{ url: 'https://cdn.example/v.mp4', thumbnail: 'https://cdn.example/thumb.webp' }],
      }),
    );
    expect(rendered.embeds[0]?.image?.url).toBe('https://cdn.example/thumb.webp');
    const link = rendered.components.flatMap((r) => r.components).find((b) => b.style === ButtonStyle.Link);
    expect(link).toMatchObject({ label: 'Open video', url: 'https://cdn.example/v.mp4' });
  });

  it('an image task keeps "Open image"', () => {
    const rendered = renderTask(task({ imageUrl: 'https://cdn.example/grid.png' }));
    const link = rendered.components.flatMap((r) => r.components).find((b) => b.style === ButtonStyle.Link);
    expect(link).toMatchObject({ label: 'Open image', url: 'https://cdn.example/grid.png' });
  });
});
