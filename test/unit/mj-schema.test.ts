// The lenient MJ schemas against real fixtures and against hostile or odd task objects.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MjTaskListSchema, MjTaskSchema, SubmitResultSchema } from '../../src/mj/schema.js';
import { isTerminal, progressPercent, stateRank } from '../../src/mj/task.js';

const fixtureJson = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/mj/${name}`, import.meta.url), 'utf8')) as unknown;

const TASK_KEYS = [
  'action',
  'botType',
  'buttons',
  'description',
  'failReason',
  'finishTime',
  'id',
  'imageUrl',
  'mode',
  'progress',
  'prompt',
  'promptEn',
  'properties',
  'seed',
  'startTime',
  'state',
  'status',
  'submitTime',
  'version',
  'videoUrl',
  'videoUrls',
];

describe('fixtures', () => {
  it.each([
    'fetch-imagine-success-seed-example.json',
    'fetch-imagine-success-v6.1-newapi-shape-key4u.json',
    'fetch-imagine-success-dmxapi-aggregator.json',
  ])('%s parses as a SUCCESS task with buttons', (file) => {
    const task = MjTaskSchema.parse(fixtureJson(file));
    expect(task.status).toBe('SUCCESS');
    expect(task.action).toBe('IMAGINE');
    expect(task.submitTime).toBeGreaterThan(1_600_000_000_000);
    expect(task.finishTime).toBeGreaterThan(task.submitTime!);
    expect(task.buttons.every((b) => b.customId.startsWith('MJ::'))).toBe(true);
    expect(Object.keys(task).sort()).toEqual(TASK_KEYS);
  });

  it('the list-by-condition fixture parses as tasks', () => {
    const tasks = MjTaskListSchema.parse(fixtureJson('list-by-condition-newapi-shape-key4u.json'));
    expect(tasks.length).toBeGreaterThanOrEqual(1);
    expect(tasks.every((t) => t.id !== '' && t.status !== '')).toBe(true);
  });

  it.each(['notify-payload-success-nzk-docs.json', 'notify-payload-success-plus-docs.json'])(
    'notify payload %s parses as a task (no or empty buttons, failReason null)',
    (file) => {
      const task = MjTaskSchema.parse(fixtureJson(file));
      expect(task).toMatchObject({
        id: '14001929738841620',
        status: 'SUCCESS',
        failReason: '',
        buttons: [],
        state: '',
      });
      expect(task.properties).toEqual({ finalPrompt: 'Cat' });
      expect(task.imageUrl).toBe('https://cdn.discordapp.com/attachments/xxx/xxx/xxxx.png');
    },
  );

  it.each([
    ['submit-code1-success-nzk-docs.json', 1, '8498455807619990'],
    ['submit-code21-existed-nzk-docs.json', 21, '0741798445574458'],
    ['submit-code22-queued-nzk-docs.json', 22, '0741798445574458'],
    ['submit-code23-queue-full-nzk-docs.json', 23, '14001929738841620'],
    ['submit-code24-banned-nzk-docs.json', 24, null],
  ])('%s parses as a SubmitResult', (file, code, result) => {
    expect(SubmitResultSchema.parse(fixtureJson(file))).toMatchObject({ code, result });
  });

  it('the upload response keeps its array result', () => {
    const res = SubmitResultSchema.parse(fixtureJson('upload-discord-images-response-mjplus.json'));
    expect(res.code).toBe(1);
    expect(Array.isArray(res.result) && res.result.length).toBe(2);
  });
});

describe('odd and hostile tasks', () => {
  it('keeps status "" (new-api, just submitted) and upper-cases lowercase or padded statuses', () => {
    expect(MjTaskSchema.parse({ id: 'a', status: '' }).status).toBe('');
    expect(MjTaskSchema.parse({ id: 'a', status: 'success' }).status).toBe('SUCCESS');
    expect(MjTaskSchema.parse({ id: 'a', status: ' in_progress ' }).status).toBe('IN_PROGRESS');
  });

  it('turns nulls everywhere into defaults', () => {
    const nulls = Object.fromEntries(TASK_KEYS.filter((k) => k !== 'id').map((k) => [k, null]));
    expect(MjTaskSchema.parse({ id: 'x1', ...nulls })).toEqual({
      id: 'x1',
      action: '',
      status: '',
      progress: '',
      prompt: '',
      promptEn: '',
      description: '',
      state: '',
      submitTime: null,
      startTime: null,
      finishTime: null,
      imageUrl: null,
      failReason: '',
      buttons: [],
      properties: {},
      seed: null,
      mode: null,
      botType: null,
      version: null,
      videoUrl: null,
      videoUrls: [],
    });
  });

  it('accepts a task that is only an id', () => {
    const task = MjTaskSchema.parse({ id: 'only' });
    expect(task).toMatchObject({ id: 'only', status: '', buttons: [], properties: {}, submitTime: null });
  });

  it('rejects a task without an id, and a list drops it but keeps the others', () => {
    expect(MjTaskSchema.safeParse({ status: 'SUCCESS' }).success).toBe(false);
    expect(MjTaskSchema.safeParse({ id: null }).success).toBe(false);
    const list = MjTaskListSchema.parse([{ status: 'SUCCESS' }, null, 'x', { id: 'b' }]);
    expect(list.map((t) => t.id)).toEqual(['b']);
  });

  it('missing buttons, buttons null and buttons not an array all become []', () => {
    for (const buttons of [undefined, null, 'U1', { customId: 'x' }]) {
      expect(MjTaskSchema.parse({ id: 'a', buttons }).buttons).toEqual([]);
    }
  });

  it('a button missing fields gets defaults; non-object buttons are dropped', () => {
    const task = MjTaskSchema.parse({
      id: 'a',
      buttons: [
        { label: 'U1' },
        null,
        7,
        'x',
        { customId: 'MJ::JOB::upsample::1::u', emoji: null, type: '2', style: 'bad' },
      ],
    });
    expect(task.buttons).toEqual([
      { customId: '', emoji: '', label: 'U1', type: 2, style: 2 },
      { customId: 'MJ::JOB::upsample::1::u', emoji: '', label: '', type: 2, style: 2 },
    ]);
  });

  it('a numeric id becomes a string', () => {
    expect(MjTaskSchema.parse({ id: 1730621826053455 }).id).toBe('1730621826053455');
  });

  it("extra fields are dropped from the normalised task; the fork's mode and videoUrls are kept", () => {
    const task = MjTaskSchema.parse({ id: 'a', mode: 'fast', proxy: '', imageWidth: 0, videoUrls: [{ url: 'u' }] });
    expect(Object.keys(task).sort()).toEqual(TASK_KEYS);
    expect(task.mode).toBe('FAST');
    expect(task.videoUrls).toEqual([{ url: 'u', thumbnail: null }]);
  });

  it("keeps the fork's seed, botType, version and video results", () => {
    const task = MjTaskSchema.parse({
      id: 'a',
      seed: '1234',
      botType: 'NIJI_JOURNEY',
      version: 'niji 6',
      videoUrl: 'https://x/v.mp4',
      videoUrls: [{ url: 'https://x/v.mp4', thumbnail: 'https://x/t.png' }, { thumbnail: 'no url' }, 7],
    });
    expect(task).toMatchObject({
      seed: '1234',
      botType: 'NIJI_JOURNEY',
      version: 'niji 6',
      videoUrl: 'https://x/v.mp4',
    });
    expect(task.videoUrls).toEqual([{ url: 'https://x/v.mp4', thumbnail: 'https://x/t.png' }]);
  });

  it("the fork's Result.Fail envelope reads its message as the description", () => {
    expect(
      SubmitResultSchema.parse({ success: false, code: -1, message: '用户今日绘图次数已达上限', timestamp: '1' }),
    ).toEqual({
      code: -1,
      description: '用户今日绘图次数已达上限',
      result: null,
      properties: {},
    });
  });

  it('FAILURE at "100%" (aggregator timeout) stays a failure', () => {
    const task = MjTaskSchema.parse({
      id: 'a',
      status: 'FAILURE',
      progress: '100%',
      failReason: '上游任务超时（超过1小时）',
    });
    expect(task.status).toBe('FAILURE');
    expect(task.failReason).toBe('上游任务超时（超过1小时）');
    expect(isTerminal(task.status)).toBe(true);
    expect(progressPercent(task)).toBe(100);
    expect(stateRank(task)).toBe(stateRank({ status: 'SUCCESS', progress: '100%' }));
  });

  it('timestamps 0, negative or garbage are unknown (null); numeric strings are read', () => {
    const task = MjTaskSchema.parse({ id: 'a', submitTime: 0, startTime: -5, finishTime: 'soon' });
    expect([task.submitTime, task.startTime, task.finishTime]).toEqual([null, null, null]);
    expect(MjTaskSchema.parse({ id: 'a', submitTime: '1689231405854' }).submitTime).toBe(1689231405854);
  });

  it('imageUrl "" or blank is null; progress as a number becomes text; properties not an object becomes {}', () => {
    const task = MjTaskSchema.parse({ id: 'a', imageUrl: '  ', progress: 50, properties: ['x'] });
    expect(task.imageUrl).toBeNull();
    expect(task.progress).toBe('50');
    expect(task.properties).toEqual({});
    expect(MjTaskSchema.parse({ id: 'a', imageUrl: ' https://x/y.png ' }).imageUrl).toBe('https://x/y.png');
  });
});

describe('SubmitResultSchema', () => {
  it('reads new-api error envelopes, string codes, numeric results and missing properties', () => {
    expect(SubmitResultSchema.parse({ description: 'task_no_found ', type: 'upstream_error', code: 4 })).toEqual({
      code: 4,
      description: 'task_no_found ',
      result: null,
      properties: {},
    });
    expect(SubmitResultSchema.parse({ code: '22', result: 1320098173412546 })).toMatchObject({
      code: 22,
      result: '1320098173412546',
    });
  });

  it('rejects a body without a code', () => {
    expect(SubmitResultSchema.safeParse({ description: 'x' }).success).toBe(false);
    expect(SubmitResultSchema.safeParse({ code: 'one' }).success).toBe(false);
  });
});
