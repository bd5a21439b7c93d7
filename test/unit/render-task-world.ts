// What the renderer's tests render: a finished task with fields to override, the member it mentions,
// and the custom_ids a payload's buttons carry.
import { MjTaskSchema, type MjTask } from '../../src/mj/schema.js';
import type { TaskMessagePayload } from '../../src/render/task-message.js';

export const REQUESTER = '123456789012345678';

export const task = (over: Record<string, unknown> = {}): MjTask =>
  MjTaskSchema.parse({
    id: '1730621826053455',
    action: 'IMAGINE',
    status: 'SUCCESS',
    progress: '100%',
    prompt: 'pig --v 6.1',
    ...over,
  });
export const customIds = (p: TaskMessagePayload) =>
  p.components.flatMap((r) => r.components).flatMap((c) => ('custom_id' in c ? [c.custom_id] : []));
