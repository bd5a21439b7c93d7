// Every error a member can meet, end to end, by a member whose Discord is in Simplified Chinese: what
// they gave that cannot be used (a new task's images and options), every reason the API refuses a
// submit for, and every way the API fails (src/mj/errors.ts). Each private answer is the zh-CN
// sentence of its reason, in Chinese with no English left; the API's own words are quoted as they came
// (support-zh-cn-every.ts runs the tables).
import { afterAll, beforeAll, describe } from 'vitest';
import type { AuthProblem, MjErrorKind, UnusableAnswer } from '../../src/mj/errors.js';
import type { NewTaskInputProblem, RejectReason } from '../../src/replies/reasons.js';
import type { Harness } from '../support/harness.js';
import { startTrackingHarness } from '../support/tracking-e2e.js';
import { buttonIdWith } from './support-clicks.js';
import { png } from './support-new-tasks.js';
import {
  clickU1With,
  command,
  mjtaskWith,
  ownGrid,
  runCases,
  type Case,
  type Elsewhere,
} from './support-zh-cn-every.js';
import { zhForm, zhSubmit } from './support-zh-cn.js';

let a: Harness;
let b: Harness;
beforeAll(async () => {
  [a, b] = await Promise.all([
    startTrackingHarness({ env: { CLICK_POLICY: 'requester', MJ_TIMEOUT_MS: '500', ATTACHMENT_MAX_MB: '1' } }),
    // novicezk/midjourney-proxy has no /shorten and takes no speed.
    startTrackingHarness({ dialect: 'nzk' }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});
const bots = { a: () => a, b: () => b };

const INPUT_PROBLEMS: { [P in NewTaskInputProblem['reason']]: Case | Elsewhere } = {
  attachment_not_image: {
    key: 'input.attachment_not_image',
    allowed: ['notes.txt', 'image1', 'text/plain'],
    drive: (h, member) =>
      command(
        h,
        'imagine',
        { prompt: 'a fox', image1: { filename: 'notes.txt', bytes: Buffer.from('just words') } },
        member,
      ),
  },
  attachment_too_large: {
    key: 'input.attachment_too_large',
    allowed: ['huge.png', 'image1'],
    drive: (h, member) => command(h, 'imagine', { prompt: 'a fox', image1: png('huge.png', 2 * 1024 * 1024) }, member),
  },
  attachment_not_on_cdn: {
    unreachable:
      'every attachment Discord sends lives on its CDN; the check stops a payload that says otherwise (test/unit/attachment-check.test.ts), which a client cannot make Discord send',
  },
  attachment_bytes_not_image: {
    key: 'input.attachment_bytes_not_image',
    allowed: ['image1'],
    drive: (h, member) =>
      command(
        h,
        'imagine',
        { prompt: 'a fox', image1: { filename: 'fake.png', bytes: Buffer.from('<html>no</html>') } },
        member,
      ),
  },
  attachment_bytes_too_large: {
    unreachable:
      "Discord's size of an upload is its size: the bytes outgrow it only when the CDN lies (test/unit/attachment-download.test.ts)",
  },
  attachment_download_failed: {
    key: 'input.attachment_download_failed',
    allowed: ['image1'],
    drive: (h, member) =>
      command(h, 'imagine', { prompt: 'a fox', image1: { ...png('gone.png'), cdnStatus: 404 } }, member),
  },
  image_url_invalid: {
    key: 'input.image_url_invalid',
    allowed: ['url', 'https'],
    drive: (h, member) => command(h, 'describe', { url: 'ftp://example.com/a.png' }, member),
  },
  option_unsupported: {
    key: 'input.option_unsupported',
    on: 'b',
    allowed: ['novicezk/midjourney-proxy', 'speed'],
    drive: (h, member) => command(h, 'imagine', { prompt: 'a cat', speed: 'relax' }, member),
  },
  too_few_images: {
    unreachable: "/blend's image1 and image2 are required options: Discord sends no /blend with fewer than two",
  },
  one_image_needed: {
    key: 'input.one_image_needed',
    allowed: ['/describe', 'image', 'url'],
    drive: (h, member) => command(h, 'describe', {}, member),
  },
  command_unsupported: {
    key: 'input.command_unsupported',
    on: 'b',
    allowed: ['novicezk/midjourney-proxy', '/shorten'],
    drive: (h, member) => command(h, 'shorten', { prompt: 'a very long prompt about a cat' }, member),
  },
  task_image_unavailable: { elsewhere: ['new-task-describe-again.test.ts', 'image'] },
};

describe('what a zh-CN member gave cannot be used', () => {
  runCases(bots, INPUT_PROBLEMS, false);
});

const REJECTIONS: { [R in RejectReason]: Case } = {
  unsupported_action: {
    key: 'submit.unsupported_action',
    allowed: ['U1'],
    drive: (h, m) => clickU1With(h, m, { code: 4, description: 'unknown_action:MJ::JOB::upsample::1::x' }),
  },
  parent_not_ready: {
    key: 'submit.parent_not_ready',
    allowed: ['U1'],
    drive: (h, m) => clickU1With(h, m, { code: 4, description: '关联任务状态错误' }),
  },
  already_submitted: {
    key: 'submit.already_submitted',
    drive: async (h, member) => {
      const upscale = await ownGrid(h, member, 'UPSCALE');
      const form = await zhForm(h, upscale, buttonIdWith(h, upscale, 'MJ::CustomZoom::'), { user: member });
      h.mj.nextSubmit('modal', { code: 4, description: '关联任务状态错误' });
      return zhSubmit(h, form, 'a tea house --ar 1:1 --zoom 1.5', { user: member });
    },
  },
  task_not_found: {
    key: 'submit.task_not_found',
    drive: (h, m) => clickU1With(h, m, { code: 3, description: '任务不存在' }),
  },
  no_account: {
    key: 'submit.no_account',
    drive: (h, m) => clickU1With(h, m, { code: 3, description: '无可用的账号实例' }),
  },
  queue_full: {
    key: 'submit.queue_full',
    drive: (h, m) => clickU1With(h, m, { code: 23, description: '队列已满，请稍后尝试' }),
  },
  account_limit: {
    key: 'submit.account_limit',
    drive: (h, m) => clickU1With(h, m, { code: 4, description: '今日绘图已达上限' }),
  },
  banned_prompt: {
    key: 'submit.banned_prompt',
    drive: (h, m) => clickU1With(h, m, { code: 24, description: '可能包含敏感词', properties: {} }),
  },
  invalid: {
    key: 'submit.invalid',
    allowed: ['U1'],
    drive: (h, m) => clickU1With(h, m, { code: 4, description: '参数错误' }),
  },
  failure: {
    key: 'submit.failure',
    allowed: ['U1'],
    drive: (h, m) => clickU1With(h, m, { code: 9, description: '提交失败' }),
  },
  no_task_id: {
    key: 'submit.no_task_id',
    allowed: ['U1', '/mjtask'],
    drive: (h, m) => clickU1With(h, m, { code: 1, description: '提交成功', result: '' }),
  },
  unknown_code: {
    key: 'submit.unknown_code',
    allowed: ['U1'],
    drive: (h, m) => clickU1With(h, m, { code: 42, description: '未知' }),
  },
};

describe('a zh-CN member whose submit the API refuses, for every reason', () => {
  runCases(bots, REJECTIONS, true);
});

/** Every way the API can fail a member, by kind; unauthorized and upstream by what exactly. */
type ErrorCase =
  | Exclude<MjErrorKind, 'unauthorized' | 'upstream'>
  | `unauthorized.${AuthProblem}`
  | `upstream.${UnusableAnswer['what'] | 'unknown'}`;

const ERRORS: { [E in ErrorCase]: Case | Elsewhere } = {
  invalid_id: { elsewhere: ['zh-cn-replies.test.ts', 'an invalid id, privately'] },
  not_found: { elsewhere: ['zh-cn-replies.test.ts', "'an unknown task'"] },
  timeout: { elsewhere: ['zh-cn-replies.test.ts', "'a timeout'"] },
  busy: { elsewhere: ['mj-busy.test.ts', 'is refused unsent'] },
  'upstream.html': { elsewhere: ['zh-cn-replies.test.ts', "'an HTML page'"] },
  'upstream.malformed': { elsewhere: ['zh-cn-replies.test.ts', "'malformed JSON'"] },
  'upstream.status': { elsewhere: ['zh-cn-replies.test.ts', "'a 500'"] },
  'unauthorized.key_rejected': {
    key: 'mj.key_rejected',
    allowed: ['npm run doctor'],
    drive: (h, m) => mjtaskWith(h, m, { kind: 'status', status: 401 }),
  },
  'unauthorized.quota_exhausted': {
    key: 'mj.quota_exhausted',
    drive: (h, m) =>
      mjtaskWith(h, m, { kind: 'status', status: 401, body: '{"error":{"message":"该令牌额度已用尽"}}' }),
  },
  'unauthorized.token_expired': {
    key: 'mj.token_expired',
    drive: (h, m) => mjtaskWith(h, m, { kind: 'status', status: 401, body: '{"error":{"message":"该令牌已过期"}}' }),
  },
  'unauthorized.model_not_allowed': {
    key: 'mj.model_not_allowed',
    drive: (h, m) =>
      mjtaskWith(h, m, { kind: 'status', status: 403, body: '{"error":{"message":"该令牌无权访问模型"}}' }),
  },
  'unauthorized.forbidden': {
    key: 'mj.forbidden',
    allowed: ['npm run doctor'],
    drive: (h, m) => mjtaskWith(h, m, { kind: 'status', status: 403, body: '{"error":{"message":"账号不可用"}}' }),
  },
  rate_limited: { key: 'mj.rate_limited', drive: (h, m) => mjtaskWith(h, m, { kind: 'status', status: 429 }) },
  network: { key: 'mj.network', drive: (h, m) => mjtaskWith(h, m, { kind: 'reset' }) },
  unsupported: {
    key: 'mj.unsupported',
    drive: (h, m) => clickU1With(h, m, { fault: { kind: 'status', status: 405 } }),
  },
  'upstream.empty': {
    key: 'mj.answer_empty',
    drive: (h, m) => mjtaskWith(h, m, { kind: 'status', status: 502, body: '' }),
  },
  'upstream.shape': {
    key: 'mj.answer_shape',
    drive: (h, m) => mjtaskWith(h, m, { kind: 'status', status: 200, body: '[1, 2, 3]' }),
  },
  'upstream.oversized': {
    key: 'mj.oversized',
    drive: (h, m) =>
      mjtaskWith(h, m, {
        kind: 'status',
        status: 200,
        body: JSON.stringify({ id: '1', prompt: 'x'.repeat(1_200_000) }),
      }),
  },
  'upstream.broken': {
    unreachable:
      "a broken HTTP answer (a Content-Length it does not keep, headers past undici's limit) needs a socket the stand-ins do not offer; its sentence is the parity test's",
  },
  'upstream.unknown': {
    unreachable:
      'every upstream error the client makes names what was unusable (src/mj/interpret-response.ts, http-transport.ts)',
  },
};

describe('a zh-CN member meets every error of the API', () => {
  runCases(bots, ERRORS, true);
});
