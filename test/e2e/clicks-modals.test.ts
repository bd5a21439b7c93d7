// Custom Zoom, end to end: the click answers with the form (first response, no defer) and its submit
// calls /mj/submit/action then /mj/submit/modal {taskId: the id the action returned, prompt}; PicReader
// (always a MODAL task) asks for the prompt after its submit. Every step is acknowledged within 3 s.
// Remix mode is in clicks-remix.test.ts.
import { ButtonStyle } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import {
  actionBodies,
  buttonIdWith,
  buttonOn,
  click,
  everythingSaid,
  followedFrom,
  markedUsed,
  showFinishedTask,
  sentState,
} from './support-clicks.js';
import { clickForModal, editPromptButton, modalBodies, startFormHarness, submitForm } from './support-forms.js';

describe('Custom Zoom on a proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startFormHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('form first, then action + modal with the id the action returned; the new task is followed to its result', async () => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a tea house --ar 16:9 --zoom 1.2' });
    const zoomId = buttonIdWith(h, shown, 'MJ::CustomZoom::');
    const since = h.mj.requests.length;
    const form = await clickForModal(h, shown, zoomId);
    expect(form.prefill).toBe('a tea house --ar 16:9 --zoom 2'); // the old --zoom replaced, --ar kept
    const answer = await submitForm(h, form, 'a tea house at night --ar 16:9 --zoom 1.5');
    expect(answer.ephemeral).toBe(true);
    expect(answer.text).toMatch(/^✅ Custom Zoom submitted — following it in <#\d+>: https:/);
    const [action] = actionBodies(h, since);
    expect(action).toEqual({ taskId: shown.taskId, customId: zoomId, state: sentState(h) });
    const progress = followedFrom(h, answer.text);
    expect(modalBodies(h, since)).toEqual([
      { taskId: progress.taskId, prompt: 'a tea house at night --ar 16:9 --zoom 1.5', state: sentState(h) },
    ]);
    expect(progress.taskId).not.toBe(shown.taskId);
    await markedUsed(h, shown, zoomId);

    h.mj.clock.advance(20_000);
    const result = await h.discord.waitFor(
      () =>
        h.discord
          .messages(progress.channelId)
          .find((m) =>
            m.content.startsWith(
              `**a tea house at night --ar 16:9 --zoom 1.5** - <@${h.discord.defaults.userId}>\n-# Task `,
            ),
          ),
      5_000,
      'the zoomed result',
    );
    expect(result.content).toMatch(new RegExp(`\\n-# Task ${progress.taskId}$`));
  });

  it.each([
    ['without --zoom', 'a tea house --ar 16:9'],
    ['with --zoom 3 (above 2)', 'a tea house --ar 16:9 --zoom 3'],
  ])('a prompt %s is refused before anything is submitted', async (_name, prompt) => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a tea house' });
    const form = await clickForModal(h, shown, buttonIdWith(h, shown, 'MJ::CustomZoom::'));
    const since = h.mj.requests.length;
    const answer = await submitForm(h, form, prompt);
    expect(answer.text).toMatch(/^⚠️ Custom Zoom needs `--zoom` with a value from 1 to 2/);
    expect(answer.text).toContain(prompt);
    expect(h.mj.requests.slice(since).filter((r) => r.route === 'action' || r.route === 'modal')).toEqual([]);
  });

  it('the form still works when the bot restarted (empty store) between click and submit', async () => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a lantern' });
    const form = await clickForModal(h, shown, buttonIdWith(h, shown, 'MJ::CustomZoom::'));
    await h.stopBot();
    h.env.DATABASE_PATH = `${h.env.DATABASE_PATH}.fresh-${Date.now()}`;
    await h.startBot();
    const since = h.mj.requests.length;
    const answer = await submitForm(h, form, form.prefill);
    expect(answer.text).toMatch(/^✅ Custom Zoom submitted/);
    expect(actionBodies(h, since)).toHaveLength(1);
    expect(modalBodies(h, since)).toHaveLength(1);
  });

  it('an action the API refuses stops before /submit/modal', async () => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a busy harbour' });
    const form = await clickForModal(h, shown, buttonIdWith(h, shown, 'MJ::CustomZoom::'));
    h.mj.nextSubmit('action', { code: 23 });
    const since = h.mj.requests.length;
    const answer = await submitForm(h, form, form.prefill);
    expect(answer.text).toMatch(/^🚦 The Midjourney queue is full\. Nothing was submitted/);
    expect(modalBodies(h, since)).toEqual([]);
  });

  it('a failure of /submit/modal is explained, and the member may try again', async () => {
    const shown = await showFinishedTask(h, { action: 'UPSCALE', prompt: 'a rainy street' });
    const zoomId = buttonIdWith(h, shown, 'MJ::CustomZoom::');
    const form = await clickForModal(h, shown, zoomId);
    h.mj.fault('modal', { kind: 'status', status: 500, body: 'boom' }, 1);
    const answer = await submitForm(h, form, form.prefill);
    expect(answer.text).toMatch(/^💥 The Midjourney API gave an unusable answer: [^.]*\bHTTP 500\b/);
    expect(buttonOn(h.discord.message(shown.channelId, shown.messageId), zoomId)?.style).toBe(ButtonStyle.Secondary);
    const retry = await clickForModal(h, shown, zoomId);
    expect((await submitForm(h, retry, retry.prefill)).text).toMatch(/^✅ Custom Zoom submitted/);
  });

  it('PicReader (always a MODAL task) asks for the prompt after the submit', async () => {
    const shown = await showFinishedTask(h, {
      action: 'DESCRIBE',
      prompt: '',
      buttons: [{ customId: 'MJ::Job::PicReader::1', label: '', emoji: '1️⃣', type: 2, style: 2 }],
    });
    const answer = await click(h, shown, 'MJ::Job::PicReader::1');
    expect(answer.text).toMatch(/^✏️ Imagine 1 needs a prompt first/);
    expect(editPromptButton(answer).customId).toMatch(/^mjedit:p:/);
  });

  it('never shows a secret', () => {
    expect(everythingSaid(h)).not.toContain(h.mj.apiKey);
    expect(everythingSaid(h)).not.toContain(h.discord.token);
  });
});
