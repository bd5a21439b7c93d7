// Secrets never leave the bot: every error path we can reach through the real bot (Midjourney API
// failures, proxies that echo the key and the request back, submit refusals, Discord refusals, bad
// notify requests, a wrong key) runs with LOG_LEVEL=debug, then every log line and everything the bot
// sent to Discord is searched for the bot token, the MJ API key, the webhook secret and interaction
// tokens. The log lines must also be well-formed JSON, with the task id where there is one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../support/harness.js';
import type { MjFault } from '../support/mj/index.js';
import { sleep, taskIdOf } from '../support/tracking-e2e.js';
import {
  ECHOES,
  MJ_KEY,
  WEBHOOK_SECRET,
  WRONG_KEY,
  answerOf,
  imagineAnswer,
  mjtask,
  post,
  secrets,
  sentToDiscord,
  startRedactionHarness,
  track,
} from './support-log-redaction.js';

let h: Harness;
/** Tasks the log-shape checks look for: one followed through polls to SUCCESS, one whose buttons were clicked. */
let watchedTaskId = '';
let parentTaskId = '';

beforeAll(async () => {
  h = await startRedactionHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('secrets through every error path', () => {
  it('MJ API failures on /mjtask: 401, 500, HTML, malformed, timeout, unknown id, and proxies that echo the key', async () => {
    const id = h.mj.createTask({ prompt: 'a task to fail on' });
    expect(
      await mjtask(id, [
        'fetch',
        { kind: 'status', status: 401, body: `{"error":"bad key ${MJ_KEY}"}`, contentType: 'application/json' },
      ]),
    ).toMatch(/API key/);
    expect(
      await mjtask(id, ['fetch', { kind: 'status', status: 500, body: `Internal error for mj-api-secret=${MJ_KEY}` }]),
    ).toMatch(/HTTP 500/);
    expect(await mjtask(id, ['fetch', { kind: 'html', status: 502 }])).toMatch(/HTTP 502/);
    expect(await mjtask(id, ['fetch', { kind: 'malformed' }])).toMatch(/Midjourney API/);
    expect(await mjtask(id, ['fetch', { kind: 'slow', delayMs: 900 }])).toMatch(/did not answer/);
    expect(await mjtask('1234567890123456', ['fetch', { kind: 'unknownId', shape: '404' }])).toMatch(
      /No task `1234567890123456`/,
    );
    expect(await mjtask('1234567890123457', ['fetch', { kind: 'reset' }])).toMatch(/Midjourney API/);
    for (const echo of ECHOES) expect(await mjtask(id, ['fetch', echo])).toMatch(/Midjourney API/);
  });

  it('submit failures: refusals, echoing proxies, 500s and timeouts on /imagine and on a button', async () => {
    h.mj.nextSubmit('imagine', { code: 4, description: `Invalid key ${MJ_KEY}` });
    expect(await imagineAnswer('refused with the key in the description')).toMatch(/refused|could not/);
    h.mj.nextSubmit('imagine', { code: 23, description: 'queue full' });
    expect(await imagineAnswer('queue full')).toMatch(/queue is full/);
    for (const [n, echo] of [...ECHOES, { kind: 'echo', as: 'envelope' } as MjFault].entries()) {
      h.mj.fault('imagine', echo, 1);
      expect(await imagineAnswer(`echoed submit ${n}`)).not.toBe('');
    }
    h.mj.fault('imagine', { kind: 'slow', delayMs: 900 }, 1);
    expect(await imagineAnswer('too slow')).toMatch(/did not answer/);

    // A button on a finished task: its submit is echoed back too.
    const parent = (parentTaskId = h.mj.createTask({ prompt: 'a parent with buttons', status: 'SUCCESS' }));
    const shown = track(h.discord.slashCommand({ name: 'mjtask', options: { id: parent } }));
    const reply = await h.discord.waitFor(
      () => {
        const m = h.discord.interactionResponses(shown.id).original;
        return (m?.components.length ?? 0) > 0 ? m : null;
      },
      5_000,
      'the task with buttons',
    );
    const customIds = reply.components
      .flatMap((row) => (row.components as Array<{ custom_id?: string }>).map((b) => b.custom_id ?? ''))
      .filter((c) => c.includes('upsample'));
    for (const [n, echo] of [
      { kind: 'echo', as: 'envelope' },
      { kind: 'echo', status: 500, as: 'json' },
    ].entries()) {
      h.mj.fault('action', echo as MjFault, 1);
      const click = track(
        h.discord.clickButton({ channelId: reply.channel_id, messageId: reply.id, customId: customIds[n]! }),
      );
      expect(await answerOf(click)).not.toBe('');
    }
  });

  it('tracker polls that fail: echoed 401s, 500 HTML pages and timeouts on list-by-condition', async () => {
    const id = (watchedTaskId = h.mj.createTask({ prompt: 'a watched task' }));
    h.mj.clock.advance(3_000);
    const polls = h.mj.countRequests('list-by-condition');
    // Each failure doubles the wait (80, 160, 320 ms at POLL_FAST_MS=40), so three are enough.
    for (const fault of [ECHOES[0]!, ECHOES[2]!, { kind: 'slow', delayMs: 700 } as MjFault])
      h.mj.fault('list-by-condition', fault, 1);
    const watch = track(h.discord.slashCommand({ name: 'mjtask', options: { id, watch: true } }));
    await answerOf(watch, () => taskIdOf(h.discord.interactionResponses(watch.id).original ?? undefined) !== null);
    await h.discord.waitFor(
      () => h.mj.countRequests('list-by-condition') >= polls + 4,
      8_000,
      'the failed polls and one more',
    );
    h.mj.clock.advance(20_000);
    await h.discord.waitFor(
      async () => (await h.bot.context.store.tracked.get(id))?.phase === 'done',
      8_000,
      'the watched task to finish',
    );
  });

  it('Discord refusals: a channel the bot cannot post in, a deleted progress message', async () => {
    const { channelId } = h.discord.defaults;
    h.discord.revokeAccess(channelId, 'send');
    await sleep(100);
    expect(await imagineAnswer('nowhere to post')).toMatch(/could not post in/);
    h.discord.restoreAccess(channelId);
    await sleep(100);

    const i = track(h.discord.slashCommand({ name: 'imagine', options: { prompt: 'a message someone deletes' } }));
    const text = await answerOf(i);
    const [, progressId] = /channels\/\d+\/\d+\/(\d+)/.exec(text) ?? [];
    expect(progressId).toBeDefined();
    const goneBefore = h.logLines().filter((l) => l.includes('channel gone')).length;
    h.discord.deleteMessage(channelId, progressId!);
    h.mj.clock.advance(6_000);
    await h.discord.waitFor(
      () => h.logLines().filter((l) => l.includes('channel gone')).length > goneBefore,
      5_000,
      'the 10008 on the next edit',
    );
    await h.mj.flushHooks();
  });

  it('Discord refusals of interaction answers: too late to acknowledge, and a token that expired', async () => {
    // interaction.error (the acknowledgement failed) or interaction.error_reply_failed (the answer did).
    const failures = () => h.logLines().filter((l) => l.includes('"event":"interaction.error')).length;
    const errorsBefore = failures();
    // Acknowledged after Discord's 3 s: 10062 Unknown interaction, on the callback URL (token in its path).
    track(h.discord.slashCommand({ name: 'mjtask', options: { id: '1730621826053455' } }));
    h.discord.clock.advance(4_000);
    await h.discord.waitFor(() => failures() > errorsBefore, 5_000, 'the failed acknowledgement');

    // Deferred in time, but the submit outlives the 15-minute token: the edit of @original fails (50027).
    h.mj.fault('imagine', { kind: 'slow', delayMs: 300 }, 1);
    const late = track(h.discord.slashCommand({ name: 'imagine', options: { prompt: 'answered too late' } }));
    await h.discord.waitFor(() => h.discord.interactionResponses(late.id).callbackType === 5, 5_000, 'the deferral');
    h.discord.clock.advance(16 * 60_000);
    await h.discord.waitFor(
      () => h.discord.requests.some((r) => r.status === 401 && r.path.includes(late.token)),
      5_000,
      'the refused edit',
    );
    await sleep(200);
  });

  it('the notify receiver: wrong secrets, bad JSON, a task id that is the secret itself', async () => {
    expect(await post(`/notify/${WEBHOOK_SECRET.slice(0, -1)}x`, '{}')).toBe(404);
    expect(await post(`/notify/${WEBHOOK_SECRET}/${WEBHOOK_SECRET}`, '{}')).toBe(404);
    expect(await post(`/notify/${WEBHOOK_SECRET}`, `{"id":"${WEBHOOK_SECRET}","status":`)).toBe(400);
    expect(await post(`/notify/${WEBHOOK_SECRET}`, `{"id":"${MJ_KEY}"}`)).toBe(200); // a valid id, ignored
    // A valid-looking task whose id and fields are secrets: logged by id, so the id must be redacted.
    const sneaky = {
      id: WEBHOOK_SECRET,
      status: 'FAILURE',
      failReason: `key ${MJ_KEY}`,
      prompt: h.discord.token,
      state: 'x',
    };
    expect(await post(`/notify/${WEBHOOK_SECRET}`, JSON.stringify(sneaky))).toBe(200);
  });

  it('a wrong MJ key: every request is refused, and the wrong key is as secret as the right one', async () => {
    h.env.MJ_API_KEY = WRONG_KEY;
    await h.restartBot();
    try {
      expect(await mjtask(h.mj.createTask({ prompt: 'x' }))).toMatch(/rejected the bot's API key|API key/);
      h.mj.fault('fetch', { kind: 'echo', status: 401, as: 'text' }, 1);
      expect(await mjtask(h.mj.createTask({ prompt: 'y' }))).toMatch(/API key/);
      expect(await imagineAnswer('with a wrong key')).toMatch(/API key/);
    } finally {
      h.env.MJ_API_KEY = MJ_KEY;
      await h.restartBot();
    }
  });

  it('none of the secrets is in any log line', () => {
    const logs = h.logLines().join('\n');
    expect(h.logLines().length).toBeGreaterThan(100);
    expect(
      secrets()
        .filter(([, value]) => logs.includes(value))
        .map(([name]) => name),
    ).toEqual([]);
    // There was something to leak: the key went to the API, interaction URLs failed, the secret was pushed to.
    expect(h.mj.requests.some((r) => JSON.stringify(r.headers).includes(MJ_KEY))).toBe(true);
    expect(h.mj.requests.some((r) => JSON.stringify(r.headers).includes(WRONG_KEY))).toBe(true);
    expect(h.mj.requests.some((r) => JSON.stringify(r.body ?? '').includes(WEBHOOK_SECRET))).toBe(true);
    expect(logs).toMatch(/\/(interactions|webhooks)\/\d+\/\[redacted\]/);
    expect(logs).toContain('[redacted]');
  });

  it('none of the secrets is in anything the bot sent to Discord', () => {
    const discord = sentToDiscord();
    expect(
      secrets()
        .filter(([, value]) => discord.includes(value))
        .map(([name]) => name),
    ).toEqual([]);
  });

  it('every line is JSON with level, time and msg', () => {
    const bad = h.logLines().filter((line) => {
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        return !(
          typeof o.level === 'number' &&
          typeof o.time === 'number' &&
          typeof o.msg === 'string' &&
          o.msg !== ''
        );
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
  });

  it('interaction, submit and tracker lines carry the task id where there is one', () => {
    const lines = h.logLines().map((l) => JSON.parse(l) as Record<string, unknown>);
    const missing: string[] = [];
    const need = (what: string, ok: boolean) => ok || missing.push(what);
    for (const l of lines) {
      const hasTask = typeof l.taskId === 'string' || typeof l.parentTaskId === 'string';
      if (l.event === 'interaction' && (l.name === 'mjtask' || l.type === 'button' || l.type === 'modal')) {
        need(`interaction line of ${String(l.type)} ${String(l.name ?? l.customId)} without taskId`, hasTask);
      }
      if (l.event === 'click.outcome' && l.outcome === 'accepted')
        need(`click.outcome accepted (${String(l.label)}) without the new task's taskId`, typeof l.taskId === 'string');
      if (
        typeof l.event === 'string' &&
        l.event.startsWith('click.') &&
        /^[UV]\d|🔄|Vary|Zoom|Pan/.test(String(l.label ?? ''))
      ) {
        need(`${l.event} for the button ${String(l.label)} without the parent's task id`, hasTask);
      }
    }
    // The watched task went IN_PROGRESS → SUCCESS through polls alone (no hook): one line per transition.
    const transitions = lines
      .filter((l) => l.taskId === watchedTaskId && typeof l.status === 'string' && l.event !== 'mjtask.shown')
      .map((l) => l.status);
    need(
      `no tracker transition line for ${watchedTaskId} reaching SUCCESS (saw ${JSON.stringify(transitions)})`,
      transitions.includes('SUCCESS'),
    );
    expect(parentTaskId).not.toBe('');
    expect(missing.filter((m, i) => missing.indexOf(m) === i)).toEqual([]);
  });
});
