// A click on every Midjourney button family, end to end: the real bot reads the MJ customId from the
// custom_id and the task id from the message, acknowledges within 3 s, calls /mj/submit/action
// {taskId, customId, state}, answers privately with a link, follows the new task in a message that
// mentions the clicker, and marks the clicked button as used on the source message.
import { ButtonStyle, InteractionResponseType } from 'discord-api-types/v10';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import type { MjButtonJson } from '../support/mj/index.js';
import { FAST_BUCKET, FAST_BUDGET } from '../support/tracking-e2e.js';
import {
  actionBodies,
  buttonOn,
  click,
  customIdsOn,
  everythingSaid,
  followedFrom,
  requestsFor,
  showFinishedTask,
  type Shown,
  sentState,
} from './support-clicks.js';
import { clickForModal } from './support-forms.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/mj');
const FIXTURES_WITH_BUTTONS = [
  'fetch-imagine-success-dmxapi-aggregator.json',
  'fetch-imagine-success-seed-example.json',
  'fetch-imagine-success-v6.1-newapi-shape-key4u.json',
].map((file) => ({
  file,
  json: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as Record<string, unknown> & { buttons: MjButtonJson[] },
}));

let h: Harness;
let nextId = 1_790_000_000_000_000;
const freshId = () => String(nextId++);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

beforeAll(async () => {
  h = await startHarness({
    env: { CLICK_POLICY: 'anyone', CLICKS_PER_MINUTE: '0', MAX_RUNNING_TASKS_PER_MEMBER: '0' },
    discord: { editBucket: FAST_BUCKET },
    channelBudget: FAST_BUDGET,
  });
});
afterAll(async () => {
  await h?.close();
});

/**
 * Clicks `customId` on `shown` as `user` and checks the whole accepted path: one action submit with
 * the message's task id and this customId, the private "submitted" answer naming `label`, and a
 * progress message for the new task that mentions the clicker.
 */
async function expectClickSubmits(
  shown: Shown,
  customId: string,
  label: string,
  user = h.discord.defaults.userId,
  submitted = customId,
) {
  const since = h.mj.requests.length;
  const answer = await click(h, shown, customId, user);
  expect(answer.view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource); // deferred before any request
  expect(answer.ephemeral).toBe(true);
  expect(answer.text).toMatch(
    new RegExp(`^✅ ${escapeRe(label)} submitted — following it in <#\\d+>: https://discord\\.com/channels/`),
  );
  expect(actionBodies(h, since)).toEqual([{ taskId: shown.taskId, customId: submitted, state: sentState(h, user) }]);
  const followed = followedFrom(h, answer.text);
  expect(followed.taskId).not.toBe(shown.taskId);
  expect(followed.message.content).toContain(`<@${user}>`);
  return followed;
}

describe('grid buttons from every fixture', () => {
  it.each(FIXTURES_WITH_BUTTONS)('$file: U1–U4, 🔄 and V1–V4 each submit their customId', async ({ json }) => {
    const shown = await showFinishedTask(h, { raw: { ...json, id: freshId() } });
    const source = () => h.discord.message(shown.channelId, shown.messageId);
    expect(customIdsOn(source())).toEqual(json.buttons.map((b) => b.customId));
    for (const button of json.buttons) {
      const label = button.label !== '' ? button.label : 'Re-roll'; // 🔄 has no label: the catalog names it
      await expectClickSubmits(shown, button.customId, label);
      // Marked as used (blue) on the source message, as Midjourney does.
      await h.discord.waitFor(
        () => buttonOn(source(), button.customId)?.style === ButtonStyle.Primary,
        2_000,
        `${label} marked used`,
      );
    }
    expect(customIdsOn(source()).every((id) => buttonOn(source(), id)?.style === ButtonStyle.Primary)).toBe(true);
  });
});

describe('the upscaled-image buttons', () => {
  const SUBMITTING = [
    ['upsample_v6r1_2x_subtle', 'Upscale (Subtle)'],
    ['upsample_v6r1_2x_creative', 'Upscale (Creative)'],
    ['low_variation', 'Vary (Subtle)'],
    ['high_variation', 'Vary (Strong)'],
    ['Outpaint::50', 'Zoom Out 2x'],
    ['Outpaint::75', 'Zoom Out 1.5x'],
    ['pan_left', 'Pan Left'],
    ['pan_right', 'Pan Right'],
    ['pan_up', 'Pan Up'],
    ['pan_down', 'Pan Down'],
  ] as const;
  let shown: Shown;
  let ids: string[];

  beforeAll(async () => {
    shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a lighthouse at dusk --ar 3:2 --v 6.1' });
    ids = customIdsOn(h.discord.message(shown.channelId, shown.messageId));
  });
  const idOf = (fragment: string) => {
    const id = ids.find((i) => i.includes(`::${fragment}::`));
    if (!id) throw new Error(`no ${fragment} button on the upscale message`);
    return id;
  };

  it.each(SUBMITTING)('%s (%s) submits its customId and follows the new task', async (fragment, label) => {
    await expectClickSubmits(shown, idOf(fragment), label);
  });

  it('Custom Zoom answers with the form first, prefilled with the prompt and a --zoom hint', async () => {
    const since = h.mj.requests.length;
    const form = await clickForModal(h, shown, ids.find((i) => i.startsWith('MJ::CustomZoom::'))!);
    expect(form.title).toBe('Custom Zoom');
    expect(form.prefill).toBe('a lighthouse at dusk --ar 3:2 --v 6.1 --zoom 2');
    expect(form.hint).toMatch(/--zoom between 1 and 2/);
    expect(requestsFor(h, since, shown.taskId)).toEqual([]); // nothing is asked (or paid) before the form is filled
  });

  it('Vary (Region) explains privately that it cannot run, and submits nothing', async () => {
    const since = h.mj.requests.length;
    const answer = await click(h, shown, ids.find((i) => i.startsWith('MJ::Inpaint::'))!);
    expect(answer.view.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/Vary \(Region\) needs Midjourney's mask editor.*Nothing was submitted/);
    expect(requestsFor(h, since, shown.taskId)).toEqual([]);
  });

  it('❤️ Bookmark says it cannot be done here, and submits nothing', async () => {
    const since = h.mj.requests.length;
    const answer = await click(h, shown, ids.find((i) => i.startsWith('MJ::BOOKMARK::'))!);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/Bookmarking .* this bot cannot do it\. Nothing was submitted/);
    expect(requestsFor(h, since, shown.taskId)).toEqual([]);
  });
});

describe('catalog buttons the fixtures do not carry', () => {
  const uuid = '7f3e2a10-1111-4222-8333-944455556666';
  const button = (customId: string, label: string, emoji = ''): MjButtonJson => ({
    customId,
    label,
    emoji,
    type: 2,
    style: 2,
  });
  const EXTRA = [
    button(`MJ::JOB::upsample_v5_2x::1::${uuid}::SOLO`, 'Upscale (2x)', 'upscale_1'),
    button(`MJ::JOB::upsample_v7_2x_subtle::1::${uuid}::SOLO`, 'Upscale (Subtle)', 'upscale_1'),
    button(`MJ::JOB::animate_high::1::${uuid}::SOLO`, 'Animate (High motion)', '🎞️'),
    button(`MJ::JOB::video_virtual_upscale::2::${uuid}`, 'U2'),
    button('MJ::Picread::Retry', '', '🔄'),
  ];

  it.each(EXTRA.map((b) => [b.label || 'Retry', b] as const))('%s submits its customId', async (label, b) => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a quiet harbour', buttons: EXTRA });
    await expectClickSubmits(shown, b.customId, label);
  });

  it('a customId longer than 100 characters travels as a short key and is resolved from the task', async () => {
    const long = `MJ::JOB::upsample_v9_2x_ultra_detailed_experimental::1::${uuid}::SOLO::${'x'.repeat(40)}`;
    expect(long.length).toBeGreaterThan(100);
    const shown = await showFinishedTask(h, {
      action: 'UPSCALE',
      prompt: 'a long id',
      buttons: [button(long, 'Upscale (Ultra)')],
    });
    const [key] = customIdsOn(h.discord.message(shown.channelId, shown.messageId));
    expect(key).toMatch(/^mjk:[0-9a-f]{16}$/);
    await expectClickSubmits(shown, key!, 'Upscale (Ultra)', h.discord.defaults.userId, long);
  });
});

describe('after a restart with an empty store', () => {
  it('a click on a message posted before still runs: the task id comes from the message', async () => {
    const shown = await showFinishedTask(h, { prompt: 'before the restart' });
    await h.stopBot();
    // A fresh database: nothing about the task, the message or earlier clicks survives.
    h.env.DATABASE_PATH = join(h.env.DATABASE_PATH!, '..', `fresh-${Date.now()}.sqlite`);
    await h.startBot();
    expect(await h.bot.context.store.tracked.get(shown.taskId)).toBeFalsy();
    const u3 = customIdsOn(h.discord.message(shown.channelId, shown.messageId)).find((i) =>
      i.includes('::upsample::3::'),
    )!;
    await expectClickSubmits(shown, u3, 'U3');
  });
});

describe('the new task', () => {
  it('is followed to its result, which mentions the member who clicked (not the requester)', async () => {
    const shown = await showFinishedTask(h, { prompt: 'a fox in the snow' }); // requested by the default member
    const clicker = h.discord.addMember({ username: 'clicker' }).id;
    const v2 = customIdsOn(h.discord.message(shown.channelId, shown.messageId)).find((i) =>
      i.includes('::variation::2::'),
    )!;
    const progress = await expectClickSubmits(shown, v2, 'V2', clicker);
    expect(progress.message.content.split('\n')[0]).toBe(`**a fox in the snow** - <@${clicker}> (Waiting to start)`);
    h.mj.clock.advance(6_000);
    await h.discord.waitFor(
      () => /\(\d+%\)$/m.test(h.discord.message(progress.channelId, progress.messageId)?.content ?? ''),
      5_000,
      'progress',
    );
    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(
      () =>
        h.discord.messages(progress.channelId).find(
          (m) =>
            m.id !== progress.messageId &&
            // A result shows no state, like Midjourney; the task id is its last line.
            !/\(Waiting to start\)|\(\d+%\)/.test(m.content) &&
            m.content.endsWith(`\n-# Task ${progress.taskId}`),
        ),
      5_000,
      'the result message',
    );
    expect(result.content).toMatch(/\n-# Task \d+$/);
    expect(result.content.split('\n')[0]).toBe(`**a fox in the snow** - <@${clicker}>`);
    // The mention pings the clicker only (the stand-in does not fill `mentions`; the request says it).
    const post = h.discord
      .requestsTo('POST', `/channels/${progress.channelId}/messages`)
      .find((r) => (r.responseBody as { id?: string }).id === result.id);
    expect((post?.body as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ parse: [], users: [clicker] });
    expect(customIdsOn(result)).toHaveLength(9); // a variation gives a new grid to click on
    await h.discord.waitFor(
      () => h.discord.message(progress.channelId, progress.messageId) === undefined,
      5_000,
      'progress message removed',
    );
  });

  it('never shows the API key or the bot token anywhere', () => {
    expect(everythingSaid(h)).not.toContain(h.mj.apiKey);
    expect(everythingSaid(h)).not.toContain(h.discord.token);
    expect(h.discord.serverErrors).toEqual([]);
  });
});
