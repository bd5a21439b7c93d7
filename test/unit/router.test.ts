// The router against plain stand-ins: custom_ids it does not know, refusals and API failures thrown by
// any handler, and the one private reply path (every configured secret redacted, 2000 characters at most).
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { MjApiError } from '../../src/mj/errors.js';
import { refusalSentence } from '../../src/replies/refusals.js';
import { unexpectedFailureSentence } from '../../src/replies/commands.js';
import { fakeContext, fakeMj, GRID_BUTTONS, REQUESTER } from './submit-fakes.js';
import { buttonClick, fakeMessage, lastContent, modalSubmit, recorder, slashCommand } from './submit-interactions.js';
import { ENGLISH } from '../../src/i18n/index.js';

const U1 = GRID_BUTTONS[0]!.customId;
const MJ_KEY = 'sk-secret-key-123456';

function setup() {
  const events: string[] = [];
  const mj = fakeMj(events);
  const { ctx, route } = fakeContext(mj.api);
  const rec = recorder(events);
  return { mj, ctx, route, rec, message: fakeMessage({ requesterId: REQUESTER }) };
}

function lastReply(rec: ReturnType<typeof recorder>) {
  return rec.replies.at(-1);
}

describe('interaction router', () => {
  it('does not answer an interaction Discord no longer knows (10062: acknowledged too late)', async () => {
    const t = setup();
    const late = new DiscordAPIError(
      { code: 10062, message: 'Unknown interaction' },
      10062,
      404,
      'POST',
      '/interactions/1/t/callback',
      { body: {} },
    );
    const command = {
      ...(slashCommand(t.rec, 'a fox') as object),
      deferReply: () => Promise.reject(late),
    };
    await t.route(command as never);
    expect(t.rec.replies).toEqual([]);
    expect(t.mj.requests).toEqual([]);
  });

  it('answers a button, a form and a command it does not know privately, without touching the API', async () => {
    const t = setup();
    await t.route(buttonClick(t.rec, { customId: 'someone-else:1', message: t.message }));
    expect(lastContent(t.rec)).toBe(refusalSentence(ENGLISH, { reason: 'unknown_button' }));
    await t.route(modalSubmit(t.rec, { customId: 'other:form', prompt: 'x', message: null }));
    expect(lastContent(t.rec)).toBe(refusalSentence(ENGLISH, { reason: 'unknown_form' }));
    const command = { ...(slashCommand(t.rec, 'x') as object), commandName: 'nope' };
    await t.route(command as never);
    expect(lastContent(t.rec)).toBe(refusalSentence(ENGLISH, { reason: 'unknown_command' }));
    expect(t.rec.replies.every((r) => r.kind === 'reply' && r.body.flags !== undefined)).toBe(true);
    expect(t.mj.requests).toEqual([]);
  });

  it('a form id on a button (or a button id on a form) is not one it knows', async () => {
    const t = setup();
    await t.route(buttonClick(t.rec, { customId: 'mjmodal:p::1730000000000001:', message: t.message }));
    expect(lastContent(t.rec)).toBe(refusalSentence(ENGLISH, { reason: 'unknown_button' }));
    await t.route(modalSubmit(t.rec, { customId: U1, prompt: 'x', message: null }));
    expect(lastContent(t.rec)).toBe(refusalSentence(ENGLISH, { reason: 'unknown_form' }));
  });

  it('an expired form id is answered "press the button again"', async () => {
    const t = setup();
    await t.route(buttonClick(t.rec, { customId: 'mjedit:q:1', message: t.message }));
    expect(lastContent(t.rec)).toBe(refusalSentence(ENGLISH, { reason: 'form_expired' }));
  });

  it('a refusal thrown after the deferral replaces the "thinking…" placeholder', async () => {
    const t = setup();
    const bare = fakeMessage({
      raw: { content: 'x', embeds: [], components: [], allowed_mentions: { parse: [], users: [] } },
    });
    await t.route(buttonClick(t.rec, { customId: U1, message: bare }));
    expect(t.rec.events).toEqual(['deferReply', 'editReply']);
    expect(lastContent(t.rec)).toBe(refusalSentence(ENGLISH, { reason: 'no_task_id' }));
  });

  it('an API failure that echoes the key is worded once, with every secret redacted', async () => {
    const t = setup();
    t.mj.queues.imagine.push(
      new MjApiError('upstream', 'The Midjourney API gave an unusable answer.', {
        unusable: { what: 'status', status: 502, said: `bad key ${MJ_KEY} (${encodeURIComponent(MJ_KEY)})` },
      }),
    );
    await t.route(slashCommand(t.rec, 'a fox'));
    const content = lastContent(t.rec);
    // The server's words once, in one sentence, not wrapped in a second "failed (HTTP …)".
    expect(content).toMatch(
      /^💥 The Midjourney API gave an unusable answer: HTTP 502: bad key \[redacted\] \(.*\)\. Try again in a minute\.$/,
    );
    expect(content.match(/bad key/g)).toHaveLength(1);
    expect(content).not.toContain(MJ_KEY);
    expect(content).toContain('[redacted]');
    expect(content).not.toContain(t.ctx.config.discord.token);
  });

  it('a refusal quoting an API description that echoes the bot token is redacted too', async () => {
    const t = setup();
    t.mj.queues.imagine.push({
      code: 4,
      description: `invalid request Authorization: Bot ${t.ctx.config.discord.token}`,
    });
    await t.route(slashCommand(t.rec, 'a fox'));
    expect(lastContent(t.rec)).toMatch(/^⚠️ The Midjourney API refused \/imagine/);
    expect(lastContent(t.rec)).not.toContain(t.ctx.config.discord.token);
  });

  it('anything else is the one "something went wrong" answer, at most 2000 characters either way', async () => {
    const t = setup();
    t.mj.queues.imagine.push(new Error('a bug'));
    await t.route(slashCommand(t.rec, 'a fox'));
    expect(lastContent(t.rec)).toBe(unexpectedFailureSentence(ENGLISH));
    t.mj.queues.imagine.push(
      new MjApiError('upstream', 'x', { unusable: { what: 'status', status: 500, said: 'x'.repeat(5000) } }),
    );
    await t.route(slashCommand(t.rec, 'a fox'));
    expect(lastContent(t.rec).length).toBe(2000);
    expect(lastReply(t.rec)?.body.allowedMentions).toEqual({ parse: [] });
  });
});
