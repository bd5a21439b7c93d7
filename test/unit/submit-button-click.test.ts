// The button handler against plain stand-ins: acknowledgement order, guards, double clicks, outcomes.
import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../src/mj/capabilities.js';
import { MjApiError } from '../../src/mj/errors.js';
import { parseSubmitState } from '../../src/mj/submit-state.js';
import { parseComponentId } from '../../src/render/custom-ids.js';
import {
  CHANNEL,
  fakeContext,
  fakeMj,
  GRID_BUTTONS,
  GUILD,
  PARENT,
  REQUESTER,
  STRANGER,
  task,
  UPDATES,
  UPSCALE_BUTTONS,
} from './submit-fakes.js';
import { buttonClick, fakeMessage, lastContent, recorder } from './submit-interactions.js';

const U1 = GRID_BUTTONS[0]!.customId;
const U2 = GRID_BUTTONS[1]!.customId;

function setup(env: Record<string, string> = {}, opts: { running?: number; failFollow?: string[] } = {}) {
  const events: string[] = [];
  const mj = fakeMj(events);
  const stored: string[] = [];
  const { ctx, followed, route, patches } = fakeContext(mj.api, env, { ...opts, events: stored });
  const rec = recorder(events);
  const message = fakeMessage({ requesterId: REQUESTER });
  const click = (
    customId: string,
    extra: { userId?: string; roleIds?: string[]; label?: string; message?: ReturnType<typeof fakeMessage> } = {},
  ) => route(buttonClick(rec, { customId, label: extra.label ?? 'U1', message: extra.message ?? message, ...extra }));
  return { events, stored, mj, ctx, followed, rec, message, click, patches };
}

describe('MJ button click', () => {
  it('matches MJ:: ids and short keys only', () => {
    expect(parseComponentId(U1)?.kind).toBe('mj-button');
    expect(parseComponentId('mjk:0123456789abcdef')?.kind).toBe('mj-button');
    expect(parseComponentId('mjedit:p:1')?.kind).not.toBe('mj-button');
  });

  it('defers before any request, submits the customId for the task in the footer, follows the new task and links it', async () => {
    const t = setup();
    t.mj.queues.action.push({ code: 1, description: '提交成功', result: '1730000000000001' });
    await t.click(U1);

    expect(t.events.slice(0, 2)).toEqual(['deferReply', 'mj.action']);
    expect(t.mj.requests[0]?.req).toEqual({
      taskId: PARENT,
      customId: U1,
      state: expect.stringMatching(/:c\d+:/),
    });
    // Signed for the clicker, naming the click recorded before the submit.
    const { state } = t.mj.requests[0]!.req as { state: string };
    expect(parseSubmitState(state, t.ctx.stateKey)).toEqual({
      guildId: GUILD,
      userId: REQUESTER,
      clickId: expect.any(Number),
    });
    expect(t.followed).toEqual([
      {
        taskId: '1730000000000001',
        target: {
          guildId: GUILD,
          channelId: UPDATES,
          messageId: null,
          requesterId: REQUESTER,
          origin: 'click',
          locale: 'en',
          // Kept with the task: the server may serve it without the customId (an upscale's Image #N).
          submittedCustomId: U1,
          // This fake interaction offers no webhook route: no follow-up to find after a crash.
          progressInteractionId: null,
        },
        // Until the first poll, the progress message shows what the submit told: accepted, with the source's prompt.
        initial: expect.objectContaining({ id: '1730000000000001', status: '', prompt: 'a red fox --ar 3:2' }),
      },
    ]);
    expect(lastContent(t.rec)).toBe(
      `✅ U1 submitted — following it in <#${UPDATES}>: https://discord.com/channels/${GUILD}/${UPDATES}/91000000000000001`,
    );
    // The source message keeps its buttons; only U1 turns Primary.
    expect(t.patches).toHaveLength(1);
    expect(t.patches[0]?.route).toBe(`/channels/${CHANNEL}/messages/${t.message.id}`);
    const styles = t.patches[0]?.body.components.flatMap((row) => row.components.map((b) => [b.custom_id, b.style]));
    expect(styles).toEqual([
      [U1, 1],
      [U2, 2],
      [GRID_BUTTONS[2]!.customId, 2],
    ]);
  });

  it('passes notifyHook when the webhook is configured, and shows the queue position of code 22', async () => {
    const t = setup({
      WEBHOOK_PORT: '8787',
      WEBHOOK_SECRET: 'abcdefghijklmnop',
      WEBHOOK_PUBLIC_URL: 'https://bot.example.com',
    });
    t.mj.queues.action.push({
      code: 22,
      description: '排队中，前面还有1个任务',
      result: '1730000000000001',
      properties: { numberOfQueues: 1 },
    });
    await t.click(U1);
    expect(t.mj.requests[0]?.req).toMatchObject({ notifyHook: 'https://bot.example.com/notify/abcdefghijklmnop' });
    expect(lastContent(t.rec)).toContain('U1 submitted — position 2 in the queue — following it in');
  });

  it('a double click submits once; the second click says who submitted and where it went', async () => {
    const t = setup({ CLICK_POLICY: 'anyone' });
    let release!: () => void;
    t.mj.queues.action.push(
      () => new Promise((resolve) => (release = () => resolve({ code: 1, result: '1730000000000001' }))),
    );
    const first = t.click(U1);
    const second = t.click(U1, { userId: STRANGER });
    await new Promise((r) => setTimeout(r, 5));
    release();
    await Promise.all([first, second]);

    expect(t.mj.requests).toHaveLength(1);
    expect(t.followed).toHaveLength(1);
    const contents = t.rec.replies.map((r) => String(r.body.content));
    expect(contents[1]).toMatch(
      new RegExp(
        `^🔁 Already submitted by <@${REQUESTER}> <t:\\d+:R>, so nothing new was submitted → <#${UPDATES}>: https://discord.com/channels/`,
      ),
    );
  });

  it('a refused submit does not block a second click', async () => {
    const t = setup();
    t.mj.queues.action.push({ code: 23, description: '队列已满' }, { code: 1, result: '1730000000000001' });
    await t.click(U1);
    expect(lastContent(t.rec)).toMatch(/queue is full/);
    expect(t.patches).toHaveLength(0);
    await t.click(U1);
    expect(lastContent(t.rec)).toMatch(/^✅ U1 submitted/);
  });

  it('under the requester policy a stranger is refused before any request; an allowed role may click', async () => {
    const t = setup({ ALLOWED_ROLE_IDS: '333333333333333333' });
    await t.click(U1, { userId: STRANGER });
    expect(lastContent(t.rec)).toBe(`🔒 Only <@${REQUESTER}>, who started this task, can use its buttons.`);
    expect(t.mj.requests).toHaveLength(0);
    t.mj.queues.action.push({ code: 1, result: '1730000000000001' });
    await t.click(U1, { userId: STRANGER, roleIds: ['333333333333333333'] });
    expect(lastContent(t.rec)).toMatch(/^✅ U1 submitted/);
  });

  it('refuses at the rate limit and at the running cap without submitting', async () => {
    const t = setup({ CLICKS_PER_MINUTE: '1' });
    t.mj.queues.action.push({ code: 1, result: '1730000000000001' });
    await t.click(U1);
    await t.click(U2, { label: 'U2' });
    expect(lastContent(t.rec)).toMatch(/^⏳ You can submit 1 time per minute/);
    expect(t.mj.requests).toHaveLength(1);

    const capped = setup({}, { running: 3 });
    await capped.click(U1);
    expect(lastContent(capped.rec)).toBe(
      '⏳ You already have 3 tasks running. Wait for one to finish, then try again.',
    );
    expect(capped.mj.requests).toHaveLength(0);
  });

  it('a message without a task id is answered, nothing submitted', async () => {
    const t = setup();
    const raw = { content: 'hello', embeds: [], components: [], allowed_mentions: { parse: [] as [], users: [] } };
    await t.click(U1, { message: fakeMessage({ raw }) });
    expect(lastContent(t.rec)).toMatch(/does not carry a task ID/);
    expect(t.mj.requests).toHaveLength(0);
  });

  it('Vary (Region) and Bookmark answer at once (no defer) and submit nothing', async () => {
    const t = setup();
    await t.click(UPSCALE_BUTTONS[0]!.customId, { label: 'Vary (Region)' });
    expect(t.events).toEqual(['reply']);
    expect(lastContent(t.rec)).toMatch(/mask editor/);
    await t.click(UPSCALE_BUTTONS[3]!.customId, { label: '' });
    expect(lastContent(t.rec)).toMatch(/Bookmarking/);
    expect(t.mj.requests).toHaveLength(0);
  });

  it("an action the API does not know (new-api unknown_action) is named by the button's label", async () => {
    const t = setup();
    t.mj.queues.action.push({ code: 4, description: `unknown_action:${UPSCALE_BUTTONS[2]!.customId}` });
    await t.click(UPSCALE_BUTTONS[2]!.customId, { label: 'Animate (High motion)' });
    expect(lastContent(t.rec)).toBe('🚫 This server cannot run Animate (High motion). Nothing was submitted.');
  });

  it('code 21 for an existing task shows that task; nothing new runs', async () => {
    const t = setup();
    t.mj.queues.action.push({
      code: 21,
      description: '任务已存在',
      result: '0741798445574458',
      properties: { status: 'SUCCESS' },
    });
    await t.click(U1);
    expect(t.followed[0]?.taskId).toBe('0741798445574458');
    expect(lastContent(t.rec)).toMatch(
      /^ℹ️ U1 was already done for this image, so nothing new was submitted\. Showing it in/,
    );
  });

  it('an HTTP failure gets its specific sentence; after a timeout a repeat click is still held back', async () => {
    const t = setup();
    t.mj.queues.action.push(new MjApiError('timeout', 'no answer', { route: 'POST /mj/submit/action' }));
    await t.click(U1);
    expect(lastContent(t.rec)).toMatch(/^⌛ The Midjourney API did not answer within 15 seconds/);
    await t.click(U1);
    expect(lastContent(t.rec)).toMatch(/Already submitted .*the API never confirmed it/);
    expect(t.mj.requests).toHaveLength(1);
  });

  it('resolves a short key through the task, and refuses one that matches no button', async () => {
    const t = setup();
    const { shortButtonKey } = await import('../../src/mj/custom-id.js');
    t.mj.tasks.set(PARENT, task({ buttons: GRID_BUTTONS }));
    t.mj.queues.action.push({ code: 1, result: '1730000000000001' });
    await t.click(shortButtonKey(U2), { label: 'U2' });
    expect(t.mj.requests[0]?.req).toMatchObject({ customId: U2 });
    await t.click('mjk:ffffffffffffffff', { label: 'U9' });
    expect(lastContent(t.rec)).toMatch(/no longer matches any button/);
  });
});

describe('MJ button click on a known server', () => {
  it('a button the server cannot run (an older message behind new-api) is refused without a request', async () => {
    const t = setup();
    t.ctx.capabilities = () => CAPABILITIES.newapi;
    const animate = UPSCALE_BUTTONS.find((b) => b.customId.includes('::animate_high::'))!.customId;
    await t.click(animate, { label: 'Animate (High motion)' });
    expect(t.mj.requests).toEqual([]);
    expect(lastContent(t.rec)).toBe('🚫 This server cannot run Animate (High motion). Nothing was submitted.');
  });

  it("Describe's 1️⃣ behind new-api is /submit/imagine of its line, keycap off", async () => {
    const t = setup();
    t.ctx.capabilities = () => CAPABILITIES.newapi;
    t.mj.tasks.set(
      PARENT,
      task({ id: PARENT, action: 'DESCRIBE', status: 'SUCCESS', properties: { finalPrompt: '1️⃣ a fox\n\n2️⃣ a hen' } }),
    );
    t.mj.queues.imagine.push({ code: 1, description: '提交成功', result: '1730000000000009' });
    await t.click('MJ::Job::PicReader::2', { label: 'Imagine 2' });
    expect(t.mj.requests.map((r) => [r.route, (r.req as { prompt?: string }).prompt])).toEqual([['imagine', 'a hen']]);
    expect(lastContent(t.rec)).toMatch(/^✅ Imagine 2 submitted — following it in/);
  });

  it('stores every task an answer started before its owner and before any message, and follows each one', async () => {
    // FORK's "imagine all" (PicReader::all) answers with several ids; Discord refuses the first progress message.
    const t = setup({}, { failFollow: ['1730000000000011'] });
    t.mj.queues.action.push({ code: 1, description: '提交成功', result: ['1730000000000011', '1730000000000012'] });
    await t.click(U1);
    // Killed after the API's answer, the bot leaves the rows another instance finishes: nothing else comes first.
    expect(t.stored).toEqual([
      'prepare 1730000000000011',
      'prepare 1730000000000012',
      'owner 1730000000000011',
      'owner 1730000000000012',
      'follow 1730000000000011',
      'follow 1730000000000012',
    ]);
    expect(t.followed.map((f) => f.taskId)).toEqual(['1730000000000012']);
    expect(lastContent(t.rec)).toBe(
      `✅ U1 submitted as task \`1730000000000011\`, but the bot could not post in <#${UPDATES}>. Use \`/mjtask id:1730000000000011\` to see it.`,
    );
  });
});
