// The MJ client's unit tests (test/unit/mj-client*.test.ts): a canned HTTP server on 127.0.0.1 for
// each test (http-fixture-server.ts), real clients on it, and both closed after the test.
import { afterEach, beforeEach } from 'vitest';
import type { MjApi } from '../../src/mj/api.js';
import { createMjClient, type MjClientOptions } from '../../src/mj/client.js';
import { isMjApiError, type MjApiError } from '../../src/mj/errors.js';
import { startFixtureServer, type FixtureServer } from './http-fixture-server.js';

/** The API key the clients send: no message or detail may contain it. */
export const FIXTURE_KEY = 'sk-TopSecretKey-123456';

/** Registers the hooks; `server` is the current test's, `client()` a new client on it (Bearer, 2 s). */
export function mjClientFixture() {
  let current: FixtureServer | null = null;
  const clients: MjApi[] = [];
  beforeEach(async () => {
    current = await startFixtureServer();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await current?.close();
    current = null;
  });
  return {
    get server(): FixtureServer {
      if (!current) throw new Error('the fixture server runs inside a test only');
      return current;
    },
    client(overrides: Partial<MjClientOptions> = {}): MjApi {
      const c = createMjClient({
        baseUrl: this.server.url,
        apiKey: FIXTURE_KEY,
        authHeader: 'bearer',
        timeoutMs: 2000,
        ...overrides,
      });
      clients.push(c);
      return c;
    },
  };
}

/** What `p` rejects with; anything but an MjApiError (or a resolve) fails the test, named by `label`. */
export async function mjRejection(p: Promise<unknown>, label = 'the call'): Promise<MjApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isMjApiError(err)) throw new Error(`${label}: expected an MjApiError, got ${String(err)}`);
  return err;
}
