// Which Midjourney server the bot talks to, decided from three cheap read-only requests. Pure: the
// requests go through a port handed in, so the rules are tested against each server's stand-in.
//
// The servers answer the same questions differently, and those answers are stable parts of their code:
//
// 1. An unknown task id (GET /mj/task/{id}/fetch, with the bot's credentials):
//    - novicezk/midjourney-proxy (Java) returns null from TaskController.fetch
//      (src/main/java/com/github/novicezk/midjourney/controller/TaskController.java L37-42): HTTP 200, empty body.
//      midjourney-proxy-plus is closed source but grew from it, and its docs describe the same controller.
//    - trueai-org/midjourney-proxy (C#) returns a null ActionResult<TaskInfo>, which ASP.NET sends as 204
//      (src/Midjourney.API/Controllers/TaskController.cs L75-79).
//    - new-api answers from its own rows: HTTP 400 {"description":"task_no_found ","type":"upstream_error"}
//      (relay/relay-mj.go L296-304, controller/relay.go L313-323).
// 2. The same request with no credentials:
//    - the Java proxies: 401 with an empty body (support/ApiAuthorizeInterceptor.java L20-30), or the 200
//      above when no secret is configured;
//    - the fork: 401 "Authorization header missing." (src/Midjourney.API/SimpleAuthMiddleware.cs L116-120),
//      or, in guest mode, the 204 above;
//    - new-api: 401 {"error":{"message":"未提供令牌 …","type":"new_api_error"}} (middleware/utils.go L9-19,
//      middleware/auth.go, model/token.go ValidateUserToken).
//    This one still tells the servers apart when the bot's key is wrong.
// 3. Only to tell the two Java servers apart, GET /mj/task/{id}/image-seed: the original has no such
//    route, so Spring answers its own 404 JSON {"timestamp","status":404,"error":"Not Found","path"}; plus
//    has the route and answers in its submit envelope {"code":…,"description":…}.

export type MjDialect = 'nzk' | 'fork' | 'plus' | 'newapi';

export interface ProbeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

/**
 * One HTTP request relative to the configured base URL. With `headers` undefined the port adds the bot's
 * credentials; with `headers` given it sends exactly those (`{}`: none).
 */
export type DialectProbe = (method: 'GET', path: string, headers?: Record<string, string>) => Promise<ProbeAnswer>;

export type DialectVerdict = { dialect: MjDialect; evidence: string[] } | { dialect: 'unknown'; evidence: string[] };

/** An id no server will hold: ids are submit times in ms plus three digits. */
export const PROBE_TASK_ID = '0000000000000000';
const ALL: readonly MjDialect[] = ['nzk', 'fork', 'plus', 'newapi'];
const JAVA: readonly MjDialect[] = ['nzk', 'plus'];

type Reading = { candidates: readonly MjDialect[] | null; note: string };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** new-api's own errors: OpenAI-style {"error":{"type":"new_api_error"}} or {"type":"upstream_error"}. */
function isNewApiError(body: unknown): boolean {
  if (!isObject(body)) return false;
  if (body.type === 'upstream_error' || body.type === 'new_api_error') return true;
  return isObject(body.error) && body.error.type === 'new_api_error';
}

/** What an unknown-id fetch says about the server (1. and 2. above). */
function readFetch(answer: ProbeAnswer, withCredentials: boolean): Reading {
  const text = answer.bodyText.trim();
  const body = parseJson(text);
  const seen = `HTTP ${answer.status}${text === '' ? ' with an empty body' : ''}`;
  if (isNewApiError(body)) return { candidates: ['newapi'], note: `${seen}: a new-api error object` };
  if (answer.status === 204) return { candidates: ['fork'], note: `${seen}: the fork's 204 for a null task` };
  if (answer.status === 401 && text === 'Authorization header missing.')
    return { candidates: ['fork'], note: `${seen} "Authorization header missing.": the fork's auth middleware` };
  if (answer.status === 200 && text === '')
    return { candidates: JAVA, note: `${seen}: a Java proxy's null task (original or plus)` };
  if (answer.status === 401 && text === '')
    return { candidates: JAVA, note: `${seen}: a Java proxy's secret check (original or plus)` };
  const note = `${seen}: not a known answer${withCredentials && answer.status === 401 ? ' (key rejected?)' : ''}`;
  return { candidates: null, note };
}

/** What image-seed says: Spring's 404 for a route the original lacks, or plus's envelope (3. above). */
function readSeed(answer: ProbeAnswer): Reading {
  const body = parseJson(answer.bodyText.trim());
  const seen = `HTTP ${answer.status}`;
  if (answer.status === 404 && isObject(body) && body.error === 'Not Found' && 'path' in body)
    return { candidates: ['nzk'], note: `${seen}: Spring's "no such route", so the original proxy` };
  if (isObject(body) && typeof body.code === 'number' && 'description' in body)
    return { candidates: ['plus'], note: `${seen} in the submit envelope: the route exists, so plus` };
  return { candidates: null, note: `${seen}: not a known answer` };
}

async function ask(probe: DialectProbe, path: string, headers?: Record<string, string>): Promise<ProbeAnswer | string> {
  try {
    return await probe('GET', path, headers);
  } catch (err) {
    return `no answer (${err instanceof Error ? err.message : String(err)})`;
  }
}

/** Intersects the informative readings; null when none was informative. */
function narrow(readings: Reading[]): readonly MjDialect[] | null {
  let left: readonly MjDialect[] | null = null;
  for (const r of readings) {
    if (r.candidates === null) continue;
    const allowed = r.candidates;
    left = (left ?? ALL).filter((d) => allowed.includes(d));
  }
  return left;
}

export async function detectDialect(probe: DialectProbe): Promise<DialectVerdict> {
  const fetchPath = `/mj/task/${PROBE_TASK_ID}/fetch`;
  const evidence: string[] = [];
  const readings: Reading[] = [];
  const steps: [string, ProbeAnswer | string, (a: ProbeAnswer) => Reading][] = [
    [`GET ${fetchPath} without credentials`, await ask(probe, fetchPath, {}), (a) => readFetch(a, false)],
    [`GET ${fetchPath}`, await ask(probe, fetchPath), (a) => readFetch(a, true)],
  ];
  for (const [what, answer, read] of steps) {
    const reading = typeof answer === 'string' ? { candidates: null, note: answer } : read(answer);
    readings.push(reading);
    evidence.push(`${what}: ${reading.note}`);
  }
  let left = narrow(readings);
  if (left !== null && left.length > 1 && left.every((d) => JAVA.includes(d))) {
    const seedPath = `/mj/task/${PROBE_TASK_ID}/image-seed`;
    const answer = await ask(probe, seedPath);
    const reading = typeof answer === 'string' ? { candidates: null, note: answer } : readSeed(answer);
    readings.push(reading);
    evidence.push(`GET ${seedPath}: ${reading.note}`);
    left = narrow(readings);
  }
  const [only] = left ?? [];
  if (left?.length === 1 && only !== undefined) return { dialect: only, evidence };
  const why = left === null || left.length > 1 ? 'the answers do not single out one server' : 'the answers disagree';
  return { dialect: 'unknown', evidence: [...evidence, why] };
}
