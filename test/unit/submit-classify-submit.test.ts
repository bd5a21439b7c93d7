import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// The submit classifier over every dialect's answers, and the sentence each refusal is worded with.
import {
  classifySubmit,
  queuePositionOf,
  resultTaskIds,
  type SubmitContext,
} from '../../src/submit/classify-submit.js';
import { SubmitResultSchema, type SubmitResult } from '../../src/mj/schema.js';
import { rejectionSentence } from '../../src/replies/submit.js';
import { ENGLISH } from '../../src/i18n/index.js';

/** A classifier context plus the label the member's sentence names. */
type LabelledContext = SubmitContext & { label: string };

const fixture = (name: string): SubmitResult =>
  SubmitResultSchema.parse(JSON.parse(readFileSync(new URL(`../fixtures/mj/${name}`, import.meta.url), 'utf8')));
const result = (body: Record<string, unknown>): SubmitResult => SubmitResultSchema.parse(body);

const click: LabelledContext = { route: 'action', label: 'U1', parentTaskId: '1730621826053455' };
const imagine: LabelledContext = { route: 'imagine', label: '/imagine' };

describe('classifySubmit: the fixtures', () => {
  it('code 1 is accepted with the new task id', () => {
    expect(classifySubmit(fixture('submit-code1-success-nzk-docs.json'), click)).toEqual({
      kind: 'accepted',
      taskId: '8498455807619990',
      moreTaskIds: [],
      queuePosition: null,
    });
  });

  it('code 22 is accepted with its queue position (1 task ahead = position 2)', () => {
    const outcome = classifySubmit(fixture('submit-code22-queued-nzk-docs.json'), click);
    expect(outcome).toEqual({ kind: 'accepted', taskId: '0741798445574458', moreTaskIds: [], queuePosition: 2 });
  });

  it('code 21 with a status is the existing task, not a new one', () => {
    expect(classifySubmit(fixture('submit-code21-existed-nzk-docs.json'), click)).toEqual({
      kind: 'existing',
      taskId: '0741798445574458',
      status: 'SUCCESS',
    });
  });

  it('code 23 is queue full, even though NZK sends an id with it', () => {
    const outcome = classifySubmit(fixture('submit-code23-queue-full-nzk-docs.json'), click);
    expect(outcome).toMatchObject({ kind: 'rejected', reason: 'queue_full', code: 23 });
    if (outcome.kind === 'rejected')
      expect(rejectionSentence(ENGLISH, outcome, click.label)).toMatch(/queue is full.*Nothing was submitted/);
  });

  it('code 24 names the banned word', () => {
    const outcome = classifySubmit(fixture('submit-code24-banned-nzk-docs.json'), imagine);
    expect(outcome).toMatchObject({ kind: 'rejected', reason: 'banned_prompt' });
    if (outcome.kind === 'rejected') expect(rejectionSentence(ENGLISH, outcome, imagine.label)).toContain('`nude`');
  });
});

describe('classifySubmit: Remix and pop-ups', () => {
  it("FORK's code 21 'Waiting for window confirm' is the modal flow, with the final prompt", () => {
    const r = result({
      code: 21,
      description: 'Waiting for window confirm',
      result: '1730000000000001',
      properties: { finalPrompt: 'a cat --ar 1:1', remix: true },
    });
    expect(classifySubmit(r, click)).toEqual({
      kind: 'needs_modal',
      taskId: '1730000000000001',
      finalPrompt: 'a cat --ar 1:1',
    });
  });

  it("code 21 whose description mentions 'confirm' is the modal flow even without properties", () => {
    const r = result({ code: 21, description: 'Waiting for window confirm', result: '1730000000000001' });
    expect(classifySubmit(r, click)).toEqual({ kind: 'needs_modal', taskId: '1730000000000001', finalPrompt: null });
  });

  it('behind an aggregator, code 1 whose new task is MODAL is the modal flow', () => {
    const r = result({ code: 1, description: '提交成功', result: '1730000000000002' });
    const newTask = { id: '1730000000000002', status: 'MODAL', prompt: 'a dog', properties: {} };
    expect(classifySubmit(r, { ...click, newTask })).toEqual({
      kind: 'needs_modal',
      taskId: '1730000000000002',
      finalPrompt: 'a dog',
    });
    // The same answer with a task that is simply queued stays accepted.
    expect(classifySubmit(r, { ...click, newTask: { ...newTask, status: '' } }).kind).toBe('accepted');
  });

  it("FORK's BOOKMARK answer (code 1, result = the parent) starts no new task", () => {
    const r = result({ code: 1, description: '提交成功', result: click.parentTaskId });
    expect(classifySubmit(r, click)).toEqual({ kind: 'no_new_task', taskId: click.parentTaskId });
  });

  it('PicReader::all ids ("id1,id2") become one task and more', () => {
    expect(classifySubmit(result({ code: 1, result: '111,222,333' }), click)).toMatchObject({
      kind: 'accepted',
      taskId: '111',
      moreTaskIds: ['222', '333'],
    });
    expect(resultTaskIds(['1', 'bad id', '2'])).toEqual(['1', '2']);
  });
});

describe('classifySubmit: refusals', () => {
  const reject = (body: Record<string, unknown>, ctx: LabelledContext = click) => {
    const outcome = classifySubmit(result(body), ctx);
    if (outcome.kind !== 'rejected') throw new Error(`expected a rejection, got ${outcome.kind}`);
    return { ...outcome, message: rejectionSentence(ENGLISH, outcome, ctx.label) };
  };

  it("new-api's unknown_action says this server cannot run the button, by its label", () => {
    const outcome = reject(
      { code: 4, description: 'unknown_action:MJ::BOOKMARK::abc' },
      { ...click, label: 'Bookmark' },
    );
    expect(outcome.reason).toBe('unsupported_action');
    expect(outcome.message).toBe('🚫 This server cannot run Bookmark. Nothing was submitted.');
  });

  it('code 3 is a lost task, or no account when the API says so', () => {
    expect(reject({ code: 3, description: '关联任务不存在或已失效' }).reason).toBe('task_not_found');
    expect(reject({ code: 3, description: '无可用的账号实例' }).reason).toBe('no_account');
  });

  it('code 4 tells a parent that is not done from an already-sent prompt, limits and plain validation', () => {
    expect(reject({ code: 4, description: '关联任务状态错误' }).reason).toBe('parent_not_ready');
    expect(reject({ code: 4, description: 'task_status_not_success' }).reason).toBe('parent_not_ready');
    // Said under a finished grid: worded as the server refusing, in its own words, not as "not finished".
    const said = reject({ code: 4, description: '关联任务状态错误' }).message;
    expect(said).toBe(
      '⚠️ The Midjourney API would not run U1 on this task (the API said: `关联任务状态错误`). Nothing was submitted.',
    );
    expect(said).not.toMatch(/not finished/);
    expect(reject({ code: 4, description: '关联任务状态错误' }, { route: 'modal', label: 'Remix' }).reason).toBe(
      'already_submitted',
    );
    expect(reject({ code: 4, description: 'task_not_found' }).reason).toBe('task_not_found');
    expect(reject({ code: 4, description: '并发数已达上限' }).reason).toBe('account_limit');
    const invalid = reject({ code: 4, description: 'prompt不能为空' });
    expect(invalid.reason).toBe('invalid');
    expect(invalid.message).toContain('prompt不能为空');
  });

  it('code 9 is queue full when FORK says so, otherwise a failure', () => {
    expect(reject({ code: 9, description: '提交失败，队列已满，请稍后重试' }).reason).toBe('queue_full');
    const failure = reject({ code: 9, description: '提交失败，系统异常' });
    expect(failure.reason).toBe('failure');
    expect(failure.message).toMatch(/could not submit U1/);
  });

  it('an accepted code without a task id, and an unknown code, are explained', () => {
    expect(reject({ code: 1, description: 'ok', result: null }).reason).toBe('no_task_id');
    const unknown = reject({ code: 5, description: 'MjErrorUnknown' });
    expect(unknown.reason).toBe('unknown_code');
    expect(unknown.message).toContain('code 5');
  });

  it('quotes an API description on one line, without backticks, and short', () => {
    const message = reject({ code: 4, description: 'bad `thing`\nsecond line ' + 'x'.repeat(1000) }).message;
    expect(message).not.toContain('\n');
    expect(message).toContain("bad 'thing' second line");
    expect(message.length).toBeLessThan(450);
  });
});

describe('queuePositionOf', () => {
  it('reads numberOfQueues, else the number in the description', () => {
    expect(queuePositionOf(result({ code: 22, properties: { numberOfQueues: 0 } }))).toBe(1);
    expect(queuePositionOf(result({ code: 22, description: '排队中，前面还有3个任务' }))).toBe(4);
    expect(queuePositionOf(result({ code: 22, description: 'queued' }))).toBeNull();
  });
});

describe('classifySubmit: what each real server answers', () => {
  it('plus\'s code 21 "窗口等待" without properties waits for /submit/modal', () => {
    const r = result({ code: 21, description: '窗口等待', result: '1730000000000003' });
    expect(classifySubmit(r, click)).toEqual({ kind: 'needs_modal', taskId: '1730000000000003', finalPrompt: null });
  });

  it("the fork's PicReader finalPrompt loses its keycap", () => {
    const r = result({
      code: 21,
      description: 'Waiting for window confirm',
      result: '1730000000000004',
      properties: { finalPrompt: '2\uFE0F\u20E3 a red fox in snow --ar 3:2', remix: true },
    });
    expect(classifySubmit(r, click)).toMatchObject({ kind: 'needs_modal', finalPrompt: 'a red fox in snow --ar 3:2' });
  });

  it('a new-api code 1 that keeps numberOfQueues keeps the queue position', () => {
    const r = result({
      code: 1,
      description: '排队中，前面还有2个任务',
      result: '1730000000000005',
      properties: { numberOfQueues: 2 },
    });
    expect(classifySubmit(r, click)).toMatchObject({ kind: 'accepted', queuePosition: 3 });
  });

  it.each([
    ['用户今日绘图次数已达上限', 'account_limit'],
    ['并发数已达上限', 'account_limit'],
    ['账号已被临时封锁，请稍后再试', 'account_limit'],
    ['服务暂不可用', 'invalid'],
  ])("the fork's {success:false, code:-1, message:%j} is refused with its own text", (message, reason) => {
    const r = result({ success: false, code: -1, message, timestamp: '638700000000000000' });
    const outcome = classifySubmit(r, click);
    expect(outcome).toMatchObject({ kind: 'rejected', reason, description: message });
    if (outcome.kind === 'rejected') expect(rejectionSentence(ENGLISH, outcome, 'V1')).toContain(message);
  });
});
