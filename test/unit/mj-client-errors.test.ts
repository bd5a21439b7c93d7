// Every way the MJ client can fail, as a table run against a canned server on 127.0.0.1: each case
// must yield its kind, a short message, the route pattern, and never the key, host or port.
import { describe, expect, it } from 'vitest';
import type { MjApi } from '../../src/mj/api.js';
import type { MjClientOptions } from '../../src/mj/client.js';
import type { MjApiError, MjErrorKind } from '../../src/mj/errors.js';
import { closedPort } from '../support/http-fixture-server.js';
import type { FixtureAnswer } from '../support/http-fixture-server.js';
import { FIXTURE_KEY as KEY, mjClientFixture, mjRejection } from '../support/mj-client-fixture.js';

const FETCH = '/mj/task/abc/fetch';
const LIST = '/mj/task/list-by-condition';
const ACTION = '/mj/submit/action';
const IMAGINE = '/mj/submit/imagine';
const RETRY_DATE = 'Wed, 21 Oct 2015 07:28:00 GMT';

const w = mjClientFixture();

interface ErrorCase {
  name: string;
  kind: MjErrorKind;
  /** [method, path, answer] served before the call. */
  serve?: [string, string, FixtureAnswer];
  call: (c: MjApi) => Promise<unknown>;
  options?: () => Promise<Partial<MjClientOptions>>;
  check?: (e: MjApiError) => void;
}

const fetchAbc = (c: MjApi) => c.fetchTask('abc');
const listAbc = (c: MjApi) => c.fetchTasks(['abc']);
const action = (c: MjApi) => c.submitAction({ taskId: 'abc', customId: 'MJ::JOB::upsample::1::x' });
const imagine = (c: MjApi) => c.submitImagine({ prompt: 'cat' });
const html = { 'content-type': 'text/html' };
const newApiNotFound = '{"description":"task_no_found ","type":"upstream_error","code":4}';

const CASES: ErrorCase[] = [
  {
    name: 'fetch: 200 with an empty body (NZK)',
    kind: 'not_found',
    serve: ['GET', FETCH, { body: '' }],
    call: fetchAbc,
  },
  { name: 'fetch: 200 with whitespace', kind: 'not_found', serve: ['GET', FETCH, { body: ' \r\n ' }], call: fetchAbc },
  { name: 'fetch: 200 with null', kind: 'not_found', serve: ['GET', FETCH, { body: 'null' }], call: fetchAbc },
  { name: 'fetch: 204 (FORK)', kind: 'not_found', serve: ['GET', FETCH, { status: 204 }], call: fetchAbc },
  { name: 'fetch: 404', kind: 'not_found', serve: ['GET', FETCH, { status: 404, body: 'Not Found' }], call: fetchAbc },
  {
    name: 'fetch: 400 task_no_found (new-api)',
    kind: 'not_found',
    serve: ['GET', FETCH, { status: 400, body: newApiNotFound }],
    call: fetchAbc,
    check: (e) => expect(e.message).toBe('Task abc was not found.'),
  },
  {
    name: 'fetch: other 400 carries the API description',
    kind: 'upstream',
    serve: ['GET', FETCH, { status: 400, body: '{"description":"quota exhausted ","type":"upstream_error","code":4}' }],
    call: fetchAbc,
    check: (e) => expect(e.message).toContain('quota exhausted'),
  },
  {
    name: 'fetch: 401 with no body (NZK)',
    kind: 'unauthorized',
    serve: ['GET', FETCH, { status: 401 }],
    call: fetchAbc,
  },
  {
    name: 'fetch: 401 echoing the key (new-api style)',
    kind: 'unauthorized',
    serve: ['GET', FETCH, { status: 401, body: { error: { message: `invalid token ${KEY}`, type: 'new_api_error' } } }],
    call: fetchAbc,
    check: (e) => expect(e.message).toContain('invalid token ***'),
  },
  {
    name: 'submit: 403',
    kind: 'unauthorized',
    serve: ['POST', ACTION, { status: 403, body: 'Forbidden' }],
    call: action,
  },
  {
    name: 'fetch: 429 with Retry-After seconds',
    kind: 'rate_limited',
    serve: ['GET', FETCH, { status: 429, headers: { 'retry-after': '7' } }],
    call: fetchAbc,
    check: (e) => expect(e.details).toMatchObject({ status: 429, retryAfterMs: 7000 }),
  },
  {
    name: 'submit: 429 with a Retry-After date',
    kind: 'rate_limited',
    serve: ['POST', IMAGINE, { status: 429, headers: { 'retry-after': RETRY_DATE }, body: '{"code":30}' }],
    call: imagine,
    options: async () => ({ clock: { now: () => Date.parse(RETRY_DATE) - 30_000 } }),
    check: (e) => expect(e.details.retryAfterMs).toBe(30_000),
  },
  {
    name: 'submit: 500 with a long body',
    kind: 'upstream',
    serve: ['POST', ACTION, { status: 500, body: `boom ${'x'.repeat(2000)}` }],
    call: action,
    check: (e) => expect(e.details.status).toBe(500),
  },
  {
    name: 'fetch: 502 HTML page',
    kind: 'upstream',
    serve: ['GET', FETCH, { status: 502, headers: html, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }],
    call: fetchAbc,
    check: (e) => {
      expect(e.message).toContain('gave an unusable answer: an HTML page (HTTP 502)');
      expect(e.message).not.toContain('<');
    },
  },
  {
    name: 'submit: 200 HTML page',
    kind: 'upstream',
    serve: ['POST', IMAGINE, { headers: html, body: '<!doctype html><p>hi' }],
    call: imagine,
  },
  {
    name: 'fetch: malformed JSON',
    kind: 'upstream',
    serve: ['GET', FETCH, { body: '{"id": "abc", ' }],
    call: fetchAbc,
  },
  { name: 'submit: malformed JSON', kind: 'upstream', serve: ['POST', ACTION, { body: '{code:1}' }], call: action },
  {
    name: 'fetch: JSON of the wrong shape',
    kind: 'upstream',
    serve: ['GET', FETCH, { body: { foo: 1 } }],
    call: fetchAbc,
  },
  {
    name: 'fetch: an array instead of a task',
    kind: 'upstream',
    serve: ['GET', FETCH, { body: [1, 2] }],
    call: fetchAbc,
  },
  {
    name: 'list: JSON of the wrong shape',
    kind: 'upstream',
    serve: ['POST', LIST, { body: { foo: [] } }],
    call: listAbc,
  },
  { name: 'list: empty body', kind: 'upstream', serve: ['POST', LIST, { body: '' }], call: listAbc },
  {
    name: 'submit: 200 without an envelope',
    kind: 'upstream',
    serve: ['POST', ACTION, { body: { ok: true } }],
    call: action,
  },
  {
    name: 'submit: 404 JSON without an envelope',
    kind: 'upstream',
    serve: ['POST', ACTION, { status: 404, body: { task: 'missing' } }],
    call: action,
  },
  {
    name: 'fetch: a redirect',
    kind: 'upstream',
    serve: ['GET', FETCH, { status: 301, headers: { location: '/x' } }],
    call: fetchAbc,
  },
  {
    name: 'fetch: timeout',
    kind: 'timeout',
    serve: ['GET', FETCH, { delayMs: 1000, body: { id: 'abc' } }],
    call: fetchAbc,
    options: async () => ({ timeoutMs: 100 }),
    check: (e) => expect(e.message).toContain('100 ms'),
  },
  {
    name: 'submit: timeout',
    kind: 'timeout',
    serve: ['POST', ACTION, { delayMs: 1000, body: { code: 1 } }],
    call: action,
    options: async () => ({ timeoutMs: 100 }),
  },
  {
    name: 'fetch: closed port',
    kind: 'network',
    call: fetchAbc,
    options: async () => ({ baseUrl: `http://127.0.0.1:${await closedPort()}/` }),
  },
  { name: 'submit: connection cut', kind: 'network', serve: ['POST', IMAGINE, { hangUp: true }], call: imagine },
  {
    name: 'list: 404 (route missing)',
    kind: 'unsupported',
    serve: ['POST', LIST, { status: 404, body: '404 page not found' }],
    call: listAbc,
  },
  { name: 'list: 405', kind: 'unsupported', serve: ['POST', LIST, { status: 405 }], call: listAbc },
  {
    name: 'submit: 404 plain text (route missing)',
    kind: 'unsupported',
    serve: ['POST', ACTION, { status: 404, body: 'Cannot POST /mj/submit/action' }],
    call: action,
  },
  {
    name: 'submit: 405',
    kind: 'unsupported',
    serve: ['POST', ACTION, { status: 405, body: 'Method Not Allowed' }],
    call: action,
  },
];

async function runCase(tc: ErrorCase): Promise<MjApiError> {
  if (tc.serve) w.server.on(...tc.serve);
  const extra = tc.options ? await tc.options() : {};
  return mjRejection(tc.call(w.client(extra)), tc.name);
}

describe('error kinds', () => {
  it.each(CASES)('$name → $kind', async (tc) => {
    const started = Date.now();
    const err = await runCase(tc);
    expect(err.kind).toBe(tc.kind);
    expect(err.details.route).toMatch(/^(GET|POST) \/mj\/[a-z/{}-]+$/);
    expect(err.message.length).toBeLessThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(900);
    tc.check?.(err);
  });

  it('no error message or detail contains the key, the host or the port', async () => {
    const seen: MjApiError[] = [];
    for (const tc of CASES) seen.push(await runCase(tc));
    expect(seen).toHaveLength(CASES.length);
    for (const err of seen) {
      const text = `${err.message} ${JSON.stringify(err.details)}`;
      expect(text).not.toContain('TopSecretKey');
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain(`:${w.server.port}`);
    }
  });
});

describe('business answers on HTTP errors are returned, not thrown', () => {
  it('new-api 400 envelope on a submit → SubmitResult code 4 with a trimmed description', async () => {
    w.server.on('POST', ACTION, {
      status: 400,
      body: '{"description":"task_status_not_success ","type":"upstream_error","code":4}',
    });
    await expect(action(createClient())).resolves.toEqual({
      code: 4,
      description: 'task_status_not_success',
      result: null,
      properties: {},
    });
  });

  it('FORK 404 {code:3} from /action → SubmitResult code 3', async () => {
    w.server.on('POST', ACTION, { status: 404, body: { code: 3, description: '关联任务不存在或已失效' } });
    await expect(action(createClient())).resolves.toMatchObject({ code: 3, description: '关联任务不存在或已失效' });
  });

  it.each([4, 9, 23, 24])('HTTP 200 with business code %i → SubmitResult', async (code) => {
    w.server.on('POST', IMAGINE, { body: { code, description: `code ${code}`, result: null } });
    await expect(imagine(createClient())).resolves.toMatchObject({ code, description: `code ${code}` });
  });

  const createClient = (): MjApi => w.client({ authHeader: 'mj-api-secret' });
});
