// Whether an error is Discord (or the road to it) not answering: the connection refused, reset or
// timed out, or a 5xx. A handler that fails that way has no bug to report: it is an outage or an
// overload (the 4-instance bench at 10,000 tasks logged 1,194 of them as "handler failed"), and it is
// logged as one. Anything else that reaches the router's last resort stays an error.
import { HTTPError } from 'discord.js';

/** undici's and Node's codes for a request that got no answer. */
const TRANSPORT_CODES =
  /^(UND_ERR_(CONNECT_TIMEOUT|HEADERS_TIMEOUT|BODY_TIMEOUT|SOCKET|CLOSED)|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;

/** 'timeout' | 'network' | 'server' when Discord did not answer, else null. Looks through `cause` (fetch wraps). */
export function discordUnreachable(err: unknown): 'timeout' | 'network' | 'server' | null {
  if (err instanceof HTTPError) return err.status >= 500 ? 'server' : null;
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (name === 'AbortError' || name === 'TimeoutError') return 'timeout';
    if (typeof code === 'string' && TRANSPORT_CODES.test(code))
      return /TIMEOUT|ETIMEDOUT/.test(code) ? 'timeout' : 'network';
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
