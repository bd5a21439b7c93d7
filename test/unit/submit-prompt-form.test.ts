// Pop-up flows and /imagine against plain stand-ins: the form is the first response, the submit runs
// /submit/action then /submit/modal with the right ids, and a Remix pop-up found late is offered as a button.
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/discord/interactions.js';
import {
  fakeContext,
  fakeMj,
  GRID_BUTTONS,
  PARENT,
  REQUESTER,
  STRANGER,
  task,
  UPDATES,
  UPSCALE_BUTTONS,
  GUILD,
} from './submit-fakes.js';
import { buttonClick, fakeMessage, lastContent, modalSubmit, recorder, slashCommand } from './submit-interactions.js';

const ZOOM = UPSCALE_BUTTONS[1]!.customId;
const V1 = GRID_BUTTONS[2]!.customId;
const CHILD = '1730000000000009';

function setup(env: Record<string, string> = {}, opts: Parameters<typeof fakeContext>[2] = {}) {
  const events: string[] = [];
  const mj = fakeMj(events);
  const { ctx, followed, route, store, patches } = fakeContext(mj.api, env, opts);
  // The MODAL child was started by REQUESTER's click (recorded when the API asked for its prompt).
  // The SQLite store writes at the call; the tests read it after.
  void store.owners.record({ taskId: CHILD, guildId: GUILD, userId: REQUESTER });
  const rec = recorder(events);
  const upscale = fakeMessage({
    requesterId: REQUESTER,
    task: task({ action: 'UPSCALE', prompt: 'a red fox --ar 3:2 --zoom 1.2', buttons: UPSCALE_BUTTONS }),
  });
  const grid = fakeMessage({ requesterId: REQUESTER, id: '900000000000000011' });
  return { events, mj, ctx, followed, route, rec, upscale, grid, patches };
}

function textInput(modal: Record<string, unknown> | undefined): { value?: string; custom_id: string } {
  return (modal?.components as Array<{ component: { value?: string; custom_id: string } }>)[0]!.component;
}

describe('Custom Zoom', () => {
  it('shows the form as the first response, with no request, prefilled from the message', async () => {
    const t = setup();
    await t.route(buttonClick(t.rec, { customId: ZOOM, label: 'Custom Zoom', message: t.upscale }));
    expect(t.events).toEqual(['showModal']);
    expect(t.rec.modals[0]).toMatchObject({ title: 'Custom Zoom', custom_id: `mjmodal:z:${PARENT}::${ZOOM}` });
    expect(textInput(t.rec.modals[0]).value).toBe('a red fox --ar 3:2 --zoom 2');
  });

  it('a stranger gets a refusal instead of the form', async () => {
    const t = setup();
    await t.route(buttonClick(t.rec, { customId: ZOOM, label: 'Custom Zoom', message: t.upscale, userId: STRANGER }));
    expect(t.events).toEqual(['reply']);
    expect(lastContent(t.rec)).toMatch(/^🔒 Only/);
  });

  it('the form submits /submit/action, then /submit/modal for the id it returned, and follows that task', async () => {
    const t = setup();
    t.mj.queues.action.push({
      code: 21,
      description: 'Waiting for window confirm',
      result: CHILD,
      properties: { finalPrompt: '', remix: true },
    });
    t.mj.queues.modal.push({ code: 1, description: '提交成功', result: CHILD });
    const customId = `mjmodal:z:${PARENT}::${ZOOM}`;
    await t.route(modalSubmit(t.rec, { customId, prompt: 'a red fox --ar 3:2 --zoom 1.5', message: t.upscale }));

    expect(t.events.slice(0, 3)).toEqual(['deferReply', 'mj.action', 'mj.modal']);
    expect(t.mj.requests[0]?.req).toMatchObject({ taskId: PARENT, customId: ZOOM });
    expect(t.mj.requests[1]?.req).toMatchObject({ taskId: CHILD, prompt: 'a red fox --ar 3:2 --zoom 1.5' });
    expect(t.followed.map((f) => f.taskId)).toEqual([CHILD]);
    expect(lastContent(t.rec)).toMatch(new RegExp(`^✅ Custom Zoom submitted — following it in <#${UPDATES}>`));
    const zoomButton = t.patches[0]?.body.components.flatMap((r) => r.components).find((b) => b.custom_id === ZOOM);
    expect(zoomButton?.style).toBe(1);
  });

  it('a prompt without a valid --zoom is sent back, nothing submitted', async () => {
    const t = setup();
    await t.route(
      modalSubmit(t.rec, {
        customId: `mjmodal:z:${PARENT}::${ZOOM}`,
        prompt: 'a red fox --zoom 3',
        message: t.upscale,
      }),
    );
    expect(lastContent(t.rec)).toMatch(/^⚠️ Custom Zoom needs `--zoom`.*\na red fox --zoom 3$/s);
    expect(t.mj.requests).toHaveLength(0);
  });

  it('a second form for the same button within the window submits nothing', async () => {
    const t = setup();
    t.mj.queues.action.push({
      code: 21,
      description: 'Waiting for window confirm',
      result: CHILD,
      properties: { remix: true },
    });
    t.mj.queues.modal.push({ code: 1, result: CHILD });
    const form = () =>
      modalSubmit(t.rec, {
        customId: `mjmodal:z:${PARENT}::${ZOOM}`,
        prompt: 'fox --ar 1:1 --zoom 1.5',
        message: t.upscale,
      });
    await t.route(form());
    await t.route(form());
    expect(t.mj.requests).toHaveLength(2);
    expect(lastContent(t.rec)).toMatch(/^🔁 Already submitted by/);
  });
});

describe('Remix found after the click', () => {
  it('code 21 "confirm" offers an Edit prompt button; its form submits /submit/modal for the MODAL task', async () => {
    const t = setup();
    t.mj.queues.action.push({
      code: 21,
      description: 'Waiting for window confirm',
      result: CHILD,
      properties: { finalPrompt: 'a red fox --ar 3:2', remix: true },
    });
    await t.route(buttonClick(t.rec, { customId: V1, label: 'V1', message: t.grid }));
    const reply = t.rec.replies.at(-1)!.body as {
      content: string;
      embeds: unknown[];
      components: Array<{ components: Array<{ custom_id: string }> }>;
    };
    expect(reply.content).toMatch(/^✏️ V1 needs a prompt first/);
    expect(reply.components[0]?.components[0]?.custom_id).toBe(`mjedit:p:${CHILD}`);
    expect(t.followed).toHaveLength(0);

    // The member clicks the button on that ephemeral reply: the form opens first, prefilled.
    const ephemeral = fakeMessage({
      ephemeral: true,
      raw: {
        content: reply.content,
        embeds: reply.embeds as never,
        components: [],
        allowed_mentions: { parse: [], users: [] },
      },
    });
    await t.route(buttonClick(t.rec, { customId: `mjedit:p:${CHILD}`, message: ephemeral }));
    expect(t.events.at(-1)).toBe('showModal');
    const form = t.rec.modals.at(-1)!;
    expect(form.custom_id).toBe(`mjmodal:p::${CHILD}:`);
    expect(textInput(form).value).toBe('a red fox --ar 3:2');

    t.mj.queues.modal.push({ code: 1, result: CHILD });
    await t.route(
      modalSubmit(t.rec, { customId: String(form.custom_id), prompt: 'a blue fox --ar 3:2', message: ephemeral }),
    );
    expect(t.mj.requests.at(-1)).toEqual({
      route: 'modal',
      req: { taskId: CHILD, prompt: 'a blue fox --ar 3:2', state: expect.any(String) },
    });
    expect(t.followed.map((f) => f.taskId)).toEqual([CHILD]);
    expect(lastContent(t.rec)).toMatch(/^✅ Remix submitted/);
  });

  it("a MODAL task's prompt only meets the running cap, and the task itself does not count against it", async () => {
    const form = { customId: `mjmodal:p::${CHILD}:`, prompt: 'a blue fox', message: null };
    const capped = setup({ MAX_RUNNING_TASKS_PER_MEMBER: '1' }, { running: 1 });
    await capped.route(modalSubmit(capped.rec, form));
    expect(lastContent(capped.rec)).toMatch(/^⏳ You already have 1 task running/);
    expect(capped.mj.requests).toEqual([]);

    const own = setup({ MAX_RUNNING_TASKS_PER_MEMBER: '1' }, { running: 1, runningTaskIds: [CHILD] });
    own.mj.queues.modal.push({ code: 1, result: CHILD });
    await own.route(modalSubmit(own.rec, form));
    expect(own.mj.requests.map((r) => r.route)).toEqual(['modal']);
    expect(lastContent(own.rec)).toMatch(/^✅ Remix submitted/);
  });

  it('behind an aggregator (code 1), a new task in status MODAL is the same flow', async () => {
    const t = setup();
    t.mj.queues.action.push({ code: 1, description: '提交成功', result: CHILD });
    t.mj.tasks.set(CHILD, task({ id: CHILD, status: 'MODAL', prompt: 'a red fox --ar 3:2', buttons: [] }));
    await t.route(buttonClick(t.rec, { customId: V1, label: 'V1', message: t.grid }));
    expect(t.events.slice(0, 3)).toEqual(['deferReply', 'mj.action', 'mj.fetch']);
    expect(lastContent(t.rec)).toMatch(/^✏️ V1 needs a prompt first/);
  });

  it('a plain U click never fetches the new task', async () => {
    const t = setup();
    t.mj.queues.action.push({ code: 1, result: CHILD });
    await t.route(buttonClick(t.rec, { customId: GRID_BUTTONS[0]!.customId, label: 'U1', message: t.grid }));
    expect(t.events).not.toContain('mj.fetch');
  });
});

describe('/imagine', () => {
  it('submits the prompt, follows the task with origin imagine and reports it', async () => {
    const t = setup();
    expect(Object.keys(commands)).toContain('imagine');
    t.mj.queues.imagine.push({ code: 1, result: CHILD });
    await t.route(slashCommand(t.rec, '  a red fox  '));
    expect(t.events.slice(0, 2)).toEqual(['deferReply', 'mj.imagine']);
    expect(t.mj.requests[0]?.req).toMatchObject({ prompt: 'a red fox' });
    expect(t.followed[0]?.target).toMatchObject({ origin: 'imagine', requesterId: REQUESTER });
    expect(lastContent(t.rec)).toMatch(/^✅ \/imagine submitted — following it in/);
  });

  it('names the banned word of code 24 and applies the rate limit', async () => {
    const t = setup({ CLICKS_PER_MINUTE: '1' });
    t.mj.queues.imagine.push({
      code: 24,
      description: '可能包含敏感词',
      properties: { promptEn: 'nude body', bannedWord: 'nude' },
    });
    await t.route(slashCommand(t.rec, 'nude body'));
    expect(lastContent(t.rec)).toMatch(/the word `nude` is banned/);
    await t.route(slashCommand(t.rec, 'a cat'));
    expect(lastContent(t.rec)).toMatch(/^⏳ You can submit 1 time per minute/);
    expect(t.mj.requests).toHaveLength(1);
  });
});
