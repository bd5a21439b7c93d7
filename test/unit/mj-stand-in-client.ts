// What the Midjourney stand-in's unit tests share: stand-ins closed after each test, and the bot's
// own requests (bearer auth, JSON) made with fetch over real HTTP on 127.0.0.1.
import type { Server } from 'node:http';
import { createMjStandIn, type MjStandIn, type MjStandInOptions } from '../support/mj/index.js';

const opened: MjStandIn[] = [];
/** Hook receivers a test started (notifyHook targets), closed with the stand-ins. */
export const receivers: Server[] = [];

/** For afterEach: closes every stand-in and receiver the test opened. */
export async function closeOpened(): Promise<void> {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(receivers.splice(0).map((r) => new Promise((done) => r.close(done))));
}

export async function standIn(opts?: MjStandInOptions): Promise<MjStandIn> {
  const s = await createMjStandIn(opts);
  opened.push(s);
  return s;
}
export const bearer = (s: MjStandIn) => ({ authorization: `Bearer ${s.apiKey}` });
export const get = (s: MjStandIn, path: string, headers: Record<string, string> = bearer(s)) =>
  fetch(s.baseUrl + path, { headers });
export const post = (s: MjStandIn, path: string, body: unknown, headers: Record<string, string> = bearer(s)) =>
  fetch(s.baseUrl + path, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
export const json = async (res: Response) => (await res.json()) as Record<string, any>;
export const fetchTask = async (s: MjStandIn, id: string) => json(await get(s, `/mj/task/${id}/fetch`));
export const imagine = async (s: MjStandIn, body: Record<string, unknown> = { prompt: 'a cat --v 6.1' }) =>
  json(await post(s, '/mj/submit/imagine', body));
export const action = async (s: MjStandIn, taskId: string, customId: string) =>
  post(s, '/mj/submit/action', { taskId, customId });
export const button = (task: Record<string, any>, label: string) =>
  (task.buttons as { customId: string; label: string }[]).find((b) => b.label === label)!.customId;
/** A finished imagine on the stand-in and its buttons. */
export async function successGrid(s: MjStandIn) {
  const id = s.createTask({ status: 'SUCCESS', prompt: 'a red fox --v 6.1' });
  return { id, task: await fetchTask(s, id) };
}
/** The credentials each dialect's server takes: mj-api-secret on the proxies, Bearer on new-api. */
export const credentials = (s: MjStandIn): Record<string, string> =>
  s.dialect === 'newapi' ? bearer(s) : { 'mj-api-secret': s.apiKey };
/** Advance the stand-in clock past a task's default timeline and new-api's next refresh. */
export const finish = (s: MjStandIn) => s.clock.advance(31_000);
