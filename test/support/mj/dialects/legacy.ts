// The generic stand-in the e2e suite was written against: a proxy or an aggregator shaped by the options
// (flavor, authStyle, unknownIdShape, listByCondition), a mix of the real servers. Kept unchanged.
import { successButtons } from '../buttons.js';
import type { AuthStyle, MjStandInOptions, RouteName } from '../types.js';
import { GENERIC_RULES, EMPTY_401, header, type DialectProfile, type GateRequest } from './profile.js';

function authorized(req: GateRequest, authStyle: AuthStyle): boolean {
  const auth = header(req.headers, 'authorization') ?? '';
  const secret = header(req.headers, 'mj-api-secret');
  const bearerOk = auth === `Bearer ${req.apiKey}`;
  if (authStyle === 'bearer') return bearerOk;
  if (authStyle === 'mj-api-secret') return secret === req.apiKey;
  // new-api and FORK: a non-empty Authorization decides; mj-api-secret is the fallback.
  return auth !== '' ? bearerOk : secret === req.apiKey;
}

export function legacyProfile(opts: MjStandInOptions): DialectProfile {
  const flavor = opts.flavor ?? 'proxy';
  const authStyle = opts.authStyle ?? 'both';
  const routes: RouteName[] = ['fetch', 'list', 'imagine', 'action', 'modal', 'describe', 'blend', 'images'];
  if (opts.listByCondition ?? true) routes.push('list-by-condition');
  return {
    name: 'legacy',
    flavor,
    unknownIdShape: opts.unknownIdShape ?? (flavor === 'aggregator' ? '400' : 'empty200'),
    routes: new Set(routes),
    listByIdsAlias: true,
    gate(req) {
      if (authorized(req, authStyle)) return null;
      return flavor === 'aggregator'
        ? { status: 401, json: { error: { message: '无效的令牌', type: 'new_api_error' } } }
        : EMPTY_401; // NZK ApiAuthorizeInterceptor: bare 401
    },
    shapeUpstream: (json) => json,
    successButtons,
    submit: { ...GENERIC_RULES, bannedPrompt: flavor === 'aggregator' ? 'failLater' : 'code24' },
  };
}
