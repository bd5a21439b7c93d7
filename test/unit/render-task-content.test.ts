import { describe, expect, it } from 'vitest';
import { MjTaskSchema, type MjTask } from '../../src/mj/schema.js';
import { renderTask, withoutMaskedLinks } from '../../src/render/task-message.js';
import { upscaleIndex } from '../../src/render/task-content.js';
import { promptFromMessage, readTaskIdFromMessage } from '../../src/render/task-message-codec.js';
import { validateMessagePayload } from '../support/discord-limits.js';

const REQUESTER = '123456789012345678';
const task = (over: Record<string, unknown> = {}): MjTask =>
  MjTaskSchema.parse({ id: '1730621826053455', action: 'IMAGINE', status: 'SUCCESS', prompt: 'a red fox', ...over });

describe('the content line, like Midjourney', () => {
  it('names the image of an upscale and the speed mode', () => {
    const upscale = task({ action: 'UPSCALE', mode: 'fast', description: '/up 1730621826053455 U2' });
    const payload = renderTask(upscale, { requesterId: REQUESTER });
    expect(payload.content).toBe(`**a red fox** - Image #2 <@${REQUESTER}> (fast)\n-# Task 1730621826053455`);
    expect(validateMessagePayload(payload)).toEqual([]);
  });

  it('shows progress as (46%) (relax) and the waiting state in words', () => {
    const running = renderTask(task({ status: 'IN_PROGRESS', progress: '46%', mode: 'RELAX' }), {
      requesterId: REQUESTER,
    });
    expect(running.content.split('\n')[0]).toBe(`**a red fox** - <@${REQUESTER}> (46%) (relax)`);
    const waiting = renderTask(task({ status: 'SUBMITTED', mode: 'TURBO' }), { requesterId: REQUESTER });
    expect(waiting.content.split('\n')[0]).toBe(`**a red fox** - <@${REQUESTER}> (Waiting to start) (turbo)`);
  });

  it('finds the upscale index in the properties, the customId, or the description', () => {
    // The fork: SubmitController.cs L520-536 keeps the U's index as properties.action_index.
    expect(upscaleIndex(task({ action: 'UPSCALE', properties: { action_index: 2 }, description: 'U4' }))).toBe(2);
    expect(upscaleIndex(task({ action: 'UPSCALE', properties: { action_index: '3' } }))).toBe(3);
    expect(
      upscaleIndex(task({ action: 'UPSCALE', properties: { remix_u_custom_id: 'MJ::JOB::upsample::1::u' } })),
    ).toBe(1);
    expect(upscaleIndex(task({ action: 'VARIATION', properties: { action_index: 2 } }))).toBeNull();
    expect(upscaleIndex(task({ action: 'UPSCALE', properties: { index: 3 } }))).toBe(3);
    expect(upscaleIndex(task({ action: 'UPSCALE', properties: { customId: 'MJ::JOB::upsample::4::u' } }))).toBe(4);
    expect(upscaleIndex(task({ action: 'UPSCALE', description: 'U1' }))).toBe(1);
    expect(upscaleIndex(task({ action: 'UPSCALE' }))).toBeNull();
    expect(upscaleIndex(task({ action: 'IMAGINE', properties: { index: 3 } }))).toBeNull();
    expect(upscaleIndex(task({ action: 'UPSCALE', properties: { index: 9 } }))).toBeNull();
  });

  it('reads the prompt back from the content, and from an old message embed', () => {
    const payload = renderTask(task({ prompt: 'a *cat* https://x.test/a --ar 2:3' }), { requesterId: REQUESTER });
    expect(promptFromMessage(payload)).toBe('a *cat* https://x.test/a --ar 2:3');
    expect(readTaskIdFromMessage(payload)).toBe('1730621826053455');
    const old = { content: '**x** - <@1> (Done)', embeds: [{ description: 'old \\*prompt\\*' }] };
    expect(promptFromMessage(old)).toBe('old *prompt*');
  });
});

describe('Describe', () => {
  const prompts =
    '1️⃣ a fox in the snow, in the style of [Hiroshi Yoshida](https://goo.gl/search?artist%20Hiroshi%20Yoshida) --ar 3:2\n\n' +
    '2️⃣ winter scene by [Ohara Koson](https://goo.gl/search?artist%20Ohara%20Koson), woodblock --ar 3:2';

  it('shows the prompts in the embed with artist links as plain names', () => {
    const payload = renderTask(task({ action: 'DESCRIBE', prompt: prompts, imageUrl: 'https://x.y/fox.png' }), {
      requesterId: REQUESTER,
    });
    expect(validateMessagePayload(payload)).toEqual([]);
    expect(payload.content).toBe(`**Describe** - <@${REQUESTER}>\n-# Task 1730621826053455`);
    const description = payload.embeds[0]?.description ?? '';
    expect(description).toContain('in the style of Hiroshi Yoshida --ar 3:2');
    expect(description).toContain('winter scene by Ohara Koson, woodblock');
    expect(description).not.toMatch(/goo\.gl|\]\(/);
    expect(payload.embeds[0]?.image?.url).toBe('https://x.y/fox.png');
  });

  it('strips only well-formed masked links', () => {
    expect(withoutMaskedLinks('[A](https://a.b/c) and [B](<https://d.e>)')).toBe('A and B');
    expect(withoutMaskedLinks('[x](javascript:alert(1)) [y] (https://a.b)')).toBe(
      '[x](javascript:alert(1)) [y] (https://a.b)',
    );
  });
});
