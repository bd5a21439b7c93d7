// /shorten end to end on every dialect that has /submit/shorten (fork, plus, new-api) and its refusal on
// the one that does not (nzk): the prompt sent as the member typed it, the SHORTEN task followed to a
// result that shows the shortened prompts numbered with a button each and "Show details" (the analysis,
// privately), and a numbered button imagining its prompt: the bot's own /imagine where the server's
// button fails (the fork's controller has no PromptAnalyzer branch, new-api refuses it), the server's
// MODAL task and the prompt form where it runs it (plus).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import type { DialectName } from '../support/mj/index.js';
import { GUARDS_OFF, startTrackingHarness } from '../support/tracking-e2e.js';
import { click, customIdsOn, followedFrom, sentState } from './support-clicks.js';
import { clickForModal, editPromptButton, modalBodies, submitForm } from './support-forms.js';
import { bodiesOf, resultFrom, runCommand, submitsSince } from './support-new-tasks.js';

const KEYCAP = (n: number) => `${n}\u{FE0F}\u{20E3}`;
const LONG = 'a red fox, in a snowy forest, at dawn, cinematic lighting, highly detailed, 35mm film';
/** What the stand-in shortens LONG to (test/support/mj/shorten-text.ts): prompt n keeps its first 7 − n parts. */
const PARTS = LONG.split(', ');
const SHORTENED = [1, 2, 3, 4, 5].map((n) => PARTS.slice(0, Math.max(1, PARTS.length - n + 1)).join(', '));

const embedText = (message: StoredMessage | undefined) =>
  String((message?.embeds[0] as { description?: string } | undefined)?.description ?? '');

describe.each<DialectName>(['fork', 'plus', 'newapi'])('/shorten on %s', (dialect) => {
  let h: Harness;
  let member: string;
  let result: StoredMessage;
  let taskId: string;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, env: GUARDS_OFF });
    member = h.discord.addMember({ username: 'trimmer' }).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends the prompt and shows the shortened prompts numbered, a button each and Show details', async () => {
    const since = h.mj.requests.length;
    const answer = await runCommand(h, 'shorten', { prompt: `  ${LONG} ` }, member);
    expect(answer.text).toMatch(/^✅ \/shorten submitted — following it in <#\d+>/);
    expect(bodiesOf(h, 'shorten', since)).toEqual([{ prompt: LONG, state: sentState(h, member) }]);
    taskId = followedFrom(h, answer.text).taskId;
    result = await resultFrom(h, answer.text);
    // The fork says how the task ran (its mode, Models/TaskInfo.cs L430).
    expect(result.content.split('\n')[0]).toMatch(new RegExp(`^\\*\\*Shorten\\*\\* - <@${member}>(?: \\(fast\\))?$`));
    expect(embedText(result).split('\n')).toEqual(SHORTENED.map((p, i) => `${KEYCAP(i + 1)} ${p}`));
    expect(embedText(result)).not.toContain('Important tokens');
    expect(customIdsOn(result)).toEqual([
      ...[1, 2, 3, 4, 5].map((n) => `MJ::Job::PromptAnalyzer::${n}`),
      `mjdetails:${taskId}`,
    ]);
  });

  it('Show details answers the analysis privately and submits nothing', async () => {
    const since = h.mj.requests.length;
    const answer = await click(h, { channelId: result.channel_id, messageId: result.id }, `mjdetails:${taskId}`);
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toBe(`🔎 What Midjourney read in the prompt of task \`${taskId}\`:`);
    expect(embedText(answer.view.original as StoredMessage)).toBe(
      [
        '**Important:** a red fox, at dawn, highly detailed',
        '**Changes little (can go):** in a snowy forest, cinematic lighting, 35mm film',
      ].join('\n'),
    );
    expect(submitsSince(h, since)).toEqual([]);
  });

  it('2️⃣ imagines its shortened prompt', async () => {
    const since = h.mj.requests.length;
    const where = { channelId: result.channel_id, messageId: result.id };
    const answer = await click(h, where, 'MJ::Job::PromptAnalyzer::2', member);
    let submitted = answer;
    if (dialect === 'plus') {
      // plus runs PromptAnalyzer itself (docs/api.md §3): a MODAL task that waits for the prompt, whose
      // form starts from the chosen line.
      expect(bodiesOf(h, 'action', since)).toMatchObject([{ taskId, customId: 'MJ::Job::PromptAnalyzer::2' }]);
      expect(answer.text).toMatch(/^✏️ Imagine 2 needs a prompt first/);
      const edit = editPromptButton(answer);
      const form = await clickForModal(h, edit.where, edit.customId, member);
      expect(form.prefill).toBe(SHORTENED[1]);
      submitted = await submitForm(h, form, form.prefill, member);
      expect(modalBodies(h, since)).toMatchObject([{ prompt: SHORTENED[1] }]);
    } else {
      // The fork's controller has no PromptAnalyzer branch and new-api refuses it: the bot imagines the line.
      expect(submitsSince(h, since).map((r) => r.route)).toEqual(['imagine']);
      expect(bodiesOf(h, 'imagine', since)).toEqual([{ prompt: SHORTENED[1], state: sentState(h, member) }]);
    }
    // The prompt form names what it sends as the Remix of the waiting task.
    expect(submitted.text).toMatch(
      dialect === 'plus'
        ? /^✅ Remix submitted — following it in <#\d+>/
        : /^✅ Imagine 2 submitted — following it in <#\d+>/,
    );
    const imagined = await resultFrom(h, submitted.text);
    expect(imagined.content.split('\n')[0]).toMatch(new RegExp(`^\\*\\*${SHORTENED[1]}\\*\\* - <@${member}>`));
  });

  it('a prompt of spaces is refused at once', async () => {
    const since = h.mj.requests.length;
    const answer = await runCommand(h, 'shorten', { prompt: '   ' }, member);
    expect(answer.text).toBe('⚠️ The prompt is empty. Nothing was submitted.');
    expect(submitsSince(h, since)).toEqual([]);
  });
});

describe('/shorten on nzk', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect: 'nzk', env: GUARDS_OFF });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is refused in a sentence that names the server, and nothing is sent', async () => {
    const since = h.mj.requests.length;
    const answer = await runCommand(h, 'shorten', { prompt: LONG });
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toBe(
      '🚫 This Midjourney server (novicezk/midjourney-proxy) has no /shorten, so the bot cannot run it here. Nothing was submitted.',
    );
    expect(h.mj.requests.slice(since).filter((r) => r.method === 'POST')).toEqual([]);
  });
});
