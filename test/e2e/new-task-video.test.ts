// Video end to end: an upscale's Animate button on the fork (its buttons: Models/CustomComponentModel.cs
// L65-86; SubmitController.cs L668-671 runs them as VIDEO) starts a video task whose result attaches
// the mp4 (the fork's videoUrl, Models/TaskInfo.cs L475, L780-805) when it fits DISCORD_UPLOAD_LIMIT_MB,
// and links it with its thumbnail when it does not; the fork's refusal when its video is off
// (SubmitController.cs L926-928 "视频功能未启用") reaches the member; servers without video show no Animate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import type { DialectName } from '../support/mj/index.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { buttonIdWith, click, customIdsOn, followedFrom, showFinishedTask } from './support-clicks.js';
import { resultFrom } from './support-new-tasks.js';

const MB = 1024 * 1024;

/** The link button a message carries (style 5), if any. */
function linkOf(message: StoredMessage): { label?: string; url?: string } | undefined {
  for (const row of message.components)
    for (const b of (row.components as Array<{ style: number; label?: string; url?: string }>) ?? [])
      if (b.style === 5) return b;
  return undefined;
}

describe.each([
  ['within the upload limit', {}],
  ['over DISCORD_UPLOAD_LIMIT_MB=1', { DISCORD_UPLOAD_LIMIT_MB: '1' }],
] as const)('Animate on the fork, the video %s', (_name, env) => {
  const over = 'DISCORD_UPLOAD_LIMIT_MB' in env;
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect: 'fork', env: { ...GUARDS_OFF, ...env } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the click starts a video task whose result attaches the mp4, or links it with its thumbnail', async () => {
    const upscale = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a koi pond --v 7' });
    const animate = buttonIdWith(h, upscale, '::animate_high::');
    if (over) h.mj.nextTask({ imageBytes: 1.5 * MB });
    const since = h.mj.requests.length;
    const answer = await click(h, upscale, animate);
    expect(answer.text).toMatch(/^✅ Animate \(High motion\) submitted — following it in <#\d+>/);
    expect(
      h.mj.requests
        .slice(since)
        .filter((r) => r.route === 'action')
        .map((r) => r.body),
    ).toMatchObject([{ taskId: upscale.taskId, customId: animate }]);
    const { taskId } = followedFrom(h, answer.text);
    const result = await resultFrom(h, answer.text);
    const served = h.mj.task(taskId) as { videoUrl: string; imageUrl: string };
    expect(result.content.split('\n')[0]).toMatch(/^\*\*a koi pond --v 7\*\* - <@\d+>/);
    // The link opens the video either way.
    expect(linkOf(result)).toEqual(expect.objectContaining({ label: 'Open video', url: served.videoUrl }));
    if (!over) {
      expect(result.attachments.map((a) => [a.filename, a.content_type])).toEqual([[`${taskId}.mp4`, 'video/mp4']]);
      expect(result.attachments[0]!.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
      expect(result.embeds).toEqual([]);
    } else {
      // 1.5 MB does not fit a 1 MB limit: nothing is uploaded, the embed shows the video's thumbnail.
      expect(result.attachments).toEqual([]);
      expect(result.embeds[0]).toMatchObject({ image: { url: served.imageUrl } });
    }
    // The video's own buttons: U1–U4 and Extend (Models/TaskInfo.cs L1110-1168).
    expect(customIdsOn(result).filter((i) => i.includes('video_virtual_upscale'))).toHaveLength(4);
  });

  it.skipIf(over)("the fork's refusal when its video is off reaches the member; nothing is followed", async () => {
    const upscale = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a lantern' });
    h.mj.nextSubmit('action', { code: 4, description: '视频功能未启用' });
    const answer = await click(h, upscale, buttonIdWith(h, upscale, '::animate_low::'));
    expect(answer.text).toBe(
      '⚠️ The Midjourney API refused Animate (Low motion) (the API said: `视频功能未启用`). Nothing was submitted.',
    );
  });
});

describe.each<DialectName>(['nzk', 'newapi'])('no video on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, env: GUARDS_OFF });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('an upscale shows no Animate button (nzk has no buttons; new-api refuses animate_*)', async () => {
    const id = h.mj.createTask({ status: 'SUCCESS', action: 'UPSCALE', prompt: 'a koi pond' });
    if (dialect === 'newapi') h.mj.clock.advance(15_000);
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id } });
    const view = await h.discord.waitFor(
      () => {
        const original = h.discord.interactionResponses(interaction.id).original;
        return original && original.content.includes(id) ? original : null;
      },
      5_000,
      'the /mjtask reply',
    );
    expect(customIdsOn(view).some((i) => i.includes('animate'))).toBe(false);
  });
});
