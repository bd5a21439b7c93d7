// What the real servers' odd answers mean, read by the pure interpreters: new-api's OpenAI-style
// errors, its duplicate rows, and the 401/403 variants.
import { describe, expect, it } from 'vitest';
import { isMjApiError, type MjApiError } from '../../src/mj/errors.js';
import { interpretFetchTask, interpretTaskList, parseSubmitResponse } from '../../src/mj/interpret-response.js';
import { describeMjError } from '../../src/replies/mj-error.js';
import { ENGLISH } from '../../src/i18n/index.js';

const ctx = (route: string) => ({ route, secret: 'sk-secretkey123', nowMs: 0 });
const json = (status: number, body: unknown) => ({ status, headers: {}, text: JSON.stringify(body) });

function thrown(fn: () => unknown): MjApiError {
  try {
    fn();
  } catch (err) {
    if (isMjApiError(err)) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe("new-api's distributor answer to a button it cannot bill", () => {
  it('is code 4 unknown_action, without the request id tail', () => {
    const body = {
      error: {
        message:
          'Invalid request, unknown_action:MJ::JOB::animate_high::1::abc::SOLO (request id: 2026120112000012345678)',
        type: 'new_api_error',
      },
    };
    expect(parseSubmitResponse(json(400, body), ctx('POST /mj/submit/action'))).toEqual({
      code: 4,
      description: 'unknown_action:MJ::JOB::animate_high::1::abc::SOLO',
      result: null,
      properties: {},
    });
  });

  it('any other OpenAI-style 400 stays an upstream failure', () => {
    const body = { error: { message: 'Invalid request, custom_id_is_required', type: 'new_api_error' } };
    expect(thrown(() => parseSubmitResponse(json(400, body), ctx('POST /mj/submit/action'))).kind).toBe('upstream');
  });
});

describe('401 and 403 say what they are', () => {
  it.each([
    [401, '无效的令牌 (request id: 1)', 'key_rejected', /rejected the bot's API key/],
    [401, '该令牌额度已用尽 TokenStatusExhausted[sk-sec***123] (request id: 1)', 'quota_exhausted', /out of credit/],
    [401, '该令牌已过期 (request id: 1)', 'token_expired', /has expired/],
    [403, '该令牌无权访问模型 mj_upscale (request id: 1)', 'model_not_allowed', /may not use this action/],
  ])('HTTP %i %j is %s', (status, message, problem, sentence) => {
    const err = thrown(() =>
      interpretFetchTask(
        json(status, { error: { message, type: 'new_api_error' } }),
        ctx('GET /mj/task/{id}/fetch'),
        '1',
      ),
    );
    expect(err.kind).toBe('unauthorized');
    expect(err.details.authProblem).toBe(problem);
    const said = describeMjError(ENGLISH, err);
    expect(said).toMatch(sentence);
    expect(said).not.toContain('***');
    expect(said).not.toContain('TokenStatus');
  });

  it('the fork\'s 403 "账号不可用" (plain text) is forbidden, with its words', () => {
    const err = thrown(() =>
      interpretFetchTask({ status: 403, headers: {}, text: '' }, ctx('GET /mj/task/{id}/fetch'), '1'),
    );
    expect(err.details.authProblem).toBe('forbidden');
  });

  it('a key the API echoes back is redacted from its message', () => {
    const body = { error: { message: '该令牌已过期 sk-secretkey123', type: 'new_api_error' } };
    const err = thrown(() => interpretFetchTask(json(401, body), ctx('GET /mj/task/{id}/fetch'), '1'));
    expect(describeMjError(ENGLISH, err)).not.toContain('secretkey123');
  });
});

describe("new-api's duplicate rows", () => {
  it('a list keeps the most advanced row of each id, in first-seen order', () => {
    const rows = [
      { id: '1', status: 'MODAL', prompt: 'old' },
      { id: '2', status: 'IN_PROGRESS', progress: '40%' },
      { id: '1', status: 'SUCCESS', prompt: 'new' },
      { id: '2', status: 'IN_PROGRESS', progress: '10%' },
    ];
    const tasks = interpretTaskList(json(200, rows), ctx('POST /mj/task/list-by-condition'));
    expect(tasks.map((t) => [t.id, t.status, t.progress])).toEqual([
      ['1', 'SUCCESS', ''],
      ['2', 'IN_PROGRESS', '40%'],
    ]);
  });
});
