// GET /channels/{id}/messages as Discord documents it (discord/discord-api-docs,
// developers/resources/message.mdx, "Get Channel Messages"): messages from newest to oldest;
// `around`, `before` and `after` are mutually exclusive, only one may be passed at a time; `limit`
// is 1-100, default 50. `after` pages forward: the `limit` messages right after the id (the oldest
// of those newer than it), still listed newest first; `before` and no anchor give the newest ones
// older than it; `around` the ones on both sides of it. Discord does not document its answer to a
// query outside these rules: the stand-in refuses one (400, 50035) so the bot never relies on it.
import { httpErrors, type Violation } from './http-errors.js';

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_HISTORY_LIMIT = 100;

const ANCHORS = ['around', 'before', 'after'] as const;
const SNOWFLAKE = /^\d{1,20}$/;

/**
 * The page of `messages` (oldest first, as the channel holds them) the query asks for, newest first;
 * throws Discord's Invalid Form Body for a query outside the documented rules.
 */
export function historyPage<M extends { id: string }>(messages: readonly M[], query: URLSearchParams): M[] {
  const violations: Violation[] = [];
  const rawLimit = query.get('limit');
  const limit = rawLimit === null ? DEFAULT_HISTORY_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT)
    violations.push({
      path: ['limit'],
      code: 'NUMBER_TYPE_MAX',
      message: `int value should be between 1 and ${MAX_HISTORY_LIMIT}.`,
    });
  const given = ANCHORS.filter((name) => query.get(name) !== null);
  for (const name of given)
    if (!SNOWFLAKE.test(query.get(name) ?? ''))
      violations.push({
        path: [name],
        code: 'NUMBER_TYPE_COERCE',
        message: `Value "${query.get(name)}" is not snowflake.`,
      });
  if (given.length > 1)
    violations.push({
      path: [given[1] ?? ''],
      code: 'BASE_TYPE_BAD_COMBINATION',
      message: 'The around, before and after parameters are mutually exclusive.',
    });
  if (violations.length > 0) throw httpErrors.invalidFormBody(violations);

  const age = (m: M) => BigInt(m.id);
  const sorted = [...messages].sort((a, b) => (age(a) < age(b) ? -1 : age(a) > age(b) ? 1 : 0));
  const [anchor] = given;
  const at = anchor === undefined ? 0n : BigInt(query.get(anchor) ?? '0');
  let page: M[];
  if (anchor === 'after') page = sorted.filter((m) => age(m) > at).slice(0, limit);
  else if (anchor === 'before') page = sorted.filter((m) => age(m) < at).slice(-limit);
  else if (anchor === 'around') {
    // The anchor (when it exists) and the messages on each side of it, half the limit older.
    const firstNewer = sorted.findIndex((m) => age(m) >= at);
    const split = firstNewer === -1 ? sorted.length : firstNewer;
    const start = Math.max(0, split - Math.floor(limit / 2));
    page = sorted.slice(start, start + limit);
  } else page = sorted.slice(-limit);
  return page.reverse();
}
