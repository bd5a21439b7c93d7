// The one "may this member spend on this task" decision: CLICK_POLICY against who started the task
// (or, for a task started outside the bot, who showed it), the banned-prompt pause, and the same
// checks on an ephemeral message and on a form with no message. Pure guards first, then the router.
import { MessageFlags } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/load.js';
import { submitState } from '../../src/mj/submit-state.js';
import { refusalSentence } from '../../src/replies/refusals.js';
import { checkBannedPause, checkOwnership, type Clicker } from '../../src/submit/guards.js';
import { fakeContext, fakeMj, GUILD, PARENT, REQUESTER, STRANGER, task } from './submit-fakes.js';
import { buttonClick, fakeMessage, lastContent, modalSubmit, recorder } from './submit-interactions.js';
import { ENGLISH } from '../../src/i18n/index.js';

const CHILD = '1730000000000009';
const HOUR = 3_600_000;
const member = (userId: string, extra: Partial<Clicker> = {}): Clicker => ({
  userId,
  roleIds: [],
  canManageGuild: false,
  ...extra,
});
const policy = (clickPolicy: Config['guards']['clickPolicy']) => ({ clickPolicy, allowedRoleIds: [] });

describe('checkOwnership', () => {
  it('lets the starter act and names them to anyone else', () => {
    const starter = { source: 'starter', userId: REQUESTER } as const;
    expect(checkOwnership(policy('requester'), member(REQUESTER), starter)).toEqual({ ok: true });
    expect(checkOwnership(policy('requester'), member(STRANGER), starter)).toEqual({
      ok: false,
      reason: 'not_requester',
      requesterId: REQUESTER,
    });
  });

  it('for a task started outside the bot, lets only the member who showed it act', () => {
    const shower = { source: 'shower', userId: REQUESTER } as const;
    expect(checkOwnership(policy('requester'), member(REQUESTER), shower)).toEqual({ ok: true });
    const refused = checkOwnership(policy('requester'), member(STRANGER), shower);
    expect(refused).toEqual({ ok: false, reason: 'not_shower', showerId: REQUESTER });
    expect(refusalSentence(ENGLISH, refused as never)).toBe(
      `🔒 This task was not started with this bot, so only <@${REQUESTER}>, who showed it here, can use its buttons.`,
    );
  });

  it('keeps what CLICK_POLICY says over any owner', () => {
    const unknown = { source: 'unknown' } as const;
    expect(checkOwnership(policy('anyone'), member(STRANGER), unknown)).toEqual({ ok: true });
    expect(checkOwnership(policy('requester'), member(STRANGER), unknown)).toMatchObject({
      reason: 'requester_unknown',
    });
    expect(checkOwnership(policy('roles'), member(REQUESTER), { source: 'starter', userId: REQUESTER })).toMatchObject({
      reason: 'role_required',
    });
  });
});

describe('checkBannedPause', () => {
  const guards = { bannedPromptLimit: 3, bannedPromptWindowMs: 24 * HOUR };
  const now = 1_750_000_000_000;

  it('pauses at the limit until enough banned prompts leave the window', () => {
    expect(checkBannedPause([now - 2 * HOUR, now - HOUR], guards, now)).toEqual({ ok: true });
    const times = [now - 30 * HOUR, now - 5 * HOUR, now - 2 * HOUR, now - HOUR];
    expect(checkBannedPause(times, guards, now)).toEqual({
      ok: false,
      reason: 'paused',
      count: 3,
      until: now - 5 * HOUR + 24 * HOUR,
    });
    expect(checkBannedPause(times, guards, now + 19 * HOUR)).toEqual({ ok: true });
  });

  it('never pauses with a limit of 0', () => {
    expect(checkBannedPause([now, now, now, now], { ...guards, bannedPromptLimit: 0 }, now)).toEqual({ ok: true });
  });
});

describe('ensureMaySpend through the router', () => {
  function setup(opts: Parameters<typeof fakeContext>[2] = {}) {
    const events: string[] = [];
    const mj = fakeMj(events);
    const { ctx, route, store } = fakeContext(mj.api, { CLICK_POLICY: 'requester' }, opts);
    return { mj, ctx, route, store, rec: recorder(events) };
  }
  const editPrompt = () =>
    fakeMessage({
      ephemeral: true,
      raw: {
        content: 'edit',
        embeds: [],
        components: [
          { type: 1, components: [{ type: 2, style: 1, custom_id: `mjedit:p:${CHILD}`, label: 'Edit' }] },
        ] as never,
        allowed_mentions: { parse: [], users: [] },
      },
    });

  it('an edit-prompt button on an ephemeral message opens no form for a member who does not own the task', async () => {
    const t = setup();
    await t.store.owners.record({ taskId: CHILD, guildId: GUILD, userId: REQUESTER });
    await t.route(buttonClick(t.rec, { customId: `mjedit:p:${CHILD}`, message: editPrompt(), userId: STRANGER }));
    expect(t.rec.modals).toEqual([]);
    expect(lastContent(t.rec)).toBe(`🔒 Only <@${REQUESTER}>, who started this task, can use its buttons.`);
    expect(t.rec.replies.at(-1)?.body.flags).toBe(MessageFlags.Ephemeral);
  });

  it('a form with no message is checked against the task its ticket names, before any submit', async () => {
    const t = setup();
    await t.store.owners.record({ taskId: CHILD, guildId: GUILD, userId: REQUESTER });
    const form = { customId: `mjmodal:p::${CHILD}:`, prompt: 'not yours', message: null, userId: STRANGER };
    await t.route(modalSubmit(t.rec, form));
    expect(lastContent(t.rec)).toMatch(new RegExp(`^🔒 Only <@${REQUESTER}>`));
    expect(t.mj.requests).toEqual([]);
  });

  it('reads the owner from the task’s signed state when the store does not know it, and remembers it', async () => {
    const t = setup({ parentOwner: null });
    t.mj.tasks.set(PARENT, task({ state: submitState(t.ctx.stateKey, GUILD, REQUESTER) }));
    const message = fakeMessage();
    await t.route(
      buttonClick(t.rec, {
        customId: 'MJ::JOB::upsample::1::0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        message,
        userId: STRANGER,
      }),
    );
    expect(lastContent(t.rec)).toMatch(new RegExp(`^🔒 Only <@${REQUESTER}>`));
    expect((await t.store.owners.get(PARENT))?.userId).toBe(REQUESTER);
    expect(t.mj.requests).toEqual([]);
  });

  it('a click whose custom_id the message does not carry is refused without a request', async () => {
    const t = setup();
    const crafted = 'MJ::JOB::upsample::9::0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    await t.route(buttonClick(t.rec, { customId: crafted, message: fakeMessage(), crafted: true }));
    expect(lastContent(t.rec)).toMatch(/^⚠️ This button no longer matches any button of the task/);
    expect(t.mj.requests).toEqual([]);
  });
});
