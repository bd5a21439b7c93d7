// Nothing secret leaves, through any reply path: each configured secret (MJ API key, bot token,
// webhook secret, the notifyHook URL that carries it) is fed in through what the API says — a
// public failure result, error bodies quoting it raw, URL-encoded and \u-escaped, a prompt that goes
// into a pop-up form's prefill, progress messages, /mjtask replies — and then every byte the Discord
// stand-in recorded (request bodies, file names, stored messages and their edits, interaction answers,
// modals) is searched for it, decoded, and for its first 8 characters.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DispatchedInteraction } from '../support/discord/index.js';
import type { Harness } from '../support/harness.js';
import type { MjFault } from '../support/mj/index.js';
import { fieldOf, imagine, resultsOf, startTrackingHarness, taskIdOf } from '../support/tracking-e2e.js';
import { buttonIdWith, click, showFinishedTask } from './support-clicks.js';
import { clickForModal, editPromptButton } from './support-forms.js';

const MJ_KEY = `sk-live-${randomBytes(18).toString('hex')}`;
const WEBHOOK_SECRET = `whsec_${randomBytes(18).toString('hex')}`;

let h: Harness;
const dispatched: DispatchedInteraction[] = [];

beforeAll(async () => {
  h = await startTrackingHarness({
    webhook: true,
    mj: { apiKey: MJ_KEY, remix: true },
    env: { WEBHOOK_SECRET, CLICK_POLICY: 'anyone' },
  });
});
afterAll(async () => {
  await h?.close();
});

const secrets = (): Array<[string, string]> => [
  ['MJ key', MJ_KEY],
  ['bot token', h.discord.token],
  ['webhook secret', WEBHOOK_SECRET],
];

/** Every secret as the API might quote it, raw, in one sentence. */
const allSecrets = (what: string) => `${what}: key ${MJ_KEY} hook ${h.notifyUrl} token ${h.discord.token}`;
const uEscaped = (text: string) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const lowerPercent = (text: string) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
/** Every other character \u-escaped: a careless serializer, char by char. */
const mixedEscaped = (text: string) =>
  [...text].map((c, i) => (i % 2 === 0 ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');

/** Undoes URL-encoding, \u-escapes and markdown backslashes (secrets are ASCII), as a reader could. */
function decoded(text: string): string {
  return text
    .replace(/%([0-7][0-9a-f])/gi, (_m, x: string) => String.fromCharCode(parseInt(x, 16)))
    .replace(/\\u00([0-7][0-9a-f])/gi, (_m, x: string) => String.fromCharCode(parseInt(x, 16)))
    .replace(/\\/g, '');
}

/** Everything Discord got from the bot or stores for it, as one text. */
function recordedByDiscord(): string {
  const requests = h.discord.requests.map((r) => ({ body: r.body, files: r.files.map((f) => f.filename) }));
  const { channelId, otherChannelId } = h.discord.defaults;
  const stored = [channelId, otherChannelId].flatMap((c) =>
    h.discord.messages(c).flatMap((m) => h.discord.messageHistory(m.id)),
  );
  const answers = dispatched.map((i) => h.discord.interactionResponses(i.id));
  // JSON.stringify escapes backslashes; parse every string back out so `decoded` sees what Discord shows.
  return JSON.stringify({ requests, stored, answers }, null, 0).replace(/\\\\/g, '\\');
}

function track(i: DispatchedInteraction): DispatchedInteraction {
  dispatched.push(i);
  return i;
}

/** Interactions a shared helper dispatched: only their id is needed to read their answers back. */
const trackId = (id: string): void => void track({ id, token: '', applicationId: '' });

const FLAG_EPHEMERAL = 64;
const FLAG_LOADING = 128;

/** The member's private answer, wherever replyPrivately put it: the reply, the edited deferral or a follow-up. */
async function answered(i: DispatchedInteraction): Promise<{ text: string; ephemeral: boolean }> {
  track(i);
  return h.discord.waitFor(
    () => {
      const v = h.discord.interactionResponses(i.id);
      const data = v.callbackType === 4 ? v.callbackData : null;
      if (data)
        return { text: String(data.content ?? ''), ephemeral: (Number(data.flags ?? 0) & FLAG_EPHEMERAL) !== 0 };
      const followUp = v.followUps[0];
      if (followUp) return { text: followUp.content, ephemeral: (followUp.flags & FLAG_EPHEMERAL) !== 0 };
      const original = v.original;
      if (v.callbackType === 5 && original && (original.flags & FLAG_LOADING) === 0 && original.content !== '')
        return { text: original.content, ephemeral: (original.flags & FLAG_EPHEMERAL) !== 0 };
      return null;
    },
    5_000,
    `the private answer to ${i.id}`,
  );
}

describe('each secret through every reply path', () => {
  it('a failReason quoting every secret, posted as a public result (S1), and the progress before it', async () => {
    h.mj.nextTask({
      timeline: { outcome: 'FAILURE', failReason: allSecrets('[Verify your account](https://evil.example)') },
    });
    const started = await imagine(h, 'an innocent prompt');
    trackId(started.interactionId);
    // The API's own view of the task, shown in progress edits: prompt, finalPrompt, description.
    h.mj.setTask(started.taskId, {
      prompt: allSecrets('prompt'),
      description: allSecrets('description'),
      properties: { finalPrompt: allSecrets('finalPrompt') },
    });
    h.mj.clock.advance(6_000); // running
    await h.discord.waitFor(
      () => h.discord.message(started.channelId, started.progressId)?.content.includes('[redacted]'),
      5_000,
      'a progress edit showing the API prompt',
    );
    h.mj.clock.advance(20_000); // failed
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the public result');
    expect(result.flags & 64).toBe(0);
    const reason = fieldOf(result, 'Reason') ?? '';
    expect(reason).toContain('[redacted]');
    expect(reason).not.toMatch(/(?<!\\)\[Verify your account(?<!\\)\]\(/); // no masked link either
  });

  it('a failReason whose secret a cut at 1024 characters would leave half of', async () => {
    h.mj.nextTask({ timeline: { outcome: 'FAILURE', failReason: `${'x'.repeat(1018)}${WEBHOOK_SECRET}` } });
    const started = await imagine(h, 'cut in the middle');
    h.mj.clock.advance(30_000);
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 5_000, 'the result');
    const reason = fieldOf(result, 'Reason') ?? '';
    expect(reason).toMatch(/^x{1018}.*…$/);
    expect(reason).not.toContain('whs');
  });

  it('error bodies quoting the webhook secret raw, URL-encoded (both cases), \\u-escaped and mixed (S2)', async () => {
    const bodies: Array<[string, string]> = [
      ['text/plain', `proxy failed for notifyHook ${h.notifyUrl}`],
      ['text/plain', `bad notifyHook=${encodeURIComponent(h.notifyUrl!)}`],
      ['text/plain', `bad notifyHook=${lowerPercent(h.notifyUrl!)}`],
      ['text/plain', `{"notifyHook":"…/${uEscaped(WEBHOOK_SECRET)}"}`],
      ['text/plain', `secret ${mixedEscaped(WEBHOOK_SECRET)} rejected`],
      ['application/json', JSON.stringify({ error: { message: `hook ${h.notifyUrl} refused` } })],
      ['application/json', `{"description":"hook \\u0068ttp${h.notifyUrl!.slice(4)} refused"}`],
    ];
    for (const [contentType, body] of bodies) {
      h.mj.fault('imagine', { kind: 'status', status: 500, body, contentType } satisfies MjFault, 1);
      const answer = await answered(h.discord.slashCommand({ name: 'imagine', options: { prompt: 'refused' } }));
      expect(answer.ephemeral).toBe(true);
      expect(answer.text).toMatch(/HTTP 500/);
      expect(answer.text, body).toContain('[redacted]');
    }
    // The same on /mjtask and on a button.
    const id = h.mj.createTask({ prompt: 'shown', status: 'SUCCESS' });
    h.mj.fault('fetch', { kind: 'status', status: 502, body: `upstream ${allSecrets('x')}` }, 1);
    expect((await answered(h.discord.slashCommand({ name: 'mjtask', options: { id } }))).text).toMatch(/HTTP 502/);
    const shown = await showFinishedTask(h, { existingId: id });
    h.mj.fault('action', { kind: 'status', status: 500, body: `no: ${mixedEscaped(h.notifyUrl!)}` }, 1);
    const clicked = await click(h, shown, buttonIdWith(h, shown, '::upsample::1::'));
    trackId(clicked.interactionId);
    expect(clicked.text).toMatch(/HTTP 500/);
    // A submit refusal whose description quotes the key.
    h.mj.nextSubmit('imagine', { code: 4, description: allSecrets('refused') });
    expect((await answered(h.discord.slashCommand({ name: 'imagine', options: { prompt: 'no' } }))).text).not.toBe('');
  });

  it('a prompt quoting every secret: /mjtask reply, the Remix answer and the prefilled pop-up form', async () => {
    const shown = await showFinishedTask(h, { prompt: allSecrets('a koi pond') });
    const reply = h.discord.message(shown.channelId, shown.messageId)!;
    expect(reply.content).toContain('[redacted]');
    // Remix on: V1 is answered with the API's finalPrompt, then the form is prefilled from that answer.
    const asked = await click(h, shown, buttonIdWith(h, shown, '::variation::1::'));
    trackId(asked.interactionId);
    expect(asked.text).toMatch(/needs a prompt first/);
    const edit = editPromptButton(asked);
    const form = await clickForModal(h, edit.where, edit.customId);
    trackId(form.interactionId);
    expect(form.prefill).toContain('a koi pond');
    expect(form.prefill).toContain('[redacted]');
  });

  it('/mjtask of a running task with secrets in every field, watched through its progress edits', async () => {
    const id = h.mj.createTask({ prompt: 'to be poisoned', status: 'IN_PROGRESS', progress: '10%' });
    h.mj.setTask(id, {
      action: allSecrets('ACTION'),
      status: 'IN_PROGRESS',
      prompt: encodeURIComponent(allSecrets('encoded prompt')),
      promptEn: allSecrets('promptEn'),
      failReason: allSecrets('failReason'),
      buttons: [{ customId: 'MJ::JOB::upsample::1::abc', label: allSecrets('label'), emoji: '', style: 2, type: 2 }],
    });
    const watch = track(h.discord.slashCommand({ name: 'mjtask', options: { id, watch: true } }));
    await h.discord.waitFor(
      () => taskIdOf(h.discord.interactionResponses(watch.id).original ?? undefined) !== null,
      5_000,
      'the /mjtask reply',
    );
    h.mj.setTask(id, { progress: '55%', description: uEscaped(WEBHOOK_SECRET) });
    await h.discord.waitFor(
      () => h.discord.interactionResponses(watch.id).original?.content.includes('55%'),
      5_000,
      'a progress edit of the watched reply',
    );
  });

  it('a result uploaded with its image (a multipart body: payload_json and the file)', async () => {
    const started = await imagine(h, 'a lighthouse');
    h.mj.setTask(started.taskId, { prompt: allSecrets('uploaded'), promptEn: uEscaped(MJ_KEY) });
    h.mj.clock.advance(120_000); // straight to SUCCESS
    const result = await h.discord.waitFor(() => resultsOf(h, started)[0], 8_000, 'the result with its image');
    expect(result.attachments).toHaveLength(1);
    expect(result.content).toContain('[redacted]');
    const upload = h.discord.requests.find((r) => r.files.length > 0 && JSON.stringify(r.body).includes('uploaded'));
    expect(upload?.files[0]?.bytes.length).toBeGreaterThan(0);
  });

  it('nothing recorded by Discord holds any secret, in any encoding, nor its first 8 characters', () => {
    const recorded = recordedByDiscord();
    const plain = decoded(recorded);
    expect(recorded).toContain('[redacted]');
    const leaks = secrets().flatMap(([name, value]) =>
      [
        [`${name}`, recorded.includes(value)],
        [`${name} (URL-encoded)`, recorded.includes(encodeURIComponent(value))],
        [`${name} (\\u-escaped)`, recorded.toLowerCase().includes(uEscaped(value).slice(0, 48).toLowerCase())],
        [`${name} (decoded)`, plain.includes(value)],
        [`${name} (its first 8 characters)`, plain.includes(value.slice(0, 8))],
      ]
        .filter(([, leaked]) => leaked)
        .map(([what]) => what),
    );
    expect(leaks).toEqual([]);
    // There was something to leak: the API served every secret the bot was shown.
    expect(JSON.stringify(h.mj.requests.map((r) => r.body))).toContain(WEBHOOK_SECRET);
  });
});
