// Every custom_id namespace the bot mints round-trips through parseComponentId, and anything else is
// refused: the router's one decode.
import { describe, expect, it } from 'vitest';
import { shortButtonKey } from '../../src/mj/custom-id.js';
import {
  encodeEditPromptId,
  encodeMjButtonId,
  encodePromptFormId,
  parseComponentId,
  taskIdOfComponent,
} from '../../src/render/custom-ids.js';
import type { ModalTicket } from '../../src/render/modal-ticket.js';

const UUID = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const U1 = `MJ::JOB::upsample::1::${UUID}`;
const PARENT = '1730621826053455';
const CHILD = '1730621826053456';

describe('parseComponentId', () => {
  it('an MJ customId that fits is its own custom_id, and parses back to it', () => {
    const id = encodeMjButtonId(U1);
    expect(id).toBe(U1);
    expect(parseComponentId(id)).toEqual({ kind: 'mj-button', discordCustomId: U1, customId: U1 });
    expect(taskIdOfComponent(parseComponentId(id)!)).toBeNull();
  });

  it('a customId over 100 characters becomes an mjk: key, which parses as a button to resolve against the task', () => {
    const long = `MJ::JOB::${'x'.repeat(100)}::1::${UUID}`;
    const id = encodeMjButtonId(long);
    expect(id).toBe(shortButtonKey(long));
    expect(id).toMatch(/^mjk:[0-9a-f]{16}$/);
    expect(parseComponentId(id)).toEqual({ kind: 'mj-button', discordCustomId: id, customId: null });
  });

  it('a customId outside MJ:: is keyed too, so it cannot collide with the bot own ids', () => {
    const id = encodeMjButtonId('mjedit:p:1');
    expect(parseComponentId(id)?.kind).toBe('mj-button');
  });

  it('edit-prompt ids round-trip for both prompt kinds and carry the task', () => {
    for (const promptKind of ['zoom', 'prompt'] as const) {
      const id = encodeEditPromptId(promptKind, CHILD);
      const parsed = parseComponentId(id);
      expect(parsed).toEqual({ kind: 'edit-prompt', promptKind, childTaskId: CHILD });
      expect(taskIdOfComponent(parsed!)).toBe(CHILD);
    }
  });

  it('form tickets round-trip, with a child task or with a parent and a button (long buttons as keys)', () => {
    const tickets: ModalTicket[] = [
      { kind: 'prompt', parentTaskId: null, childTaskId: CHILD, buttonRef: null },
      { kind: 'zoom', parentTaskId: PARENT, childTaskId: null, buttonRef: `MJ::CustomZoom::${UUID}` },
    ];
    for (const ticket of tickets) {
      const parsed = parseComponentId(encodePromptFormId(ticket));
      expect(parsed).toEqual({ kind: 'prompt-form', ticket });
      expect(taskIdOfComponent(parsed!)).toBe(ticket.childTaskId ?? ticket.parentTaskId);
    }
    const longRef = `MJ::JOB::upsample_v6r1_2x_creative::1::${UUID}::SOLO`;
    const parsed = parseComponentId(
      encodePromptFormId({ kind: 'prompt', parentTaskId: 'a'.repeat(64), childTaskId: null, buttonRef: longRef }),
    );
    expect(parsed).toMatchObject({ kind: 'prompt-form', ticket: { buttonRef: shortButtonKey(longRef) } });
  });

  it('our own namespaces with unusable contents are expired, not unknown', () => {
    expect(parseComponentId('mjedit:q:1')).toEqual({ kind: 'expired', namespace: 'edit-prompt' });
    expect(parseComponentId('mjmodal:p:::')).toEqual({ kind: 'expired', namespace: 'prompt-form' });
    expect(taskIdOfComponent({ kind: 'expired', namespace: 'prompt-form' })).toBeNull();
  });

  it('anything else is not a component of this bot', () => {
    for (const id of ['', 'hello', 'mj::JOB::upsample::1', 'MJK:0123', 'modal:p:1'])
      expect(parseComponentId(id)).toBeNull();
  });
});
