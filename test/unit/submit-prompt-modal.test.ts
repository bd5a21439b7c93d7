// The pure pieces behind the prompt forms: form tickets and edit-prompt ids, the Custom Zoom prompt,
// the prompt and requester read back from a task message, the used-button look, and the form builders
// checked against Discord's limits.
import { describe, expect, it } from 'vitest';
import { deriveStateKey, parseSubmitState, submitCallbacks, submitState } from '../../src/mj/submit-state.js';
import { encodeEditPromptId, parseComponentId } from '../../src/render/custom-ids.js';
import { decodeModalTicket, encodeModalTicket, type ModalTicket } from '../../src/render/modal-ticket.js';
import {
  escapeAndFit,
  markButtonUsed,
  promptFromMessage,
  unescapeEmbedPrompt,
} from '../../src/render/task-message-codec.js';
import { customZoomPrefill, isValidCustomZoomPrompt, zoomValueOf } from '../../src/submit/prompt.js';
import { buildEditPromptReply, buildPromptModal, PROMPT_INPUT_ID } from '../../src/submit/prompt-modal.js';
import { shortButtonKey } from '../../src/mj/custom-id.js';
import { messagePayloadViolations, modalViolations } from '../support/discord/validate.js';
import { ENGLISH } from '../../src/i18n/index.js';

const UUID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const ZOOM_ID = `MJ::CustomZoom::${UUID}`;
const LONGEST_ID = `MJ::JOB::upsample_v6r1_2x_creative::1::${UUID}::SOLO`;
const ID64 = 'a'.repeat(64);

describe('modal ticket custom_id', () => {
  it('round-trips Custom Zoom opened from the image (parent + button, no child)', () => {
    const ticket: ModalTicket = {
      kind: 'zoom',
      parentTaskId: '1730621826053455',
      childTaskId: null,
      buttonRef: ZOOM_ID,
    };
    const id = encodeModalTicket(ticket);
    expect(id).toBe(`mjmodal:z:1730621826053455::${ZOOM_ID}`);
    expect(decodeModalTicket(id)).toEqual(ticket);
  });

  it('round-trips a MODAL task prompt (child only)', () => {
    const ticket: ModalTicket = {
      kind: 'prompt',
      parentTaskId: null,
      childTaskId: '1730621826053456',
      buttonRef: null,
    };
    expect(decodeModalTicket(encodeModalTicket(ticket))).toEqual(ticket);
  });

  it('stays within 100 characters with 64-character ids: long customIds become short keys, a child drops the rest', () => {
    const withButton = encodeModalTicket({
      kind: 'prompt',
      parentTaskId: ID64,
      childTaskId: null,
      buttonRef: LONGEST_ID,
    });
    expect(withButton.length).toBeLessThanOrEqual(100);
    expect(decodeModalTicket(withButton)).toEqual({
      kind: 'prompt',
      parentTaskId: ID64,
      childTaskId: null,
      buttonRef: shortButtonKey(LONGEST_ID),
    });

    const withChild = encodeModalTicket({
      kind: 'zoom',
      parentTaskId: ID64,
      childTaskId: 'b'.repeat(64),
      buttonRef: LONGEST_ID,
    });
    expect(withChild.length).toBeLessThanOrEqual(100);
    expect(decodeModalTicket(withChild)).toMatchObject({ kind: 'zoom', childTaskId: 'b'.repeat(64) });
  });

  it('refuses to encode a ticket that could not be submitted, and decodes nothing foreign', () => {
    expect(() => encodeModalTicket({ kind: 'zoom', parentTaskId: '1', childTaskId: null, buttonRef: null })).toThrow();
    expect(() =>
      encodeModalTicket({ kind: 'zoom', parentTaskId: null, childTaskId: 'bad/id', buttonRef: null }),
    ).toThrow();
    for (const bad of [
      '',
      'mjmodal:',
      'mjmodal:x:1::MJ::a',
      'mjmodal:z:1::',
      'mjmodal:z:1::notabutton',
      'mjmodal:z:a/b::MJ::x',
      'other:z:1:2:',
      `mjmodal:z:1::${'MJ::'.padEnd(100, 'x')}`,
    ]) {
      expect(decodeModalTicket(bad)).toBeNull();
    }
  });

  it('edit-prompt button ids round-trip and fit', () => {
    const id = encodeEditPromptId('zoom', ID64);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(parseComponentId(id)).toEqual({ kind: 'edit-prompt', promptKind: 'zoom', childTaskId: ID64 });
    expect(parseComponentId('mjedit:p:1730621826053456')).toEqual({
      kind: 'edit-prompt',
      promptKind: 'prompt',
      childTaskId: '1730621826053456',
    });
    // Ours, but no longer usable: answered "press the button again", never submitted.
    expect(parseComponentId('mjedit:q:1')).toEqual({ kind: 'expired', namespace: 'edit-prompt' });
    expect(parseComponentId('mjedit:p:a:b')).toEqual({ kind: 'expired', namespace: 'edit-prompt' });
  });
});

describe('Custom Zoom prompt', () => {
  it('replaces an old --zoom with --zoom 2 and keeps --ar', () => {
    expect(customZoomPrefill('a red fox --ar 3:2 --zoom 1.5 --v 6')).toBe('a red fox --ar 3:2 --v 6 --zoom 2');
    expect(customZoomPrefill('a red fox --aspect 16:9')).toBe('a red fox --aspect 16:9 --zoom 2');
  });

  it("adds Midjourney's default --ar 1:1 when the prompt has none", () => {
    expect(customZoomPrefill('a red fox')).toBe('a red fox --ar 1:1 --zoom 2');
    expect(customZoomPrefill('')).toBe('--ar 1:1 --zoom 2');
  });

  it('cuts the prompt, never the parameters, to fit 4000 characters', () => {
    const prefill = customZoomPrefill('x'.repeat(5000));
    expect(prefill.length).toBeLessThanOrEqual(4000);
    expect(prefill.endsWith(' --ar 1:1 --zoom 2')).toBe(true);
  });

  it('accepts --zoom from 1 to 2 only', () => {
    expect(zoomValueOf('cat --zoom 1.25')).toBe(1.25);
    expect(zoomValueOf('cat')).toBeNull();
    expect(Number.isNaN(zoomValueOf('cat --zoom big'))).toBe(true);
    expect(isValidCustomZoomPrompt('cat --ar 1:1 --zoom 1')).toBe(true);
    expect(isValidCustomZoomPrompt('cat --zoom 2')).toBe(true);
    expect(isValidCustomZoomPrompt('cat --zoom 2.5')).toBe(false);
    expect(isValidCustomZoomPrompt('cat --zoom 0.5')).toBe(false);
    expect(isValidCustomZoomPrompt('cat --zoom')).toBe(false);
    expect(isValidCustomZoomPrompt('cat')).toBe(false);
  });
});

describe('prompt read back from a task message', () => {
  it('undoes the renderer escaping exactly', () => {
    const prompt = 'a *bold* cat_with \\ `ticks` <tag> https://s.mj.run/abc?x=1 # [x] | ~~ --ar 16:9';
    expect(unescapeEmbedPrompt(escapeAndFit(prompt, 4096))).toBe(prompt);
    expect(promptFromMessage({ embeds: [{ description: escapeAndFit(prompt, 4096) }] })).toBe(prompt);
    expect(promptFromMessage({ embeds: [] })).toBe('');
    expect(promptFromMessage(null)).toBe('');
  });
});

describe('markButtonUsed', () => {
  const rows = [
    {
      type: 1 as const,
      components: [
        { type: 2 as const, style: 2 as const, custom_id: 'MJ::JOB::upsample::1::u', label: 'U1' },
        { type: 2 as const, style: 2 as const, custom_id: 'MJ::JOB::upsample::2::u', label: 'U2' },
      ],
    },
    {
      type: 1 as const,
      components: [{ type: 2 as const, style: 5 as const, url: 'https://x.test/a.png', label: 'Open image' }],
    },
  ];

  it('turns only the clicked button Primary and keeps everything else', () => {
    const out = markButtonUsed(rows, 'MJ::JOB::upsample::2::u');
    expect(out?.[0]?.components[1]).toEqual({ type: 2, style: 1, custom_id: 'MJ::JOB::upsample::2::u', label: 'U2' });
    expect(out?.[0]?.components[0]).toEqual(rows[0]?.components[0]);
    expect(out?.[1]).toEqual(rows[1]);
  });

  it('returns null when nothing changes', () => {
    expect(markButtonUsed(rows, 'MJ::nope')).toBeNull();
    const used = markButtonUsed(rows, 'MJ::JOB::upsample::1::u') ?? [];
    expect(markButtonUsed(used, 'MJ::JOB::upsample::1::u')).toBeNull();
  });
});

describe('submitCallbacks', () => {
  const key = deriveStateKey({ discordToken: 'token-one', mjApiKey: 'key-one' });
  it('sends notifyHook only when configured, and a short signed state', () => {
    expect(submitCallbacks(undefined, key, '1', '2')).toEqual({
      state: expect.stringMatching(/^mjtask-bot:1:2:[0-9a-f]{16}$/),
    });
    expect(submitCallbacks('https://bot.test/notify/s', key, null, '2')).toEqual({
      notifyHook: 'https://bot.test/notify/s',
      state: expect.stringMatching(/^mjtask-bot:dm:2:[0-9a-f]{16}$/),
    });
  });
});

describe('submit state signature', () => {
  const key = deriveStateKey({ discordToken: 'token-one', mjApiKey: 'key-one' });
  const guild = '123456789012345678';
  const user = '223456789012345678';

  it('reads back what it signed, within the 255-character state limit', () => {
    const state = submitState(key, guild, user);
    expect(state.length).toBeLessThanOrEqual(255);
    expect(parseSubmitState(state, key)).toEqual({ guildId: guild, userId: user });
    expect(parseSubmitState(submitState(key, null, user), key)).toEqual({ guildId: null, userId: user });
  });

  it('treats an unsigned, forged or foreign-key state as not ours', () => {
    const state = submitState(key, guild, user);
    expect(parseSubmitState(`mjtask-bot:${guild}:${user}`, key)).toBeNull();
    expect(parseSubmitState(state.replace(user, '323456789012345678'), key)).toBeNull();
    expect(parseSubmitState(`${state.slice(0, -1)}${state.endsWith('0') ? '1' : '0'}`, key)).toBeNull();
    const other = deriveStateKey({ discordToken: 'token-two', mjApiKey: 'key-one' });
    expect(parseSubmitState(state, other)).toBeNull();
    expect(parseSubmitState(null, key)).toBeNull();
  });

  it("names the submit's click record when it has one, signed with the rest", () => {
    const state = submitState(key, guild, user, 4_321);
    expect(state).toMatch(/^mjtask-bot:\d+:\d+:c4321:[0-9a-f]{16}$/);
    expect(state.length).toBeLessThanOrEqual(255);
    expect(parseSubmitState(state, key)).toEqual({ guildId: guild, userId: user, clickId: 4_321 });
    expect(parseSubmitState(submitState(key, null, user, Number.MAX_SAFE_INTEGER), key)).toEqual({
      guildId: null,
      userId: user,
      clickId: Number.MAX_SAFE_INTEGER,
    });
    // Another click, or none, under the same signature: forged.
    expect(parseSubmitState(state.replace(':c4321:', ':c4322:'), key)).toBeNull();
    expect(parseSubmitState(state.replace(':c4321:', ':'), key)).toBeNull();
    // No record (0, a fraction): the state names none.
    expect(submitState(key, guild, user, 0)).toBe(submitState(key, guild, user));
    expect(submitState(key, guild, user, 1.5)).toBe(submitState(key, guild, user));
  });
});

describe('buildPromptModal and buildEditPromptReply', () => {
  it("keeps within Discord's modal limits and prefills the prompt", () => {
    const modal = buildPromptModal(
      ENGLISH,
      { kind: 'prompt', parentTaskId: null, childTaskId: ID64, buttonRef: null },
      'y'.repeat(5000),
      'A very long button label that goes on and on',
    );
    expect(modal.title.length).toBeLessThanOrEqual(45);
    expect(modal.custom_id.length).toBeLessThanOrEqual(100);
    const label = modal.components[0] as {
      type: number;
      label: string;
      component: { custom_id: string; value?: string; max_length?: number; required?: boolean };
    };
    expect(label.type).toBe(18);
    expect(label.label.length).toBeLessThanOrEqual(45);
    expect(label.component.custom_id).toBe(PROMPT_INPUT_ID);
    expect(label.component.value?.length).toBe(4000);
    expect(label.component.required).toBe(false);
  });

  it("passes the Discord stand-in's modal rules for both kinds", () => {
    for (const ticket of [
      { kind: 'zoom' as const, parentTaskId: ID64, childTaskId: null, buttonRef: ZOOM_ID },
      { kind: 'prompt' as const, parentTaskId: null, childTaskId: ID64, buttonRef: null },
    ]) {
      expect(modalViolations(buildPromptModal(ENGLISH, ticket, customZoomPrefill('a cat'), 'Vary (Strong)'))).toEqual(
        [],
      );
    }
  });

  it('Custom Zoom requires a prompt; an empty prefill sends no value', () => {
    const modal = buildPromptModal(
      ENGLISH,
      { kind: 'zoom', parentTaskId: '1', childTaskId: null, buttonRef: ZOOM_ID },
      '',
      'Custom Zoom',
    );
    expect(modal.title).toBe('Custom Zoom');
    const input = (modal.components[0] as { component: { required?: boolean; value?: string } }).component;
    expect(input.required).toBe(true);
    expect('value' in input).toBe(false);
  });

  it('the edit-prompt reply carries the prompt where promptFromMessage reads it, and the button', () => {
    const reply = buildEditPromptReply(ENGLISH, 'prompt', '1730621826053456', 'a *cat* https://x.test/a');
    expect(promptFromMessage(reply)).toBe('a *cat* https://x.test/a');
    const button = reply.components[0]?.components[0] as { custom_id: string; label: string };
    expect(button).toMatchObject({ custom_id: 'mjedit:p:1730621826053456', label: '✏️ Edit prompt & submit' });
    expect(
      messagePayloadViolations({ content: 'x', ...buildEditPromptReply(ENGLISH, 'zoom', ID64, 'z'.repeat(5000)) }),
    ).toEqual([]);
  });
});
