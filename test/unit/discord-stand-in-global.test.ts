// The Discord stand-in's global limit and its request record: which requests count against the
// bot's 50/s (interaction callbacks and the interaction webhook do not), a global 429 past the limit,
// and a record without bodies for benchmarks.
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordStandIn, type DiscordStandIn, type DiscordStandInOptions } from '../support/discord/index.js';
import type { Clock } from '../../src/clock.js';

const opened: DiscordStandIn[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function standIn(options: DiscordStandInOptions): Promise<DiscordStandIn> {
  const s = await createDiscordStandIn(options);
  opened.push(s);
  return s;
}

const call = (s: DiscordStandIn, method: string, path: string, body?: unknown) =>
  fetch(`${s.apiBase}/v10${path}`, {
    method,
    headers: { authorization: `Bot ${s.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('the global limit', () => {
  it('marks which requests count against it, whether or not it is enforced', async () => {
    const s = await standIn({});
    const channel = s.defaults.channelId;
    expect((await call(s, 'POST', `/channels/${channel}/messages`, { content: 'hi' })).status).toBe(200);
    await call(s, 'GET', '/users/@me');
    await call(s, 'POST', `/interactions/${'1'.repeat(18)}/some-token/callback`, { type: 5 });
    await call(s, 'PATCH', `/webhooks/${s.applicationId}/some-token/messages/@original`, { content: 'x' });
    await call(s, 'POST', `/webhooks/${s.applicationId}/some-token`, { content: 'x' });
    expect(s.requests.map((r) => [r.method, r.countsTowardGlobal])).toEqual([
      ['POST', true],
      ['GET', true],
      ['POST', false],
      ['PATCH', false],
      ['POST', false],
    ]);
  });

  it('answers a global 429 past the limit in any window, and never to interaction routes', async () => {
    let now = 1_000_000;
    const clock: Clock = { now: () => now };
    const s = await standIn({ globalLimit: { limit: 3, windowMs: 1000 }, rateLimitClock: clock });
    for (let i = 0; i < 3; i++, now += 300) expect((await call(s, 'GET', '/users/@me')).status).toBe(200);
    // 900 ms after the first: three in the last second.
    const limited = await call(s, 'GET', '/users/@me');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-ratelimit-global')).toBe('true');
    expect(limited.headers.get('x-ratelimit-scope')).toBe('global');
    expect(await limited.json()).toMatchObject({ global: true, retry_after: 0.1 });
    expect(limited.headers.get('retry-after')).toBe('1');
    // The interaction's own routes pass however busy the bot is.
    const hook = await call(s, 'PATCH', `/webhooks/${s.applicationId}/tok/messages/@original`, { content: 'x' });
    expect(hook.status).not.toBe(429);
    // Sliding: the window frees one slot per accepted arrival that leaves it, not all at a boundary.
    now += 100;
    expect((await call(s, 'GET', '/users/@me')).status).toBe(200);
    expect((await call(s, 'GET', '/users/@me')).status).toBe(429);
    expect(s.count429()).toBe(2);
  });

  it('can keep the record without bodies while beforeAnswer still sees them', async () => {
    const s = await standIn({ keepRequestBodies: false });
    const seen: unknown[] = [];
    s.beforeAnswer((r) => seen.push(r.body));
    await call(s, 'POST', `/channels/${s.defaults.channelId}/messages`, { content: 'kept out' });
    expect(seen).toEqual([{ content: 'kept out' }]);
    expect(s.requests[0]).toMatchObject({ method: 'POST', status: 200, body: undefined, countsTowardGlobal: true });
  });
});
