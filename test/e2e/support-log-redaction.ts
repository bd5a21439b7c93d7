// The log-redaction run: one bot with LOG_LEVEL=debug and every secret set, the interactions it was
// sent (their tokens are secrets too), and the ways a test reaches an error path and reads back what
// the bot logged and sent. Module state is per test file (vitest isolates modules per file).
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { DispatchedInteraction } from '../support/discord/index.js';
import { startHarness, type Harness } from '../support/harness.js';
import type { MjFault } from '../support/mj/index.js';
import { FAST_BUCKET, FAST_BUDGET, taskIdOf } from '../support/tracking-e2e.js';

export const MJ_KEY = `sk-live-${randomBytes(18).toString('hex')}`;
export const WRONG_KEY = `sk-wrong-${randomBytes(18).toString('hex')}`;
export const WEBHOOK_SECRET = `whsec_${randomBytes(18).toString('hex')}`;

let h: Harness;
const dispatched: DispatchedInteraction[] = [];

/** Starts the bot every secret is set on; the file's tests share it. */
export async function startRedactionHarness(): Promise<Harness> {
  h = await startHarness({
    webhook: true,
    mj: { apiKey: MJ_KEY },
    env: {
      // Refusals on the channel routes (a channel the bot cannot post in, a deleted progress message).
      PROGRESS_THROUGH_INTERACTION: 'false',
      WEBHOOK_SECRET,
      LOG_LEVEL: 'debug',
      MJ_TIMEOUT_MS: '500',
      CLICKS_PER_MINUTE: '0',
      MAX_RUNNING_TASKS_PER_MEMBER: '0',
      CLICK_POLICY: 'anyone',
    },
    // A clock the test moves lets an interaction expire (ack deadline, 15-minute token) on demand.
    discord: { editBucket: FAST_BUCKET, clock: 'manual' },
    channelBudget: FAST_BUDGET,
  });
  return h;
}

/**
 * Every secret in the forms it could leak in: as is, URL-encoded (discord.js errors carry encoded
 * URLs), and its last 16 characters (a secret cut short by a truncation is still a leak).
 */
export function secrets(): Array<[string, string]> {
  const named: Array<[string, string]> = [
    ['bot token', h.discord.token],
    ['MJ key', MJ_KEY],
    ['wrong MJ key', WRONG_KEY],
    ['webhook secret', WEBHOOK_SECRET],
    ...dispatched.map((i): [string, string] => [`interaction token of ${i.id}`, i.token]),
  ];
  return named.flatMap(
    ([name, value]): Array<[string, string]> => [
      [name, value],
      [`${name} (URL-encoded)`, encodeURIComponent(value)],
      [`${name} (its last 16 characters)`, value.slice(-16)],
    ],
  );
}

/** Everything the bot told Discord: request bodies (messages, edits, interaction answers, files) and what Discord stored. */
export function sentToDiscord(): string {
  const requests = h.discord.requests.map((r) => ({
    body: r.body,
    files: r.files.map((f) => [f.filename, f.bytes.toString('latin1')]),
  }));
  const { channelId, otherChannelId } = h.discord.defaults;
  const stored = [channelId, otherChannelId].flatMap((c) =>
    h.discord.messages(c).flatMap((m) => h.discord.messageHistory(m.id)),
  );
  const answers = dispatched.map((i) => h.discord.interactionResponses(i.id));
  return JSON.stringify({ requests, stored, answers });
}

export function track(i: DispatchedInteraction): DispatchedInteraction {
  dispatched.push(i);
  return i;
}

/** The member's view of an interaction once the bot has answered it: every text it shows. */
export async function answerOf(
  i: DispatchedInteraction,
  done: (text: string) => boolean = (t) => t.trim() !== '',
): Promise<string> {
  return h.discord.waitFor(
    () => {
      const v = h.discord.interactionResponses(i.id);
      const text = JSON.stringify([
        v.callbackData,
        v.original?.content,
        v.original?.embeds,
        v.followUps.map((m) => [m.content, m.embeds]),
      ]);
      const plain = [v.callbackData?.content, v.original?.content, ...v.followUps.map((m) => m.content)]
        .filter((t) => typeof t === 'string')
        .join('\n');
      return done(plain) ? text : null;
    },
    5_000,
    `the answer to interaction ${i.id}`,
  );
}

export async function mjtask(id: string, fault?: [string, MjFault]): Promise<string> {
  if (fault) h.mj.fault(fault[0], fault[1], 1);
  const i = track(h.discord.slashCommand({ name: 'mjtask', options: { id, watch: false } }));
  return answerOf(i, (t) => t !== '' || taskIdOf(h.discord.interactionResponses(i.id).original ?? undefined) !== null);
}

export async function imagineAnswer(prompt: string): Promise<string> {
  const i = track(h.discord.slashCommand({ name: 'imagine', options: { prompt } }));
  return answerOf(i);
}

export function post(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${new URL(h.notifyUrl!).origin}${path}`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const ECHOES: MjFault[] = [
  { kind: 'echo', status: 401, as: 'json' },
  { kind: 'echo', status: 403, as: 'text' },
  { kind: 'echo', status: 500, as: 'html' },
  { kind: 'echo', status: 400, as: 'json' },
  { kind: 'echo', status: 200, as: 'text' },
];
