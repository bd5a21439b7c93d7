// Calcium-Ion/new-api @ ef8ae4d (2025-04-11), the aggregator, in front of a fork (./fork.ts): the
// upstream's tasks, buttons and hooks are the fork's; what new-api itself answers is here.
import { randomBytes } from 'node:crypto';
import { aggregatorChildAction } from '../buttons.js';
import type { RouteName } from '../types.js';
import { fork, forkButtons, forkShape } from './fork.js';
import { header, type DialectProfile, type GateRequest, type HttpAnswer } from './profile.js';

// router/relay-router.go L82-99: fetch, image-seed, list-by-condition, the submits; no /mj/task/list.
// ASSUMPTION: it also relays change and simple-change, but the fork behind it removed them (v10), so the
// stand-in leaves them out instead of modelling the relayed 404.
const ROUTES: RouteName[] = [
  'fetch',
  'list-by-condition',
  'image-seed',
  'imagine',
  'action',
  'modal',
  'describe', // relay-router.go L92
  'blend',
  'shorten', // relay-router.go L87
  'images',
];

/** common.GetTimeString() + 8 random characters, as new-api stamps every request. */
const requestId = (now: number) =>
  new Date(now).toISOString().replace(/\D/g, '').slice(0, 14) + randomBytes(4).toString('hex');

/**
 * middleware/utils.go L9-19 abortWithOpenAiMessage: an OpenAI-style error, not the MJ envelope, with
 * common.MessageWithRequestId's " (request id: …)" tail.
 */
export const openAiError = (status: number, message: string, now: number): HttpAnswer => ({
  status,
  json: { error: { message: `${message} (request id: ${requestId(now)})`, type: 'new_api_error' } },
});

/** The token part middleware/auth.go L185-198 compares: "Bearer " and "sk-" off, up to the first "-". */
const tokenKey = (raw: string) =>
  raw
    .replace(/^Bearer /, '')
    .replace(/^sk-/, '')
    .split('-')[0] ?? '';

function authFailure(req: GateRequest): string | null {
  // middleware/auth.go L185-198: Authorization (Bearer), falling back to mj-api-secret when it is empty or
  // "midjourney-proxy". model/token.go L73-114 ValidateUserToken gives the texts.
  let raw = (header(req.headers, 'authorization') ?? '').replace(/^Bearer /, '');
  if (raw === '' || raw === 'midjourney-proxy') raw = header(req.headers, 'mj-api-secret') ?? '';
  const key = tokenKey(raw);
  if (key === '') return '未提供令牌';
  if (key !== tokenKey(req.apiKey)) return '无效的令牌';
  const masked = `sk-${key.slice(0, 3)}***${key.slice(-3)}`;
  if (req.state.tokenStatus === 'exhausted') return `该令牌额度已用尽 TokenStatusExhausted[${masked}]`;
  if (req.state.tokenStatus === 'expired') return '该令牌已过期';
  return null;
}

/**
 * The model a request is billed as (service/midjourney.go L20-69 GetMjRequestModel, "mj_" + action), or
 * an error description from CoverPlusActionToNormalAction (L71-128). Fetch, list and image-seed have no model.
 */
function modelOf(route: RouteName, body: unknown): { model: string } | { error: string } {
  if (route === 'imagine') return { model: 'mj_imagine' };
  if (route === 'modal') return { model: 'mj_modal' };
  // constant/midjourney.go L31-49 MidjourneyModel2Action: mj_describe, mj_blend, mj_shorten.
  if (route === 'describe' || route === 'blend' || route === 'shorten') return { model: `mj_${route}` };
  if (route !== 'action') return { model: '' };
  const customId = body && typeof body === 'object' ? (body as Record<string, unknown>).customId : undefined;
  if (typeof customId !== 'string' || customId === '') return { error: 'custom_id_is_required' };
  const action = aggregatorChildAction(customId);
  return action === null ? { error: `unknown_action:${customId}` } : { model: `mj_${action.toLowerCase()}` };
}

export const newapi: DialectProfile = {
  name: 'newapi',
  flavor: 'aggregator',
  // relay/relay-mj.go L296-304 + controller/relay.go L313-323: HTTP 400 {"description":"task_no_found ", …}.
  unknownIdShape: '400',
  routes: new Set(ROUTES),
  listByIdsAlias: false,
  gate(req) {
    if (req.route === 'images') return null;
    const auth = authFailure(req);
    if (auth !== null) return openAiError(401, auth, req.now); // auth.go L206-208
    // middleware/distributor.go runs next, before the relay: the customId is parsed there (L37-41), so an
    // unsupported button is a 400 "Invalid request, unknown_action:…" in the OpenAI shape.
    const model = modelOf(req.route, req.body);
    if ('error' in model) return openAiError(400, `Invalid request, ${model.error}`, req.now);
    // distributor.go L61-92: a token with model limits must list the model. Fetch and list have the model ""
    // and go through the same check (code reading), so such a token cannot even poll.
    const models = req.state.tokenModels;
    if (models !== null && !models.includes(model.model))
      return openAiError(403, `该令牌无权访问模型 ${model.model}`, req.now);
    return null;
  },
  shapeUpstream: forkShape,
  successButtons: forkButtons,
  imageSeed(task, upstream) {
    // relay/relay-mj.go L255-288: looked up in new-api's own rows first, then relayed to the fork as is.
    if (!task) return { status: 400, json: { description: 'task_no_found ', type: 'upstream_error', code: 4 } };
    return fork.imageSeed!(task, upstream);
  },
  submit: {
    // The fork behind it decides codes, banned prompts and modal masks; buttons it cannot bill never get here.
    ...fork.submit,
    // relay-mj.go L426-430 skips its own SUCCESS check for modals (and the fork checks nothing either).
    // relay-mj.go L414-420, L529-547, L591: the modal inserts a second row with the same mj_id.
    // controller/midjourney.go L36-43 keys its poll by mj_id, so only the newer row is updated;
    // model/midjourney.go L112-120 GetByMJId uses First(), so /fetch returns the older row.
    duplicateRowAfterModal: true,
  },
};
