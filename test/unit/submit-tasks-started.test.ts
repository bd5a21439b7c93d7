// How many places in the daily limits a click holds (src/submit/client-imagine.ts tasksStartedBy): as
// many as the tasks it submits. The prompts the bot imagines itself are what its run submits; the
// fork's own 🎉 Imagine all makes a task of each of the Describe's lines 1️⃣–4️⃣ (trueai-org
// TaskService.cs L1817-1876), read from the parent the same way; every other button starts one.
import { describe, expect, it } from 'vitest';
import { parseMjCustomId } from '../../src/mj/custom-id.js';
import type { MjTask } from '../../src/mj/schema.js';
import type { ClientSubmit } from '../../src/submit/client-imagine.js';
import { tasksStartedBy } from '../../src/submit/client-imagine.js';
import type { HandlerDeps } from '../../src/submit/deps.js';
import { PARENT, task } from './submit-fakes.js';

const ALL = parseMjCustomId('MJ::Job::PicReader::all');
const U1 = parseMjCustomId('MJ::JOB::upsample::1::0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0');
const lines = (n: number) =>
  Array.from({ length: n }, (_, i) => `${i + 1}\uFE0F\u20E3 a harbour at dusk, take ${i + 1}`).join('\n\n');
const describeTask = (n: number) => task({ action: 'DESCRIBE', properties: { finalPrompt: lines(n) } });

/** Deps whose only part is the API's fetch of the parent (counted), answering `parent` or failing. */
function depsWith(parent: MjTask | null) {
  const fetched: string[] = [];
  const deps = {
    mj: {
      fetchTask: (id: string) => {
        fetched.push(id);
        return parent ? Promise.resolve(parent) : Promise.reject(new Error('the API is down'));
      },
    },
  } as unknown as HandlerDeps;
  return { deps, fetched };
}

const onClient = (prompts: string[]): ClientSubmit => ({ prompts, run: () => Promise.reject(new Error('not sent')) });

describe('places a click holds', () => {
  it('the bot’s own submits: one per prompt it imagines, without reading the parent again', async () => {
    const { deps, fetched } = depsWith(describeTask(4));
    expect(await tasksStartedBy(deps, PARENT, ALL, onClient(['a', 'b', 'c', 'd']))).toBe(4);
    expect(await tasksStartedBy(deps, PARENT, ALL, onClient(['a', 'b']))).toBe(2);
    expect(fetched).toEqual([]);
  });

  it('the fork’s own Imagine all: the Describe’s lines 1️⃣–4️⃣ as it reads them, all four when the parent cannot be read', async () => {
    expect(await tasksStartedBy(depsWith(describeTask(4)).deps, PARENT, ALL, null)).toBe(4);
    expect(await tasksStartedBy(depsWith(describeTask(3)).deps, PARENT, ALL, null)).toBe(3);
    // A fifth line is no task: the fork's loop stops at four.
    expect(await tasksStartedBy(depsWith(describeTask(5)).deps, PARENT, ALL, null)).toBe(4);
    const down = depsWith(null);
    expect(await tasksStartedBy(down.deps, PARENT, ALL, null)).toBe(4);
    expect(down.fetched).toEqual([PARENT]);
  });

  it('any other button: one, with no request', async () => {
    const { deps, fetched } = depsWith(null);
    expect(await tasksStartedBy(deps, PARENT, U1, null)).toBe(1);
    expect(fetched).toEqual([]);
  });
});
