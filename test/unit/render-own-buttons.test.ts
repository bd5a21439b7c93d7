// The bot's own buttons under a task (pure): ✉️ Seed only where the server has /image-seed and the
// task is a finished picture, parsed back through the one custom-id union, never pushing the link or
// the task's own buttons out of Discord's 5 × 5.
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/mj/capabilities.js';
import { MjTaskSchema } from '../../src/mj/schema.js';
import { encodeSeedId, parseComponentId, taskIdOfComponent } from '../../src/render/custom-ids.js';
import { seedButtonFor } from '../../src/render/own-buttons.js';
import { renderTask } from '../../src/render/task-message.js';
import { validateMessagePayload } from '../support/discord-limits.js';

const ID = '1730621826053455';
const task = (json: Record<string, unknown> = {}) =>
  MjTaskSchema.parse({
    id: ID,
    action: 'IMAGINE',
    status: 'SUCCESS',
    prompt: 'a fox',
    imageUrl: 'https://cdn.example/fox.png',
    ...json,
  });

describe('mjseed custom ids', () => {
  it('round-trip and carry the task', () => {
    const id = encodeSeedId(ID);
    expect(id).toBe(`mjseed:${ID}`);
    expect(parseComponentId(id)).toEqual({ kind: 'seed', taskId: ID });
    expect(taskIdOfComponent(parseComponentId(id)!)).toBe(ID);
  });

  it('a malformed one is expired, never a request', () => {
    for (const bad of ['mjseed:', 'mjseed: 1', 'mjseed:../x', `mjseed:${'1'.repeat(65)}`])
      expect(parseComponentId(bad)).toEqual({ kind: 'expired', namespace: 'seed' });
    expect(() => encodeSeedId('a/b')).toThrow();
  });
});

describe('seedButtonFor', () => {
  it('is offered on fork, plus and new-api, not on nzk or an undetected server', () => {
    const on = (d: keyof typeof CAPABILITIES) => seedButtonFor(task(), CAPABILITIES[d]).length;
    expect([on('fork'), on('plus'), on('newapi'), on('nzk'), on('unknown')]).toEqual([1, 1, 1, 0, 0]);
    expect(seedButtonFor(task(), undefined)).toEqual([]);
  });

  it('only under a finished picture', () => {
    const fork = CAPABILITIES.fork;
    expect(seedButtonFor(task({ status: 'IN_PROGRESS' }), fork)).toEqual([]);
    expect(seedButtonFor(task({ imageUrl: null }), fork)).toEqual([]);
    expect(seedButtonFor(task({ action: 'DESCRIBE' }), fork)).toEqual([]);
    expect(seedButtonFor(task({ action: 'shorten' }), fork)).toEqual([]);
    expect(seedButtonFor(task({ action: 'UPSCALE' }), fork)[0]).toMatchObject({
      custom_id: `mjseed:${ID}`,
      label: 'Seed',
      emoji: { name: '✉️' },
    });
  });

  it('joins the link on the last row; a full grid keeps both (the overflow of the task buttons goes)', () => {
    const grid = Array.from({ length: 25 }, (_, i) => ({
      customId: `MJ::JOB::thing_${i}::1::u`,
      label: `B${i}`,
    }));
    const payload = renderTask(task({ buttons: grid }), { capabilities: CAPABILITIES.fork });
    expect(validateMessagePayload(payload)).toEqual([]);
    const last = payload.components.at(-1)!.components;
    expect(last.map((b) => ('custom_id' in b ? b.custom_id : 'url' in b ? b.url : ''))).toEqual([
      `mjseed:${ID}`,
      'https://cdn.example/fox.png',
    ]);
    const few = renderTask(task({ buttons: grid.slice(0, 3) }), { capabilities: CAPABILITIES.fork });
    expect(few.components).toHaveLength(1);
    expect(few.components[0]!.components).toHaveLength(5);
  });
});
