// The bot against each real server's profile of the Midjourney stand-in (MJ_API_DIALECT=auto, so the
// bot detects it at start): show, each button family, Custom Zoom, Remix, push, an unknown id, the
// error classes and a restart. One harness per dialect; what differs is read from the capabilities.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/mj/capabilities.js';
import type { Harness } from '../support/harness.js';
import { DIALECT_NAMES } from '../support/mj/index.js';
import { fieldOf, imagine, resultsOf, startTrackingHarness, statusField } from '../support/tracking-e2e.js';
import {
  actionBodies,
  buttonIdWith,
  click,
  customIdsOn,
  followedFrom,
  showFinishedTask,
  sentState,
  type Shown,
} from './support-clicks.js';
import { clickForModal, editPromptButton, modalBodies, submitForm } from './support-forms.js';

/** new-api serves its own copy, refreshed every 15 s (Calcium-Ion/new-api controller/midjourney.go L21-30). */
const REFRESH_MS = 15_000;
const EPHEMERAL = 64;

describe.each(DIALECT_NAMES)('on %s', (dialect) => {
  const caps = CAPABILITIES[dialect];
  let h: Harness;
  beforeAll(async () => {
    h = await startTrackingHarness({ dialect, webhook: true, env: { CLICK_POLICY: 'anyone' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A finished task of `action`, on screen through /mjtask (new-api shows it after its next refresh). */
  async function shown(seed: Parameters<typeof h.mj.createTask>[0]): Promise<Shown> {
    const id = h.mj.createTask({ status: 'SUCCESS', ...seed });
    if (dialect === 'newapi') h.mj.clock.advance(REFRESH_MS);
    return showFinishedTask(h, { existingId: id });
  }

  async function resultOf(answerText: string): Promise<string> {
    const progress = followedFrom(h, answerText);
    h.mj.clock.advance(60_000);
    const [result] = await h.discord.waitFor(
      () => {
        const posts = resultsOf(h, {
          taskId: progress.taskId,
          channelId: progress.channelId,
          progressId: progress.messageId,
        });
        return posts.length > 0 ? posts : null;
      },
      5_000,
      `the result of ${progress.taskId}`,
    );
    return JSON.stringify(result);
  }

  it('is detected at start', () => {
    const line = h.logLines().find((l) => l.includes('"event":"mj.dialect"'));
    expect(JSON.parse(line!)).toMatchObject({ dialect, source: 'detected' });
  });

  it('shows a grid with U1–U4, 🔄, V1–V4 and presses U2 the way the server runs it', async () => {
    const grid = await shown({ action: 'IMAGINE', prompt: `a lighthouse on ${dialect}` });
    const message = h.discord.message(grid.channelId, grid.messageId);
    const ids = customIdsOn(message);
    // Only the fork tells how the task ran (botType, version, mode: Models/TaskInfo.cs L118, L430, L609);
    // the mode is said once, on the content line.
    const model = fieldOf(message, 'Model');
    expect(model).toBe(dialect === 'fork' ? 'Midjourney v 7' : undefined);
    expect(message?.content.split('\n')[0]).toMatch(dialect === 'fork' ? / \(fast\)$/ : /> *$/);
    expect(ids.filter((i) => /::(upsample|variation)::[1-4]::/.test(i))).toHaveLength(8);
    expect(ids.some((i) => i.includes('::reroll::'))).toBe(true);
    const since = h.mj.requests.length;
    const answer = await click(h, grid, buttonIdWith(h, grid, '::upsample::2::'));
    expect(answer.text).toMatch(/^✅ U2 submitted — following it in/);
    if (caps.buildsGridButtons) {
      const change = h.mj.requests.slice(since).filter((r) => r.route === 'change');
      expect(change.map((r) => r.body)).toEqual([
        { taskId: grid.taskId, action: 'UPSCALE', index: 2, notifyHook: h.notifyUrl, state: sentState(h) },
      ]);
      expect(actionBodies(h, since)).toEqual([]);
    } else {
      expect(actionBodies(h, since)).toHaveLength(1);
    }
    // Finished: the result shows no state (only the fork's speed mode), then its task id line; an
    // upscale names its image on every server: the fork keeps properties.action_index
    // (SubmitController.cs L520-536); nzk's U2 went through /submit/change index 2; new-api serves the
    // child with customId "", properties cut to finalPrompt and the parent's prompt (relay/relay-mj.go
    // L106-142, L443; the stand-in's aggregatorView), and plus's docs name no index field: there the
    // bot keeps the customId it submitted.
    const result = await resultOf(answer.text);
    const image = 'Image #2 ';
    expect(result).toMatch(
      new RegExp(`"content":"\\*\\*[^"]*\\*\\* - ${image}<@\\d+>(?: \\(fast\\))?\\\\n-# Task \\d+"`),
    );
  });

  it("an upscale's buttons are the ones the server runs", async () => {
    const upscale = await shown({ action: 'UPSCALE', prompt: 'a lantern' });
    const ids = upscale ? customIdsOn(h.discord.message(upscale.channelId, upscale.messageId)) : [];
    const has = (fragment: string) => ids.some((i) => i.includes(fragment));
    expect(has('MJ::CustomZoom::')).toBe(caps.routes.custom_zoom !== 'hidden');
    expect(has('::animate_')).toBe(
      dialect === 'fork' || dialect === 'newapi' ? caps.routes.animate !== 'hidden' : false,
    );
    expect(has('MJ::BOOKMARK::')).toBe(false);
  });

  it('Custom Zoom: the form, then /submit/action and /submit/modal, and the zoom runs', async () => {
    const upscale = await shown({ action: 'UPSCALE', prompt: 'a tea house --ar 16:9' });
    const offered = customIdsOn(h.discord.message(upscale.channelId, upscale.messageId));
    if (caps.routes.custom_zoom === 'hidden') return expect(offered).toEqual([]); // nzk: no buttons but the grid's
    const since = h.mj.requests.length;
    const form = await clickForModal(h, upscale, buttonIdWith(h, upscale, 'MJ::CustomZoom::'));
    const answer = await submitForm(h, form, 'a tea house at dusk --ar 16:9 --zoom 1.5');
    expect(answer.text).toMatch(/^✅ Custom Zoom submitted — following it in/);
    const progress = followedFrom(h, answer.text);
    // plus answers 21 "窗口等待" with no properties: still a modal wait, so the prompt is sent.
    expect(modalBodies(h, since)).toEqual([
      expect.objectContaining({ taskId: progress.taskId, prompt: 'a tea house at dusk --ar 16:9 --zoom 1.5' }),
    ]);
    if (dialect === 'newapi') h.mj.clock.advance(REFRESH_MS);
    expect(await resultOf(answer.text)).toContain('a tea house at dusk');
    // new-api keeps an older row of the zoom (MODAL) next to the polled one: /mjtask still shows it done.
    const again = await showFinishedTask(h, { existingId: progress.taskId });
    expect(statusField(h.discord.message(again.channelId, again.messageId))).toBe('');
  });

  it('Describe 1️⃣ runs its line as the prompt, never with the keycap', async () => {
    const described = await shown({ action: 'DESCRIBE', prompt: 'a harbour' });
    const offered = customIdsOn(h.discord.message(described.channelId, described.messageId));
    // The plus stand-in gives Describe no 1️⃣–4️⃣ (its docs do not show them): nothing to press.
    if (caps.routes.pic_reader === 'hidden') return expect(offered).toEqual([]);
    if (!offered.some((i) => i.startsWith('MJ::Job::PicReader::1'))) return expect(dialect).toBe('plus');
    const since = h.mj.requests.length;
    const answer = await click(h, described, buttonIdWith(h, described, 'MJ::Job::PicReader::1'));
    const sent = h.mj.requests.slice(since).filter((r) => r.route === 'imagine' || r.route === 'action');
    if (caps.routes.pic_reader === 'imagine') {
      expect(sent.map((r) => r.route)).toEqual(['imagine']);
      expect(sent[0]!.body).toMatchObject({ prompt: 'a harbour, take 1 --ar 1:1' });
      expect(answer.text).toMatch(/^✅ Imagine 1 submitted — following it in/);
    } else {
      // The server's MODAL task: the member is offered the prompt, keycap stripped.
      expect(answer.text).toMatch(/needs a prompt first/);
      expect(JSON.stringify(answer.view.original?.embeds)).not.toContain('\u20E3');
    }
  });

  it('Remix: a V click asks for the prompt first where the server has Remix, and sends no /submit/modal by itself', async () => {
    h.mj.setRemix(true);
    try {
      const grid = await shown({ action: 'IMAGINE', prompt: 'a koi pond' });
      const since = h.mj.requests.length;
      const answer = await click(h, grid, buttonIdWith(h, grid, '::variation::2::'));
      if (dialect !== 'fork' && dialect !== 'plus') {
        expect(answer.text).toMatch(/^✅ V2 submitted — following it in/); // nzk has no Remix; new-api hides it
        expect(modalBodies(h, since)).toEqual([]);
        return;
      }
      expect(answer.text).toMatch(/^✏️ V2 needs a prompt first/);
      expect(modalBodies(h, since)).toEqual([]); // nothing runs until the member confirms
      const edit = editPromptButton(answer);
      const childId = /^mjedit:p:(\d+)$/.exec(edit.customId)![1]!;
      const form = await clickForModal(h, edit.where, edit.customId);
      const sent = await submitForm(h, form, 'a koi pond in autumn');
      expect(sent.text).toMatch(/^✅ Remix submitted — following it in/);
      expect(modalBodies(h, since)).toEqual([
        expect.objectContaining({ taskId: childId, prompt: 'a koi pond in autumn' }),
      ]);
      expect(await resultOf(sent.text)).toContain('a koi pond in autumn');
    } finally {
      h.mj.setRemix(false);
    }
  });

  it('an imagine is followed to its result, pushed where the server forwards the hook', async () => {
    const started = await imagine(h, `a pushed fox on ${dialect}`);
    const hooks = h.mj.hookDeliveries.length;
    h.mj.clock.advance(60_000);
    await h.mj.flushHooks();
    await h.discord.waitFor(() => resultsOf(h, started).length === 1, 5_000, 'the result');
    // new-api drops notifyHook unless MjNotifyEnabled (Calcium-Ion/new-api service/midjourney.go L174-176).
    if (dialect === 'newapi') expect(h.mj.hookDeliveries.length).toBe(hooks);
    else expect(h.mj.hookDeliveries.length).toBeGreaterThan(hooks);
  });

  it('an unknown id is "no task", privately', async () => {
    const interaction = h.discord.slashCommand({ name: 'mjtask', options: { id: '1234567890123456' } });
    const said = await h.discord.waitFor(
      () => {
        const answer = h.discord.interactionResponses(interaction.id).original;
        return answer && (answer.flags & EPHEMERAL) !== 0 ? answer.content : null;
      },
      5_000,
      'the private answer',
    );
    // The first and only answer: private, with no public "thinking…" before it.
    expect(h.discord.interactionResponses(interaction.id).callbackType).toBe(4);
    expect(said).toMatch(/^🔍 No task `1234567890123456` was found/);
  });

  it("the server's refusals are worded as what they are", async () => {
    const grid = await shown({ action: 'IMAGINE', prompt: 'a refused cat' });
    // U buttons: V ones may open the Remix form first, once the bot has seen Remix on.
    const u2 = buttonIdWith(h, grid, '::upsample::2::');
    if (dialect === 'fork') {
      h.mj.setServerState({ forkLimit: '用户今日绘图次数已达上限' });
      try {
        const answer = await click(h, grid, u2);
        expect(answer.text).toBe(
          '🚦 The Midjourney account has reached a limit (the API said: `用户今日绘图次数已达上限`). Nothing was submitted; try again later.',
        );
      } finally {
        h.mj.setServerState({ forkLimit: null });
      }
    }
    if (dialect === 'newapi') {
      h.mj.setServerState({ tokenStatus: 'exhausted' });
      try {
        const answer = await click(h, grid, u2);
        expect(answer.text).toMatch(
          /^🪙 The bot's Midjourney API account is out of credit \(the API said: `该令牌额度已用尽/,
        );
        expect(answer.text).not.toContain(h.mj.apiKey);
      } finally {
        h.mj.setServerState({ tokenStatus: 'active' });
      }
    }
    // On the submit route only: a background poll must not take the fault meant for the click.
    h.mj.fault(caps.buildsGridButtons ? 'change' : 'action', { kind: 'status', status: 502 }, 1);
    const failed = await click(h, grid, buttonIdWith(h, grid, '::upsample::3::'));
    expect(failed.text).toMatch(/^💥 The Midjourney API gave an unusable answer: [^.]*\bHTTP 502\b/);
    h.mj.clearFaults();
  });

  it('after a restart, a followed task still gets its result', async () => {
    h.mj.nextTask({ timeline: { queuedMs: 1_000, runMs: 20_000 } });
    const started = await imagine(h, `a restarted owl on ${dialect}`);
    await h.restartBot();
    h.mj.clock.advance(60_000);
    await h.discord.waitFor(() => resultsOf(h, started).length === 1, 5_000, 'the result after the restart');
  });
});
