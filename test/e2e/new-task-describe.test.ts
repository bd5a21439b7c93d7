// /describe end to end on every dialect (all four have /submit/describe): an attached image (or a
// link) downloaded and sent as a data URL, the DESCRIBE task followed to a result that shows the image's
// four prompts with 1️⃣–4️⃣ (the server's own buttons, or the bot's where it sends none), and the
// describe → 1️⃣ → imagine chain: where the server's button fails (new-api) or does not exist (nzk), the bot
// submits /imagine of that prompt (the fork's too: its MODAL prompt keeps the keycap); on plus the server's
// button asks for the prompt first, confirmed in the form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttachmentUpload, StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import type { DialectName } from '../support/mj/index.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { click, customIdsOn, sentState } from './support-clicks.js';
import { clickForModal, editPromptButton, modalBodies, submitForm } from './support-forms.js';
import { bodiesOf, dataUrlOf, png, resultFrom, runCommand, submitsSince } from './support-new-tasks.js';

const KEYCAP = (n: number) => `${n}\u{FE0F}\u{20E3}`;
const PROMPTS = [1, 2, 3, 4].map((n) => `a picture, take ${n} --ar 1:1`);

/** The Describe buttons each server's result shows (the bot's own on nzk; 🔄 is the bot's on nzk and new-api). */
const BUTTONS: Record<DialectName, string[]> = {
  nzk: [
    'MJ::Job::PicReader::1',
    'MJ::Job::PicReader::2',
    'MJ::Job::PicReader::3',
    'MJ::Job::PicReader::4',
    'MJ::Picread::Retry',
    'MJ::Job::PicReader::all',
  ],
  fork: [
    'MJ::Job::PicReader::1',
    'MJ::Job::PicReader::2',
    'MJ::Job::PicReader::3',
    'MJ::Job::PicReader::4',
    'MJ::Picread::Retry',
    'MJ::Job::PicReader::all',
  ],
  plus: [
    'MJ::Job::PicReader::1',
    'MJ::Job::PicReader::2',
    'MJ::Job::PicReader::3',
    'MJ::Job::PicReader::4',
    'MJ::Picread::Retry',
    'MJ::Job::PicReader::all',
  ],
  newapi: [
    'MJ::Job::PicReader::1',
    'MJ::Job::PicReader::2',
    'MJ::Job::PicReader::3',
    'MJ::Job::PicReader::4',
    'MJ::Picread::Retry',
    'MJ::Job::PicReader::all',
  ],
};

describe.each<DialectName>(['nzk', 'fork', 'plus', 'newapi'])('/describe on %s', (dialect) => {
  let h: Harness;
  let member: string;
  let described: StoredMessage;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, env: GUARDS_OFF });
    member = h.discord.addMember({ username: 'looker' }).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends the attached image and shows the four prompts with their buttons, mentioning the member', async () => {
    const image = png('street.png');
    const since = h.mj.requests.length;
    const answer = await runCommand(h, 'describe', { image }, member);
    expect(answer.text).toMatch(/^✅ \/describe submitted — following it in <#\d+>/);
    expect(bodiesOf(h, 'describe', since)).toEqual([
      { base64: dataUrlOf(image, 'image/png'), state: sentState(h, member) },
    ]);
    described = await resultFrom(h, answer.text);
    expect(described.content.split('\n')[0]).toMatch(new RegExp(`^\\*\\*Describe\\*\\* - <@${member}>`));
    const text = String((described.embeds[0] as { description?: string } | undefined)?.description ?? '');
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    expect(lines.map((l) => [l.slice(0, 3), /take (\d)/.exec(l)?.[1]])).toEqual(
      [1, 2, 3, 4].map((n) => [KEYCAP(n), String(n)]),
    );
    expect(customIdsOn(described)).toEqual(BUTTONS[dialect]);
  });

  it('1️⃣ imagines its prompt', async () => {
    const since = h.mj.requests.length;
    const answer = await click(
      h,
      { channelId: described.channel_id, messageId: described.id },
      'MJ::Job::PicReader::1',
      member,
    );
    let submitted = answer;
    if (dialect === 'plus') {
      // plus runs PicReader itself (docs/api.md §3): a MODAL task that waits for the prompt (code 21),
      // confirmed in the form, which starts from the chosen line; then /submit/modal runs it.
      expect(bodiesOf(h, 'action', since)).toMatchObject([{ customId: 'MJ::Job::PicReader::1' }]);
      expect(answer.text).toMatch(/^✏️ Imagine 1 needs a prompt first/);
      const edit = editPromptButton(answer);
      const form = await clickForModal(h, edit.where, edit.customId, member);
      expect(form.prefill).toBe(PROMPTS[0]);
      submitted = await submitForm(h, form, form.prefill, member);
      expect(modalBodies(h, since)).toMatchObject([{ prompt: PROMPTS[0] }]);
      expect(submitted.text).toMatch(/^✅ Remix submitted — following it in <#\d+>/);
    } else {
      // nzk has no button, new-api refuses PicReader, the fork's keeps the keycap in the prompt
      // (TaskService.cs L1885-1911): the bot submits /imagine of the first prompt.
      expect(submitsSince(h, since).map((r) => r.route)).toEqual(['imagine']);
      expect(bodiesOf(h, 'imagine', since)).toEqual([{ prompt: PROMPTS[0], state: sentState(h, member) }]);
      expect(answer.text).toMatch(/^✅ Imagine 1 submitted — following it in <#\d+>/);
    }
    const result = await resultFrom(h, submitted.text);
    expect(result.content.split('\n')[0]).toMatch(
      new RegExp(`^\\*\\*${PROMPTS[0]!.replace(/[-.*+?^${}()|[\]\\]/g, '\\$&')}\\*\\* - <@${member}>(?: \\(fast\\))?$`),
    );
  });

  it('a link instead of an attachment is downloaded and sent the same way', async () => {
    const source = h.mj.createTask({ status: 'SUCCESS' });
    const since = h.mj.requests.length;
    const answer = await runCommand(h, 'describe', { url: `${h.mj.origin}/images/${source}.png` }, member);
    expect(answer.text).toMatch(/^✅ \/describe submitted/);
    expect(String(bodiesOf(h, 'describe', since)[0]?.base64)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('no image, or both an image and a link, is refused at once', async () => {
    const since = h.mj.requests.length;
    const cases: Array<Record<string, string | AttachmentUpload>> = [
      {},
      { image: png(), url: 'https://example.com/a.png' },
    ];
    for (const options of cases) {
      const interaction = h.discord.slashCommand({ name: 'describe', options });
      const view = await h.discord.waitForResponse(interaction.id);
      expect(view.original?.content).toBe(
        '⚠️ /describe needs one image: attach it in `image` or link it in `url`, not both. Nothing was submitted.',
      );
    }
    expect(submitsSince(h, since)).toEqual([]);
  });
});
