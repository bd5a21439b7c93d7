// ✉️ Seed on every server: a finished picture shows the bot's own Seed button where the server has
// GET /mj/task/{id}/image-seed (fork, plus, new-api), and a click answers privately with the seed the
// server gave; a server that cannot tell it is quoted; nzk has no such route, so no button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/mj/capabilities.js';
import type { Harness } from '../support/harness.js';
import { DIALECT_NAMES } from '../support/mj/index.js';
import { seedOf } from '../support/mj/dialects/profile.js';
import { startTrackingHarness } from '../support/tracking-e2e.js';
import { answerOf, click, customIdsOn, showFinishedTask, type Shown } from './support-clicks.js';

/** new-api serves its own copy, refreshed every 15 s (Calcium-Ion/new-api controller/midjourney.go L21-30). */
const REFRESH_MS = 15_000;

describe.each(DIALECT_NAMES)('on %s', (dialect) => {
  const offered = CAPABILITIES[dialect].offers.imageSeed;
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, env: { CLICK_POLICY: 'requester' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function shown(seed: Parameters<typeof h.mj.createTask>[0]): Promise<Shown> {
    const id = h.mj.createTask({ status: 'SUCCESS', ...seed });
    if (dialect === 'newapi') h.mj.clock.advance(REFRESH_MS);
    return showFinishedTask(h, { existingId: id });
  }

  it(offered ? 'a finished grid has ✉️ Seed; a click tells its seed privately' : 'shows no Seed button', async () => {
    const grid = await shown({ action: 'IMAGINE', prompt: `a harbour at dawn on ${dialect}` });
    const ids = customIdsOn(h.discord.message(grid.channelId, grid.messageId));
    if (!offered) return expect(ids.filter((i) => i.startsWith('mjseed:'))).toEqual([]);
    expect(ids).toContain(`mjseed:${grid.taskId}`);
    const since = h.mj.requests.length;
    const posted = h.discord.messages(grid.channelId).length;
    // Anyone who sees the message may ask: a seed spends nothing.
    const other = h.discord.addMember({ username: 'onlooker' }).id;
    const answer = await click(h, grid, `mjseed:${grid.taskId}`, other);
    expect(answer.ephemeral).toBe(true);
    const seed = seedOf(grid.taskId);
    expect(answer.text).toBe(
      `🌱 The seed of task \`${grid.taskId}\` is **${seed}**. Add \`--seed ${seed}\` to a prompt to start from the same noise.`,
    );
    const asked = h.mj.requests.slice(since).filter((r) => r.route !== 'list-by-condition');
    expect(asked.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /mj/task/${grid.taskId}/image-seed`]);
    // Nothing was submitted; the only new message is the member's own private answer.
    expect(h.discord.messages(grid.channelId).length - posted).toBe(1);
  });

  // The fork (and new-api, which relays to it) cannot react ✉️ on a task it has no Discord message for
  // (TaskController.cs L132-160: 400 code 4); plus documents no such refusal.
  it.runIf(dialect === 'fork' || dialect === 'newapi')('a seed the server cannot tell is quoted', async () => {
    const raw = {
      id: '1730000000000777',
      action: 'IMAGINE',
      status: 'SUCCESS',
      progress: '100%',
      prompt: 'an old map',
      imageUrl: `${h.mj.baseUrl}/images/1730000000000777.png`,
      buttons: [{ customId: 'MJ::JOB::upsample::1::abc', label: 'U1', emoji: '', type: 2, style: 2 }],
      properties: {},
    };
    const task = await showFinishedTask(h, { raw });
    const answer = await click(h, task, `mjseed:${task.taskId}`);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(
      /^⚠️ The Midjourney API could not tell this task's seed \(the API said: `.+`\)\. Try again in a minute\.$/,
    );
  });

  it.runIf(offered)('a Describe result has no Seed button (it has no picture seed)', async () => {
    const described = await shown({ action: 'DESCRIBE', prompt: 'a cat' });
    expect(customIdsOn(h.discord.message(described.channelId, described.messageId))).not.toContain(
      `mjseed:${described.taskId}`,
    );
  });

  it('a crafted Seed click for a task not on the message is refused without a request', async () => {
    const grid = await shown({ action: 'IMAGINE', prompt: 'a quiet street' });
    const since = h.mj.requests.length;
    const interaction = h.discord.clickButton({
      channelId: grid.channelId,
      messageId: grid.messageId,
      customId: 'mjseed:1730000000009999',
      crafted: true,
    });
    const answer = await answerOf(h, interaction.id);
    expect(answer.text).toBe(
      '⚠️ This button no longer matches any button of the task. Show the task again with /mjtask.',
    );
    expect(h.mj.requests.slice(since).filter((r) => r.route === 'image-seed')).toEqual([]);
  });
});
