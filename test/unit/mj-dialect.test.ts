// detectDialect (src/mj/dialect.ts) against each dialect of the Midjourney stand-in over real HTTP, and
// against canned answers for the cases no stand-in produces (no answer, contradictions).
import { afterEach, describe, expect, it } from 'vitest';
import { detectDialect, type DialectProbe, type ProbeAnswer } from '../../src/mj/dialect.js';
import type { DialectName, MjStandIn } from '../support/mj/index.js';
import { bearer, closeOpened, credentials, standIn } from './mj-stand-in-client.js';

afterEach(closeOpened);

/** The port over fetch: the given headers, or the stand-in's credentials when none are given. */
function portFor(s: MjStandIn, auth: Record<string, string> = credentials(s)) {
  const paths: string[] = [];
  const probe: DialectProbe = async (method, path, headers) => {
    paths.push(path);
    const res = await fetch(s.baseUrl + path, { method, headers: headers ?? auth });
    return { status: res.status, headers: Object.fromEntries(res.headers), bodyText: await res.text() };
  };
  return { probe, paths };
}

const canned =
  (answers: (ProbeAnswer | Error)[]): DialectProbe =>
  async () => {
    const next = answers.shift();
    if (next === undefined || next instanceof Error) throw next ?? new Error('no more answers');
    return next;
  };
const answer = (status: number, bodyText = ''): ProbeAnswer => ({ status, headers: {}, bodyText });

describe('detectDialect on each stand-in profile', () => {
  const cases: [DialectName, number][] = [
    ['nzk', 3],
    ['fork', 2],
    ['plus', 3],
    ['newapi', 2],
  ];
  it.each(cases)('names %s with the right key, in %i read-only GETs', async (dialect, requests) => {
    const s = await standIn({ dialect });
    const { probe, paths } = portFor(s);
    const verdict = await detectDialect(probe);
    expect(verdict.dialect).toBe(dialect);
    expect(verdict.evidence).toHaveLength(requests);
    expect(paths).toHaveLength(requests);
    expect(s.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(s.task('0000000000000000')).toBeUndefined();
  });

  it.each(['fork', 'newapi'] as const)('names %s even with a wrong key, from the anonymous answer', async (dialect) => {
    const s = await standIn({ dialect });
    const { probe } = portFor(s, { authorization: 'Bearer sk-wrong', 'mj-api-secret': 'wrong' });
    expect((await detectDialect(probe)).dialect).toBe(dialect);
  });

  it('names the fork in guest mode, where a missing key is served as a guest (SimpleAuthMiddleware.cs L116)', async () => {
    const s = await standIn({ dialect: 'fork' });
    s.setServerState({ forkGuest: true });
    const verdict = await detectDialect(portFor(s, {}).probe);
    expect(verdict.dialect).toBe('fork');
    expect(verdict.evidence[0]).toMatch(/204/);
  });

  it('says unknown, with the evidence, when a Java proxy rejects the key (the original and plus look alike)', async () => {
    const s = await standIn({ dialect: 'nzk' });
    const { probe } = portFor(s, { 'mj-api-secret': 'wrong' });
    const verdict = await detectDialect(probe);
    expect(verdict.dialect).toBe('unknown');
    expect(verdict.evidence[0]).toMatch(/401 with an empty body: a Java proxy/);
    expect(verdict.evidence.at(-1)).toBe('the answers do not single out one server');
  });

  it('reads the generic aggregator stand-in as new-api, the server it imitates', async () => {
    const s = await standIn({ flavor: 'aggregator' });
    const { probe } = portFor(s, bearer(s));
    expect((await detectDialect(probe)).dialect).toBe('newapi');
  });
});

describe('detectDialect on canned answers', () => {
  it('says unknown when the server does not answer, and keeps the error as evidence', async () => {
    const verdict = await detectDialect(canned([new Error('ECONNREFUSED'), new Error('ECONNREFUSED')]));
    expect(verdict).toEqual({
      dialect: 'unknown',
      evidence: [
        expect.stringContaining('no answer (ECONNREFUSED)'),
        expect.stringContaining('no answer (ECONNREFUSED)'),
        'the answers do not single out one server',
      ],
    });
  });

  it('says unknown when the answers contradict each other (a fork 401, then a new-api 400)', async () => {
    const verdict = await detectDialect(
      canned([
        answer(401, 'Authorization header missing.'),
        answer(400, '{"description":"task_no_found ","type":"upstream_error","code":4}'),
      ]),
    );
    expect(verdict.dialect).toBe('unknown');
    expect(verdict.evidence.at(-1)).toBe('the answers disagree');
  });

  it('says unknown for a reverse proxy that answers HTML to everything', async () => {
    const html = answer(502, '<html><body>Bad Gateway</body></html>');
    const verdict = await detectDialect(canned([html, html]));
    expect(verdict.dialect).toBe('unknown');
    expect(verdict.evidence[1]).toMatch(/HTTP 502: not a known answer/);
  });

  it("tells a plus image-seed envelope from Spring's 404", async () => {
    const plus = await detectDialect(
      canned([answer(401), answer(200), answer(404, '{"code":3,"description":"关联任务不存在或已失效"}')]),
    );
    const nzk = await detectDialect(
      canned([
        answer(200),
        answer(200),
        answer(404, '{"timestamp":"x","status":404,"error":"Not Found","path":"/mj"}'),
      ]),
    );
    expect([plus.dialect, nzk.dialect]).toEqual(['plus', 'nzk']);
  });
});
