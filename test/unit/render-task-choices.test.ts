// /mjtask's suggestions (pure): `<id> · <status> · <prompt>` within Discord's 100 characters, at most
// 25, the prompt redacted before it is cut, the value the id itself.
import { describe, expect, it } from 'vitest';
import { taskChoices, type OwnedTaskSummary } from '../../src/render/task-choices.js';

const row = (extra: Partial<OwnedTaskSummary> = {}): OwnedTaskSummary => ({
  taskId: '1730621826053455',
  prompt: 'a fox in snow',
  lastStatus: 'IN_PROGRESS',
  lastProgress: '46%',
  phase: 'active',
  ...extra,
});
const same = (text: string) => text;

describe('taskChoices', () => {
  it('names the id, how the task stands and its prompt', () => {
    expect(taskChoices([row()], same)).toEqual([
      { name: '1730621826053455 · Running (46%) · a fox in snow', value: '1730621826053455' },
    ]);
    expect(taskChoices([row({ lastStatus: 'SUCCESS', phase: 'done' })], same)[0]!.name).toBe(
      '1730621826053455 · Done · a fox in snow',
    );
    expect(taskChoices([row({ phase: 'timed_out' })], same)[0]!.name).toBe(
      '1730621826053455 · Timed out · a fox in snow',
    );
  });

  it('leaves out what the store does not know', () => {
    expect(taskChoices([row({ lastStatus: null, phase: null, prompt: null })], same)[0]!.name).toBe('1730621826053455');
    expect(taskChoices([row({ lastStatus: null, phase: null })], same)[0]!.name).toBe(
      '1730621826053455 · a fox in snow',
    );
  });

  it('cuts a long prompt to fit 100 characters, on one line, after redacting it', () => {
    const secret = 'sk-abcdefghijklmnop';
    const prompt = `a cathedral\n\n${secret} of glass ${'x'.repeat(200)}`;
    const redact = (t: string) => t.replaceAll(secret, '[redacted]');
    const [choice] = taskChoices([row({ prompt })], redact);
    expect([...choice!.name].length).toBeLessThanOrEqual(100);
    expect(choice!.name).toMatch(/^1730621826053455 · Running \(46%\) · a cathedral \[redacted\] of glass x+…$/);
    expect(choice!.name).not.toContain('sk-abc');
    expect(choice!.name.endsWith('…')).toBe(true);
  });

  it('gives at most 25 choices', () => {
    const many = Array.from({ length: 40 }, (_, i) => row({ taskId: String(1730621826053400 + i) }));
    expect(taskChoices(many, same)).toHaveLength(25);
  });
});
