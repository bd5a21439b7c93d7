// Every way the Midjourney API can fail a member (src/mj/errors.ts: by kind, a refused key and an
// unusable answer by what exactly) and the bot's own failures around a task, end to end, by a member
// whose Discord is in Simplified Chinese: each private answer is the zh-CN sentence of its reason, in
// Chinese with no English left; the API's own words are quoted as they came (support-zh-cn-every.ts
// runs the tables).
import { afterAll, beforeAll, describe } from 'vitest';
import type { AuthProblem, MjErrorKind, UnusableAnswer } from '../../src/mj/errors.js';
import type { Harness } from '../support/harness.js';
import { startTrackingHarness } from '../support/tracking-e2e.js';
import { buttonIdWith, showFinishedTask } from './support-clicks.js';
import { clickU1With, mjtaskWith, ownGrid, runCases, type Case, type Elsewhere } from './support-zh-cn-every.js';
import { zhClick } from './support-zh-cn.js';

let h: Harness;
beforeAll(async () => {
  // The fork offers ✉️ Seed (GET /mj/task/{id}/image-seed).
  h = await startTrackingHarness({ dialect: 'fork', env: { CLICK_POLICY: 'requester' } });
});
afterAll(async () => {
  await h?.close();
});
const bots = { a: () => h, b: () => h };

/** Every way the API can fail a member, by kind; unauthorized and upstream by what exactly. */
type ErrorCase =
  | Exclude<MjErrorKind, 'unauthorized' | 'upstream'>
  | `unauthorized.${AuthProblem}`
  | `upstream.${UnusableAnswer['what'] | 'unknown'}`;

/** new-api's refusal of a token (401/403 with its own words in error.message): the answer quotes them as they came. */
const tokenRefusal = (status: number, said: string): Pick<Case, 'quotes' | 'drive'> => ({
  quotes: said,
  drive: (h, m) => mjtaskWith(h, m, { kind: 'status', status, body: JSON.stringify({ error: { message: said } }) }),
});

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
  'unauthorized.quota_exhausted': { key: 'mj.quota_exhausted', ...tokenRefusal(401, '该令牌额度已用尽') },
  'unauthorized.token_expired': { key: 'mj.token_expired', ...tokenRefusal(401, '该令牌已过期') },
  'unauthorized.model_not_allowed': { key: 'mj.model_not_allowed', ...tokenRefusal(403, '该令牌无权访问模型') },
  'unauthorized.forbidden': {
    key: 'mj.forbidden',
    allowed: ['npm run doctor'],
    ...tokenRefusal(403, '账号不可用'),
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
    notDriven:
      "a broken HTTP answer (a Content-Length it does not keep, headers past undici's limit) needs a raw socket the MJ stand-in does not offer",
  },
  'upstream.unknown': {
    unreachable:
      'every upstream error the client makes names what was unusable (src/mj/interpret-response.ts L38, http-transport.ts L45-53)',
  },
};

describe('a zh-CN member meets every error of the API', () => {
  runCases(bots, ERRORS, true);
});

/** The bot's own failures around a task that ran, or a look-up that cost nothing. */
type BotFailure =
  | 'submit.follow_failed'
  | 'command.watch_not_possible'
  | 'command.watch_not_saved'
  | 'command.unexpected_failure'
  | 'seed.task_unknown'
  | 'seed.unavailable'
  | 'seed.not_offered';

/** A finished fork task with no Discord message behind it (so its seed cannot be asked for), shown by the member. */
const rawGrid = (h: Harness, member: string) =>
  showFinishedTask(
    h,
    {
      raw: {
        id: String(1_730_000_000_000_000 + Math.floor(Math.random() * 1e6)),
        action: 'IMAGINE',
        status: 'SUCCESS',
        progress: '100%',
        prompt: 'an old map',
        imageUrl: `${h.mj.baseUrl}/images/old-map.png`,
        buttons: [{ customId: 'MJ::JOB::upsample::1::abc', label: 'U1', emoji: '', type: 2, style: 2 }],
        properties: {},
      },
    },
    member,
  );

const BOT_FAILURES: { [K in BotFailure]: Case | Elsewhere } = {
  'submit.follow_failed': {
    key: 'submit.follow_failed',
    allowed: ['U1', '/mjtask'],
    drive: async (h, member) => {
      const grid = await ownGrid(h, member);
      h.discord.revokeAccess(grid.channelId, 'send');
      try {
        return await zhClick(h, grid, buttonIdWith(h, grid, '::upsample::1::'), { user: member });
      } finally {
        h.discord.restoreAccess(grid.channelId);
      }
    },
  },
  'command.watch_not_possible': {
    notDriven:
      "said when following /mjtask's reply fails for a reason other than the store: the tracker stopping (the bot shutting down) while /mjtask runs. A closed channel does not (the reply is edited through its interaction), nor does the reply deleted once shown (tried: the follow keeps the reply's id)",
  },
  'command.watch_not_saved': { elsewhere: ['store-full.test.ts', 'a zh-CN member reads'] },
  'command.unexpected_failure': {
    notDriven:
      'said only when a handler throws what no rule, store or API error explains: a bug, which no flow of the bot is known to bring about',
  },
  'seed.task_unknown': {
    key: 'seed.task_unknown',
    quotes: '关联任务不存在或已失效',
    drive: async (h, member) => {
      const grid = await ownGrid(h, member);
      // The fork's answer for a task it no longer has (Controllers/TaskController.cs L132-160).
      h.mj.fault(
        'image-seed',
        { kind: 'status', status: 404, body: '{"code":3,"description":"关联任务不存在或已失效"}' },
        1,
      );
      return zhClick(h, grid, `mjseed:${grid.taskId}`, { user: member });
    },
  },
  'seed.unavailable': {
    key: 'seed.unavailable',
    quotes: '关联任务状态错误',
    drive: async (h, member) => {
      const grid = await rawGrid(h, member);
      return zhClick(h, grid, `mjseed:${grid.taskId}`, { user: member });
    },
  },
  'seed.not_offered': {
    notDriven:
      'a server without /image-seed gets no Seed button (seed.test.ts): only a Seed button posted while the bot used another server, clicked after the switch, meets it',
  },
};

describe("a zh-CN member meets the bot's own failures", () => {
  runCases(bots, BOT_FAILURES, true);
});
