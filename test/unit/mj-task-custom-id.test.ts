// The customId a click submitted stays on the task it started, so an upscale shows "Image #N" on a
// server that serves the new task without it (new-api: customId "", properties cut to finalPrompt).
import { describe, expect, it } from 'vitest';
import { MjTaskSchema } from '../../src/mj/schema.js';
import { submittedTask, withSubmittedCustomId } from '../../src/mj/task.js';
import { upscaleIndex } from '../../src/render/task-content.js';

const U3 = 'MJ::JOB::upsample::3::5a1f0c2e-8d7b-4c6a-9e3f-1b2c3d4e5f60';
const served = (extra: Record<string, unknown> = {}) =>
  MjTaskSchema.parse({ id: '1730000000000001', action: 'UPSCALE', status: 'SUCCESS', progress: '100%', ...extra });

describe('the submitted customId', () => {
  it('rides on every state the server serves without one', () => {
    const polled = withSubmittedCustomId(served({ customId: '', properties: { finalPrompt: 'a fox' } }), U3);
    expect(polled.properties).toEqual({ finalPrompt: 'a fox', customId: U3 });
    expect(upscaleIndex(polled)).toBe(3);
    expect(withSubmittedCustomId(polled, U3)).toBe(polled);
  });

  it("gives way to the server's own customId, and adds nothing where the bot sent none", () => {
    const own = served({ properties: { customId: 'MJ::JOB::upsample::1::x' } });
    expect(withSubmittedCustomId(own, U3)).toBe(own);
    const plain = submittedTask('1730000000000001', 'a fox');
    expect(withSubmittedCustomId(plain, null)).toBe(plain);
    expect(withSubmittedCustomId(plain, undefined)).toBe(plain);
    expect(withSubmittedCustomId(plain, '')).toBe(plain);
  });
});
