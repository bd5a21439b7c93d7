// Every error a member can meet in what they ask for, end to end, by a member whose Discord is in
// Simplified Chinese: what they gave that cannot be used (a new task's images and options) and every
// reason the API refuses a submit for (its own words quoted as they came). Each private answer is the
// zh-CN sentence of its reason, in Chinese with no English left (support-zh-cn-every.ts runs the tables;
// the API's failures: zh-cn-every-api-error.test.ts).
import { afterAll, beforeAll, describe } from 'vitest';
import type { NewTaskInputProblem, RejectReason } from '../../src/replies/reasons.js';
import type { Harness } from '../support/harness.js';
import { startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { buttonIdWith } from './support-clicks.js';
import { png, resultFrom } from './support-new-tasks.js';
import { clickU1With, command, ownGrid, runCases, type Case, type Elsewhere } from './support-zh-cn-every.js';
import { zhClick, zhForm, zhSubmit } from './support-zh-cn.js';

let a: Harness;
let b: Harness;
beforeAll(async () => {
  [a, b] = await Promise.all([
    startTrackingHarness({ env: { CLICK_POLICY: 'requester', ATTACHMENT_MAX_MB: '1' } }),
    // novicezk/midjourney-proxy has no /shorten, takes no speed and has no 🔄 of its own.
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
    allowed: ['url', 'https', 'http'],
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
  task_image_unavailable: {
    key: 'input.task_image_unavailable',
    on: 'b',
    allowed: ['/describe'],
    setupSubmits: 1,
    drive: async (h, member) => {
      // nzk has no 🔄 of its own: the bot describes the task's image again, and that image is gone.
      const answer = await command(h, 'describe', { image: png('harbour.png') }, member);
      const described = await resultFrom(h, answer.text);
      h.mj.setTask(taskIdOf(described) ?? '', { imageUrl: `${h.mj.origin}/images/no-such-task.png` });
      return zhClick(h, { channelId: described.channel_id, messageId: described.id }, 'MJ::Picread::Retry', {
        user: member,
      });
    },
  },
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
    quotes: '关联任务状态错误',
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
    quotes: '无可用的账号实例',
    drive: (h, m) => clickU1With(h, m, { code: 3, description: '无可用的账号实例' }),
  },
  queue_full: {
    key: 'submit.queue_full',
    drive: (h, m) => clickU1With(h, m, { code: 23, description: '队列已满，请稍后尝试' }),
  },
  account_limit: {
    key: 'submit.account_limit',
    quotes: '今日绘图已达上限',
    drive: (h, m) => clickU1With(h, m, { code: 4, description: '今日绘图已达上限' }),
  },
  banned_prompt: {
    key: 'submit.banned_prompt',
    drive: (h, m) => clickU1With(h, m, { code: 24, description: '可能包含敏感词', properties: {} }),
  },
  invalid: {
    key: 'submit.invalid',
    quotes: '参数错误',
    allowed: ['U1'],
    drive: (h, m) => clickU1With(h, m, { code: 4, description: '参数错误' }),
  },
  failure: {
    key: 'submit.failure',
    quotes: '提交失败',
    allowed: ['U1'],
    drive: (h, m) => clickU1With(h, m, { code: 9, description: '提交失败' }),
  },
  no_task_id: {
    key: 'submit.no_task_id',
    quotes: '提交成功',
    allowed: ['U1', '/mjtask'],
    drive: (h, m) => clickU1With(h, m, { code: 1, description: '提交成功', result: '' }),
  },
  unknown_code: {
    key: 'submit.unknown_code',
    quotes: '未知',
    allowed: ['U1'],
    drive: (h, m) => clickU1With(h, m, { code: 42, description: '未知' }),
  },
};

describe('a zh-CN member whose submit the API refuses, for every reason', () => {
  runCases(bots, REJECTIONS, true);
});
