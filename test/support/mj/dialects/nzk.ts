// novicezk/midjourney-proxy @ 0be95a9 (v2.6.3), the original Java proxy. Paths below are under
// src/main/java/com/github/novicezk/midjourney/.
import { gridButtons } from '../buttons.js';
import type { RouteName } from '../types.js';
import { GENERIC_RULES, EMPTY_401, header, type DialectProfile, type Json } from './profile.js';

// controller/SubmitController.java has imagine, change (L106-150), simple-change (L90-104), describe,
// blend; no action, no modal. controller/TaskController.java has fetch, queue, list, list-by-condition.
const ROUTES: RouteName[] = [
  'fetch',
  'list',
  'list-by-condition',
  'imagine',
  'change',
  'simple-change',
  'describe', // SubmitController.java L152-170
  'blend', // L172-196
  'images',
];

export const nzk: DialectProfile = {
  name: 'nzk',
  flavor: 'proxy',
  // controller/TaskController.java L37-42 returns null for an unknown id: Spring answers 200, empty body.
  unknownIdShape: 'empty200',
  routes: new Set(ROUTES),
  listByIdsAlias: false,
  // TaskController.java L53-58: every stored task, newest submitTime first.
  listLimit: null,
  // support/ApiAuthorizeInterceptor.java L20-30: only the mj-api-secret header, compared as is; a
  // mismatch sets 401 and writes no body. Authorization is never read.
  gate: (req) => (header(req.headers, 'mj-api-secret') === req.apiKey ? null : EMPTY_401),
  // spring/config/WebMvcConfig.java L26-29: the interceptor covers /submit/**, /task/**, /account/**, so
  // a wrong secret gets 401 there even for a path no controller maps (Spring's 404 comes after).
  unknownPathGate: (path, req) =>
    /^\/mj\/(submit|task|account)\//.test(path) && header(req.headers, 'mj-api-secret') !== req.apiKey
      ? EMPTY_401
      : null,
  shapeUpstream(json) {
    // support/Task.java has no buttons field; DomainObject.java serialises every internal property
    // (Constants.java L8-16): notifyHook, finalPrompt, messageId, messageHash, nonce, flags, ….
    // discordChannelId is the fork's, not NZK's.
    const { buttons: _buttons, ...task } = json;
    const { discordChannelId: _channel, ...props } = (json.properties ?? {}) as Json;
    const started = typeof props.messageHash === 'string';
    // ASSUMPTION: nonce, messageId and flags values are made up; only their presence follows the source.
    return {
      ...task,
      properties: {
        ...props,
        nonce: `${String(json.id)}`,
        ...(started && { messageId: `1${String(json.id).slice(0, 18)}`, flags: 0, progressMessageId: null }),
      },
    };
  },
  // Only to tell the change rules which grids exist; shapeUpstream drops the field.
  successButtons: (_action, jobUuid) => gridButtons(jobUuid),
  submit: {
    // SubmitController.java L69-74: the banned-word check answers code 24 {promptEn, bannedWord}. NZK has
    // no MODAL status (enums/TaskStatus.java) and no modal route, so the modal rules never apply.
    ...GENERIC_RULES,
    // ReturnCode.EXISTED (21) is defined but no code path returns it at HEAD: a repeated U is a new task.
    repeatedUpscaleAnswers21: false,
  },
};
