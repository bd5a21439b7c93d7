// shownStateOf reads back what contentLine wrote: the benchmark (and anything else that looks at the
// bot's messages) learns which state a message shows from the renderer's own reader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MjTaskSchema, type MjTask } from '../../src/mj/schema.js';
import { shownStateOf } from '../../src/render/task-content.js';
import { renderTask } from '../../src/render/task-message.js';
import { readTaskIdFromMessage } from '../../src/render/task-message-codec.js';

const REQUESTER = '123456789012345678';
const task = (over: Record<string, unknown> = {}): MjTask =>
  MjTaskSchema.parse({ id: '1730621826053455', action: 'IMAGINE', status: 'SUCCESS', prompt: 'a red fox', ...over });
const shown = (over: Record<string, unknown>, timedOut = false) =>
  shownStateOf(renderTask(task(over), { requesterId: REQUESTER, timedOut }).content);

describe('shownStateOf', () => {
  it('reads the state of every kind of task message, with or without a speed mode', () => {
    expect(shown({ status: 'SUBMITTED' })).toBe('Waiting to start');
    expect(shown({ status: 'NOT_START', mode: 'RELAX' })).toBe('Waiting to start');
    expect(shown({ status: '' })).toBe('Waiting to start');
    expect(shown({ status: 'IN_PROGRESS', progress: '46%', mode: 'FAST' })).toBe('46%');
    expect(shown({ status: 'IN_PROGRESS', progress: '0%' })).toBe('0%');
    expect(shown({ status: 'SUCCESS' })).toBe('');
    expect(shown({ status: 'SUCCESS', mode: 'TURBO' })).toBe('');
    expect(shown({ status: 'SUCCESS', action: 'UPSCALE', description: '/up 1 U2', mode: 'FAST' })).toBe('');
    expect(shown({ status: 'FAILURE', failReason: 'banned (really)' })).toBe('Failed');
    expect(shown({ status: 'IN_PROGRESS', progress: '31%' }, true)).toBe('Timed out');
    expect(shown({ status: 'IN_PROGRESS', progress: '62%', action: 'DESCRIBE', prompt: '' })).toBe('62%');
  });

  it('is not fooled by the prompt, whatever it holds', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 60 }), fc.string({ maxLength: 30, unit: 'binary' })),
        fc.constantFrom(0, 15, 31, 46, 62, 78, 93),
        (prompt, step) => {
          const payload = renderTask(task({ prompt, status: 'IN_PROGRESS', progress: `${step}%`, mode: 'FAST' }), {
            requesterId: REQUESTER,
          });
          expect(shownStateOf(payload.content)).toBe(`${step}%`);
          expect(readTaskIdFromMessage(payload)).toBe('1730621826053455');
        },
      ),
      { numRuns: 300 },
    );
    for (const prompt of ['*', '**', '\\', '\\*', 'a**b** - (1%)', '`**`'])
      expect(shown({ prompt, status: 'IN_PROGRESS', progress: '15%' })).toBe('15%');
    expect(shown({ prompt: 'a (cat) ** - (fast) (12%)', status: 'SUBMITTED' })).toBe('Waiting to start');
    expect(shown({ prompt: 'a (cat) ** - (93%)', status: 'SUCCESS' })).toBe('');
  });

  it('says null for content that is no task line', () => {
    expect(shownStateOf('')).toBeNull();
    expect(shownStateOf(undefined)).toBeNull();
    expect(shownStateOf('Submitted — following it in https://discord.com/channels/1/2/3')).toBeNull();
    expect(shownStateOf('**unclosed bold')).toBeNull();
    expect(shownStateOf('**bold** and prose (46%)')).toBeNull();
  });
});
