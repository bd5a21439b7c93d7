// The customId a click submitted stays on the task it started, so an upscale shows "Image #N" on a
// server that serves the new task without it (new-api: customId "", properties cut to finalPrompt).
import { describe, expect, it } from 'vitest';
import { MjTaskSchema } from '../../src/mj/schema.js';
import { keepSubmittedCustomId, submittedTask, withSubmittedCustomId } from '../../src/mj/task.js';
import { upscaleIndex } from '../../src/render/task-content.js';

const U3 = 'MJ::JOB::upsample::3::5a1f0c2e-8d7b-4c6a-9e3f-1b2c3d4e5f60';
const served = (extra: Record<string, unknown> = {}) =>
  MjTaskSchema.parse({ id: '1730000000000001', action: 'UPSCALE', status: 'SUCCESS', progress: '100%', ...extra });

describe('the submitted customId', () => {
  it('rides on the new task from the submit through every state the server serves without one', () => {
    const first = withSubmittedCustomId(submittedTask('1730000000000001', 'a fox'), U3);
    const polled = keepSubmittedCustomId(first, served({ customId: '', properties: { finalPrompt: 'a fox' } }));
    expect(polled.properties).toEqual({ finalPrompt: 'a fox', customId: U3 });
    expect(upscaleIndex(polled)).toBe(3);
    expect(keepSubmittedCustomId(polled, polled)).toEqual(polled);
  });

  it("gives way to the server's own customId, and adds nothing where the bot sent none", () => {
    const first = withSubmittedCustomId(submittedTask('1730000000000001', 'a fox'), U3);
    const own = served({ properties: { customId: 'MJ::JOB::upsample::1::x' } });
    expect(keepSubmittedCustomId(first, own)).toBe(own);
    expect(keepSubmittedCustomId(submittedTask('1730000000000001', 'a fox'), served()).properties).toEqual({});
    expect(withSubmittedCustomId(own, U3)).toBe(own);
  });
});
