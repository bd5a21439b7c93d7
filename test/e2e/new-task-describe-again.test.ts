// Describe's 🔄 ("describe again") end to end on every dialect (all four have /submit/describe): the
// fork and plus run their own MJ::Picread::Retry (the fork: SubmitController.cs L673-677); on nzk (no
// buttons) and new-api (unknown_action) the bot downloads the image the task shows and sends
// /submit/describe of it. Either way a new Describe of the same image is followed to a result that
// mentions the member, and the click passes the guards every click passes: ownership, the double click.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import type { DialectName } from '../support/mj/index.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { click, customIdsOn, sentState } from './support-clicks.js';
import { bodiesOf, dataUrlOf, png, resultFrom, runCommand, submitsSince } from './support-new-tasks.js';

const RETRY = 'MJ::Picread::Retry';
/** Where the server's own 🔄 runs, it is sent as /submit/action; elsewhere the bot describes the image itself. */
const SERVER_RUNS_RETRY: Record<DialectName, boolean> = { nzk: false, fork: true, plus: true, newapi: false };

const promptLines = (message: StoredMessage) =>
  String((message.embeds[0] as { description?: string } | undefined)?.description ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe.each<DialectName>(['nzk', 'fork', 'plus', 'newapi'])('Describe 🔄 on %s', (dialect) => {
  let h: Harness;
  let member: string;
  let described: StoredMessage;
  const image = png('harbour.png', 3_000);
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, env: GUARDS_OFF });
    member = h.discord.addMember({ username: 'looker' }).id;
    const answer = await runCommand(h, 'describe', { image }, member);
    described = await resultFrom(h, answer.text);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows 🔄 between 4️⃣ and 🎉 Imagine all', () => {
    const ids = customIdsOn(described);
    expect(ids.indexOf(RETRY)).toBe(ids.indexOf('MJ::Job::PicReader::4') + 1);
    expect(ids.at(-1)).toBe('MJ::Job::PicReader::all');
  });

  it("another member's 🔄 submits nothing", async () => {
    const other = h.discord.addMember({ username: 'passer' }).id;
    const since = h.mj.requests.length;
    const answer = await click(h, { channelId: described.channel_id, messageId: described.id }, RETRY, other);
    expect(answer.text).toBe(`🔒 Only <@${member}>, who started this task, can use its buttons.`);
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('describes the same image again, followed to a result that mentions the member', async () => {
    const since = h.mj.requests.length;
    const where = { channelId: described.channel_id, messageId: described.id };
    const answer = await click(h, where, RETRY, member);
    expect(answer.text).toMatch(/^✅ Retry submitted — following it in <#\d+>/);
    if (SERVER_RUNS_RETRY[dialect]) {
      expect(submitsSince(h, since).map((r) => r.route)).toEqual(['action']);
      expect(bodiesOf(h, 'action', since)).toMatchObject([{ customId: RETRY }]);
    } else {
      // The image the Describe shows is the one the member gave: sent again, byte for byte.
      expect(submitsSince(h, since).map((r) => r.route)).toEqual(['describe']);
      expect(bodiesOf(h, 'describe', since)).toEqual([
        { base64: dataUrlOf(image, 'image/png'), state: sentState(h, member) },
      ]);
    }
    const again = await resultFrom(h, answer.text);
    expect(again.content.split('\n')[0]).toMatch(new RegExp(`^\\*\\*Describe\\*\\* - <@${member}>`));
    expect(promptLines(again)).toHaveLength(4);
    expect(customIdsOn(again)).toContain(RETRY);

    // The same 🔄 again at once: a double click, nothing new is paid for.
    const before = h.mj.requests.length;
    const repeat = await click(h, where, RETRY, member);
    expect(repeat.text).toMatch(/^🔁 Already submitted by <@\d+>/);
    expect(submitsSince(h, before)).toEqual([]);
  });

  it.runIf(!SERVER_RUNS_RETRY[dialect])('an image the server no longer serves is a clear refusal', async () => {
    const answer = await runCommand(h, 'describe', { image: png('gone.png') }, member);
    const gone = await resultFrom(h, answer.text);
    const taskId = /Task `?(\d+)/.exec(gone.content)?.[1] ?? '';
    expect(taskId).toMatch(/^\d{13,}$/);
    h.mj.setTask(taskId, { imageUrl: `${h.mj.origin}/images/no-such-task.png` });
    const since = h.mj.requests.length;
    const refused = await click(h, { channelId: gone.channel_id, messageId: gone.id }, RETRY, member);
    expect(refused.text).toBe(
      "⚠️ The bot could not get this task's image back from the Midjourney server, so it cannot describe it again. Nothing was submitted; run /describe with the image.",
    );
    expect(submitsSince(h, since)).toEqual([]);
  });
});
