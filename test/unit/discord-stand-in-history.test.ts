// The Discord stand-in's GET /channels/{id}/messages, held to Discord's documented rules (Get Channel
// Messages, discord/discord-api-docs developers/resources/message.mdx): newest to oldest; `after`
// gives the messages right after the id; `limit` 1-100, default 50; `around`, `before` and `after`
// mutually exclusive; nothing without Read Message History. A listed follow-up carries its
// interaction_metadata: e2e tracking-crash-progress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordStandIn, type DiscordStandIn } from '../support/discord/index.js';

let s: DiscordStandIn;
let channelId: string;
/** The channel's messages, oldest first, as created. */
const ids: string[] = [];

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${s.apiBase}/v10${path}`, {
    method,
    headers: { authorization: `Bot ${s.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

async function list(query: string): Promise<{ status: number; ids: string[]; body: unknown }> {
  const res = await call('GET', `/channels/${channelId}/messages${query}`);
  const body = await res.json();
  return { status: res.status, ids: Array.isArray(body) ? body.map((m: { id: string }) => m.id) : [], body };
}

beforeAll(async () => {
  // No limits in the way: 130 creates in a row.
  s = await createDiscordStandIn({ editBucket: { limit: 1_000, windowMs: 1_000 }, globalLimit: null });
  channelId = s.addChannel({ name: 'history' });
  for (let i = 0; i < 130; i++) {
    const res = await call('POST', `/channels/${channelId}/messages`, { content: `message ${i}` });
    ids.push(((await res.json()) as { id: string }).id);
  }
});
afterAll(async () => {
  await s?.close();
});

const newestFirst = (slice: string[]) => [...slice].reverse();

describe('GET /channels/{id}/messages', () => {
  it('lists the newest 50 by default, newest first', async () => {
    const page = await list('');
    expect(page.status).toBe(200);
    expect(page.ids).toEqual(newestFirst(ids.slice(-50)));
  });

  it('after: the messages right after the id (the oldest newer ones), still newest first', async () => {
    expect((await list(`?after=${ids[9]}&limit=5`)).ids).toEqual(newestFirst(ids.slice(10, 15)));
    // Paging forward from the newest of a page continues where it stopped.
    const first = await list(`?after=${ids[0]}&limit=100`);
    expect(first.ids).toEqual(newestFirst(ids.slice(1, 101)));
    expect((await list(`?after=${first.ids[0]}&limit=100`)).ids).toEqual(newestFirst(ids.slice(101)));
    expect((await list(`?after=${ids[129]}`)).ids).toEqual([]);
  });

  it('before and around: older than the id; both sides of it', async () => {
    expect((await list(`?before=${ids[20]}&limit=3`)).ids).toEqual(newestFirst(ids.slice(17, 20)));
    expect((await list(`?around=${ids[60]}&limit=5`)).ids).toEqual(newestFirst(ids.slice(58, 63)));
  });

  it('gives 100 at most and refuses a limit outside 1-100 or two anchors at once (50035)', async () => {
    expect((await list('?limit=100')).ids).toHaveLength(100);
    for (const query of ['?limit=101', '?limit=0', '?limit=ten', `?after=${ids[1]}&before=${ids[5]}`, '?after=x']) {
      const page = await list(query);
      expect(page.status, query).toBe(400);
      expect(page.body, query).toMatchObject({ code: 50035 });
    }
  });

  it('lists nothing without Read Message History, and refuses without View Channel', async () => {
    const other = s.addChannel({ name: 'hidden-history' });
    await call('POST', `/channels/${other}/messages`, { content: 'kept out' });
    s.revokeAccess(other, 'history');
    const res = await call('GET', `/channels/${other}/messages`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
    s.revokeAccess(other, 'view');
    expect((await call('GET', `/channels/${other}/messages`)).status).toBe(403);
  });
});
