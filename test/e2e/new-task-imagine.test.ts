// /imagine with image prompts, speed and model, end to end: images attached as a Discord client
// attaches them (uploaded to the CDN, named in data.resolved.attachments), checked from their metadata
// before any download, downloaded from the CDN and sent as data URLs in base64Array; speed and model
// sent where the server takes them and refused with a sentence where it does not. Nothing that is
// refused reaches the Midjourney API.
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchedInteraction } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { followedFrom, sentState } from './support-clicks.js';
import { bodiesOf, dataUrlOf, jpeg, png, resultFrom, runCommand, submitsSince } from './support-new-tasks.js';

const ENV = { ...GUARDS_OFF, ATTACHMENT_MAX_MB: '1' };

describe('/imagine with images on the trueai-org fork', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect: 'fork', env: ENV });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('downloads the attachments, sends them as image prompts with speed and model, and follows the task', async () => {
    const member = h.discord.addMember({ username: 'painter' }).id;
    const first = png('fox.png');
    const second = jpeg('snow.jpg');
    const since = h.mj.requests.length;
    const answer = await runCommand(
      h,
      'imagine',
      { prompt: 'a red fox in the snow', image1: first, image2: second, speed: 'relax', model: 'niji' },
      member,
    );
    expect(answer.view.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(answer.text).toMatch(/^✅ \/imagine submitted — following it in <#\d+>/);
    expect(bodiesOf(h, 'imagine', since)).toEqual([
      {
        prompt: 'a red fox in the snow',
        base64Array: [dataUrlOf(first, 'image/png'), dataUrlOf(second, 'image/jpeg')],
        botType: 'NIJI_JOURNEY',
        accountFilter: { modes: ['RELAX'] },
        state: sentState(h, member),
      },
    ]);
    const progress = followedFrom(h, answer.text);
    expect(progress.message.content.split('\n')[0]).toMatch(`**a red fox in the snow** - <@${member}>`);
    const result = await resultFrom(h, answer.text);
    // The fork records the speed it was asked for (Models/TaskInfo.cs L430): the result says it.
    expect(result.content.split('\n')[0]).toBe(`**a red fox in the snow** - <@${member}> (relax)`);
  });

  it('a file that is no image is refused at once, before any download or submit', async () => {
    const since = h.mj.requests.length;
    const text = { filename: 'notes.txt', bytes: Buffer.from('just words') };
    const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a fox', image1: text } });
    const answer = await h.discord.waitForResponse(interaction.id);
    expect(answer.callbackType).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.original?.content).toBe(
      '⚠️ `notes.txt` (`image1`) is `text/plain`; Midjourney takes PNG, JPEG, WebP or GIF images. Nothing was submitted.',
    );
    expect(downloadsOf(h, interaction)).toEqual([0]);
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('an image larger than ATTACHMENT_MAX_MB is refused from its size, before any download', async () => {
    const since = h.mj.requests.length;
    const big = png('huge.png', 2 * 1024 * 1024);
    const interaction = h.discord.slashCommand({
      name: 'imagine',
      options: { prompt: 'a fox', image1: png('ok.png'), image2: big },
    });
    const answer = await h.discord.waitForResponse(interaction.id);
    expect(answer.original?.content).toBe(
      '⚠️ `huge.png` (`image2`) is 2 MB; images up to 1 MB are accepted. Nothing was submitted.',
    );
    expect(downloadsOf(h, interaction)).toEqual([0, 0]);
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('a file named .png that is not one is refused after the download, and nothing is submitted', async () => {
    const since = h.mj.requests.length;
    const fake = { filename: 'fake.png', bytes: Buffer.from('<html>not an image</html>') };
    const answer = await runCommand(h, 'imagine', { prompt: 'a fox', image1: fake });
    expect(answer.text).toBe(
      '⚠️ The file in `image1` is not a PNG, JPEG, WebP or GIF image, whatever its name says. Nothing was submitted.',
    );
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('a CDN download that fails is explained, and nothing is submitted', async () => {
    const since = h.mj.requests.length;
    const gone = { ...png('gone.png'), cdnStatus: 404 };
    const answer = await runCommand(h, 'imagine', { prompt: 'a fox', image1: gone });
    expect(answer.text).toBe(
      '⚠️ The bot could not download the image in `image1` from Discord. Nothing was submitted; attach it again and retry.',
    );
    expect(submitsSince(h, since)).toEqual([]);
    // The failed download freed its rate-limit slot: the next /imagine goes through.
    expect((await runCommand(h, 'imagine', { prompt: 'a fox', image1: png() })).text).toMatch(
      /^✅ \/imagine submitted/,
    );
  });

  it("the fork's upload switch off: its code 4 is shown in its own words", async () => {
    h.mj.setServerState({ forkUploadsDisabled: true });
    try {
      const answer = await runCommand(h, 'imagine', { prompt: 'a fox', image1: png() });
      expect(answer.text).toMatch(/^⚠️ The Midjourney API refused \/imagine \(the API said: `禁止上传`\)/);
    } finally {
      h.mj.setServerState({ forkUploadsDisabled: false });
    }
  });
});

describe.each([
  ['nzk', ['speed', 'model'], 'novicezk/midjourney-proxy'],
  ['plus', ['speed', 'model'], 'midjourney-proxy-plus'],
  ['newapi', ['speed'], 'new-api'],
] as const)('/imagine on %s', (dialect, refused, server) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, env: ENV });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends image prompts as data URLs', async () => {
    const image = png('cat.png');
    const since = h.mj.requests.length;
    const answer = await runCommand(h, 'imagine', { prompt: 'a cat', image1: image });
    expect(answer.text).toMatch(/^✅ \/imagine submitted/);
    expect(bodiesOf(h, 'imagine', since)[0]).toMatchObject({
      prompt: 'a cat',
      base64Array: [dataUrlOf(image, 'image/png')],
    });
    await resultFrom(h, answer.text);
  });

  it.each(refused)('refuses %s with a sentence, submitting nothing', async (option) => {
    const since = h.mj.requests.length;
    const value = option === 'speed' ? 'relax' : 'niji';
    const interaction = h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a cat', [option]: value } });
    const answer = await h.discord.waitForResponse(interaction.id);
    expect(answer.original?.content).toBe(
      `⚠️ This Midjourney server (${server}) does not let the bot choose \`${option}\`. Nothing was submitted; try again without it.`,
    );
    expect(submitsSince(h, since)).toEqual([]);
  });

  if (dialect === 'newapi')
    it('passes model through (new-api relays botType to its upstream)', async () => {
      const since = h.mj.requests.length;
      const answer = await runCommand(h, 'imagine', { prompt: 'a cat', model: 'niji' });
      expect(answer.text).toMatch(/^✅ \/imagine submitted/);
      expect(bodiesOf(h, 'imagine', since)[0]).toMatchObject({ prompt: 'a cat', botType: 'NIJI_JOURNEY' });
    });
});

/** How often the CDN served each attachment the interaction carried, in option order. */
function downloadsOf(h: Harness, interaction: DispatchedInteraction): number[] {
  return (interaction.attachmentIds ?? []).map((id) => h.discord.attachment(id)?.downloads ?? -1);
}
