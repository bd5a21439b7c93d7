// /mj/submit/action answered through an aggregator (new-api) in front of the proxy, end to end: what
// new-api rejects is explained or answered by the bot itself, and what it rewrites keeps its meaning.
// The direct server's answers are in clicks-submit-codes.test.ts.
import { ButtonStyle } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { FAST_BUCKET, FAST_BUDGET } from '../support/tracking-e2e.js';
import { buttonOn, click, customIdsOn, requestsFor, showFinishedTask } from './support-clicks.js';

describe('an aggregator (new-api) in front of the proxy', () => {
  let agg: Harness;
  beforeAll(async () => {
    agg = await startHarness({
      mj: { flavor: 'aggregator' },
      env: { CLICK_POLICY: 'anyone', CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' },
      discord: { editBucket: FAST_BUCKET },
      channelBudget: FAST_BUDGET,
    });
  });
  afterAll(async () => {
    await agg?.close();
  });

  const uuid = '5b1c9e2a-aaaa-4bbb-8ccc-0ddd1eee2fff';
  it.each([
    ['Animate', `MJ::JOB::animate_high::1::${uuid}::SOLO`, 'Animate (High motion)', '🎞️'],
    ['PicReader', 'MJ::Job::PicReader::2', '', '2️⃣'],
  ])(
    'unknown_action (%s) is explained as unsupported, and nothing is followed',
    async (_name, customId, label, emoji) => {
      const shown = await showFinishedTask(agg, {
        action: 'UPSCALE',
        prompt: 'a moving sea',
        buttons: [{ customId, label, emoji, type: 2, style: 2 }],
      });
      agg.mj.clock.advance(15_000); // new-api shows SUCCESS only after its next refresh
      const answer = await click(agg, shown, customId);
      expect(answer.text).toBe(`🚫 This server cannot run ${label || 'Imagine 2'}. Nothing was submitted.`);
      expect(buttonOn(agg.discord.message(shown.channelId, shown.messageId), customId)?.style).toBe(
        ButtonStyle.Secondary,
      );
    },
  );

  it('❤️ Bookmark is answered by the bot itself (new-api would reject it), with no request', async () => {
    const shown = await showFinishedTask(agg, { action: 'UPSCALE', prompt: 'a favourite' });
    const since = agg.mj.requests.length;
    const answer = await click(
      agg,
      shown,
      customIdsOn(agg.discord.message(shown.channelId, shown.messageId)).find((i) => i.startsWith('MJ::BOOKMARK::'))!,
    );
    expect(answer.text).toMatch(/^❤️ Bookmarking .*Nothing was submitted\.$/);
    expect(requestsFor(agg, since, shown.taskId)).toEqual([]);
  });

  it('code 22 rewritten to 1 keeps its queue position (numberOfQueues survives)', async () => {
    const shown = await showFinishedTask(agg, { prompt: 'a queue behind a gateway' });
    agg.mj.clock.advance(15_000);
    agg.mj.nextSubmit('action', { code: 22, numberOfQueues: 4 });
    const answer = await click(agg, shown, customIdsOn(agg.discord.message(shown.channelId, shown.messageId))[0]!);
    expect(answer.text).toMatch(/^✅ U1 submitted — position 5 in the queue — following it in/);
  });
});
