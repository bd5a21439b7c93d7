import { describe, expect, it } from 'vitest';
import { renderTask } from '../../src/render/task-message.js';
import { DiscordDeliveryError, SUPPRESS_NOTIFICATIONS } from '../../src/tracking/messenger.js';
import { progressNonce, type RenderFn } from '../../src/tracking/payloads.js';
import { createPublisher } from '../../src/tracking/publisher.js';
import type { InteractionMessenger } from '../../src/tracking/messenger.js';
import type { InteractionRoute, PublishOutcome } from '../../src/tracking/types.js';
import { createFakeDiscord, createManualTime, createTestRender, task } from './tracker-fakes.js';
import { CHANNEL, progress, REQUESTER, setupPublisher, success, tracked, withMessage } from './tracker-worlds.js';

describe('publisher: progress messages', () => {
  it('creates a silent progress message that pings nobody, with a deterministic nonce', async () => {
    const s = setupPublisher();
    const t = tracked('1700000000000001');
    const p = s.publisher.publish(progress(t, 10));
    await s.time.flush();
    const outcome = await p;
    expect(outcome.kind).toBe('ok');
    const [op] = s.discord.ops;
    expect(op?.op).toBe('send');
    expect(op?.nonce).toBe(progressNonce(t));
    expect(op?.body?.flags).toBe(SUPPRESS_NOTIFICATIONS);
    expect(op?.body?.allowed_mentions).toEqual({ parse: [], users: [] });
    // The mention is shown (like Midjourney) but not pinged.
    expect(op?.body?.content).toContain(`<@${REQUESTER}>`);
  });

  it('coalesces a burst of 10 updates into at most 2 edits showing the last state', async () => {
    const s = setupPublisher({ latencyMs: 200 });
    const t = await withMessage(s, '1700000000000002');
    const editsBefore = s.discord.ops.filter((o) => o.op === 'edit').length;
    const outcomes: Array<Promise<PublishOutcome>> = [];
    for (let pct = 10; pct <= 100; pct += 10) outcomes.push(s.publisher.publish(progress(t, pct - 1)));
    await s.time.advance(5_000);
    const edits = s.discord.ops.filter((o) => o.op === 'edit').length - editsBefore;
    expect(edits).toBeGreaterThanOrEqual(1);
    expect(edits).toBeLessThanOrEqual(2);
    expect(s.discord.messages.get(t.messageId as string)?.body.content).toContain('IN_PROGRESS 99%');
    const kinds = (await Promise.all(outcomes)).map((o) => o.kind);
    expect(kinds.at(-1)).toBe('ok');
    expect(kinds.filter((k) => k === 'skipped').length).toBeGreaterThanOrEqual(8);
  });

  it('offers progress with a callback: the one in flight and the last hear ok, the one replaced while queued skipped, and retry once closed', async () => {
    const s = setupPublisher({ latencyMs: 200 });
    const t = await withMessage(s, '1700000000000012');
    const heard: string[] = [];
    for (const pct of [20, 30, 40]) s.publisher.offerProgress(progress(t, pct), (o) => heard.push(`${pct}:${o.kind}`));
    // 20 goes out at once; 30 waits behind it and hears at once, from inside the offer that replaced it.
    expect(heard).toEqual(['30:skipped']);
    await s.time.advance(1_000);
    expect(heard).toEqual(['30:skipped', '20:ok', '40:ok']);
    expect(s.discord.messages.get(t.messageId as string)?.body.content).toContain('IN_PROGRESS 40%');
    await s.publisher.close();
    s.publisher.offerProgress(progress(t, 50), (o) => heard.push(`50:${o.kind}`));
    expect(heard.at(-1)).toBe('50:retry');
  });

  it('keeps at most one request in flight per message', async () => {
    const s = setupPublisher({ latencyMs: 700 });
    const t = await withMessage(s, '1700000000000003');
    for (let i = 1; i <= 6; i++) {
      void s.publisher.publish(progress(t, i * 10));
      await s.time.advance(300);
    }
    await s.time.advance(10_000);
    expect(s.discord.maxConcurrentPerMessage()).toBe(1);
    expect(s.discord.messages.get(t.messageId as string)?.body.content).toContain('IN_PROGRESS 60%');
  });

  it('sends no edit when the render did not change', async () => {
    const s = setupPublisher();
    const t = await withMessage(s, '1700000000000004');
    const first = s.publisher.publish(progress(t, 40));
    await s.time.advance(10);
    expect((await first).kind).toBe('ok');
    const again = s.publisher.publish(progress(t, 40));
    await s.time.advance(10);
    expect((await again).kind).toBe('skipped');
    expect(s.discord.ops.filter((o) => o.op === 'edit')).toHaveLength(1);
  });

  it('also skips a render identical to the hash remembered from before a restart', async () => {
    const s = setupPublisher();
    const t = await withMessage(s, '1700000000000005');
    const fresh = createPublisher({
      messenger: s.discord,
      render: s.render,
      clock: s.time.clock,
      scheduler: s.time.scheduler,
    });
    const outcome = fresh.publish({ tracked: t, task: task(t.taskId, 'SUBMITTED', '0%'), final: false });
    await s.time.advance(10);
    expect((await outcome).kind).toBe('skipped');
    expect(s.discord.ops).toHaveLength(1);
  });
});

describe('publisher: per-channel budget', () => {
  it('never exceeds 4 operations in any 5 s window with 50 tasks, and delivers every last state', async () => {
    const s = setupPublisher({ latencyMs: 50 });
    const tasks = Array.from({ length: 50 }, (_, i) => tracked(`17000000000001${String(i).padStart(2, '0')}`));
    const created = tasks.map((t) => s.publisher.publish(progress(t, 5)));
    for (let step = 1; step <= 5; step++) {
      await s.time.advance(1_000);
      for (const t of tasks) void s.publisher.publish(progress(t, 5 + step * 10));
    }
    await s.time.advance(5 * 60_000);
    await s.publisher.idle();
    expect((await Promise.all(created)).every((o) => o.kind === 'ok' || o.kind === 'skipped')).toBe(true);
    expect(s.discord.maxOpsInWindow(CHANNEL, 5_000)).toBeLessThanOrEqual(4);
    const shown = s.discord.inChannel(CHANNEL).map((m) => m.body.content);
    expect(shown).toHaveLength(50);
    expect(shown.every((c) => c?.includes('IN_PROGRESS 55%'))).toBe(true);
  });

  it('sends results ahead of queued progress edits', async () => {
    const s = setupPublisher({ budget: { limit: 1, windowMs: 1_000 } });
    const tasks = Array.from({ length: 5 }, (_, i) =>
      tracked(`17000000000002${i}0`, { messageId: `90000000000000000${i}` }),
    );
    for (const t of tasks)
      s.discord.messages.set(t.messageId as string, {
        id: t.messageId as string,
        channelId: CHANNEL,
        body: {},
        files: [],
        edits: 0,
      });
    for (const t of tasks) void s.publisher.publish(progress(t, 50));
    const result = s.publisher.publish(success(tracked('1700000000000299')));
    await s.time.advance(20_000);
    expect((await result).kind).toBe('ok');
    const order = s.discord.ops.map((o) => o.op);
    // The first edit was already started when the result arrived; the result goes next.
    expect(order.indexOf('send')).toBeLessThanOrEqual(1);
  });

  it('backs off after a 429 and still delivers', async () => {
    const s = setupPublisher();
    const t = await withMessage(s, '1700000000000006');
    let once = true;
    s.discord.fault = ({ op }) => {
      if (op === 'edit' && once) {
        once = false;
        return new DiscordDeliveryError('rate_limited', '429', undefined, 3_000);
      }
      return undefined;
    };
    const p = s.publisher.publish(progress(t, 70));
    await s.time.advance(2_000);
    expect(s.discord.messages.get(t.messageId as string)?.body.content).toContain('SUBMITTED');
    await s.time.advance(2_000);
    expect((await p).kind).toBe('ok');
    expect(s.discord.messages.get(t.messageId as string)?.body.content).toContain('IN_PROGRESS 70%');
  });
});

describe('publisher: a renderer that throws', () => {
  it('answers that update invalid and keeps serving the channel', async () => {
    const render = createTestRender();
    const picky: RenderFn = (t, opts) => {
      if (t.progress === '13%') throw new Error('render bug');
      return render(t, opts);
    };
    const s = setupPublisher({ render: picky });
    const bad = s.publisher.publish(progress(tracked('1700000000000019'), 13));
    const good = s.publisher.publish(progress(tracked('1700000000000020'), 14));
    const badResult = s.publisher.publish({
      tracked: tracked('1700000000000021'),
      task: task('1700000000000021', 'SUCCESS', '13%'),
      final: true,
    });
    await s.time.advance(10);
    expect((await bad).kind).toBe('invalid');
    expect((await badResult).kind).toBe('invalid');
    expect((await good).kind).toBe('ok');
    expect(s.discord.inChannel(CHANNEL)).toHaveLength(1);
  });
});

describe('publisher with the real renderer', () => {
  it('accepts renderTask and keeps progress silent while the result pings the requester', async () => {
    const s = setupPublisher({ render: renderTask });
    const t = tracked('1700000000000018');
    const p = s.publisher.publish(progress(t, 30));
    await s.time.advance(10);
    expect((await p).kind).toBe('ok');
    const r = s.publisher.publish(success(t));
    await s.time.advance(10);
    expect((await r).kind).toBe('ok');
    const [progressOp, resultOp] = s.discord.ops;
    expect(progressOp?.body?.allowed_mentions).toEqual({ parse: [], users: [] });
    expect(progressOp?.body?.flags).toBe(SUPPRESS_NOTIFICATIONS);
    expect(resultOp?.body?.allowed_mentions).toEqual({ parse: [], users: [REQUESTER] });
    expect(resultOp?.body?.content).toContain(`<@${REQUESTER}>`);
  });
});

describe('publisher: progress through interaction webhooks', () => {
  it('holds them to their own per-second limit, not the channel routes’ global one', async () => {
    const time = createManualTime();
    const started: number[] = [];
    const interactions: InteractionMessenger = {
      followUp: () => {
        started.push(time.clock.now());
        return Promise.resolve({ id: `90000000000000${String(started.length).padStart(3, '0')}` });
      },
      edit: (_hook, ref) => Promise.resolve({ id: ref }),
      delete: () => Promise.resolve(),
    };
    const publisher = createPublisher({
      messenger: createFakeDiscord(time, { latencyMs: 0 }),
      interactions,
      render: createTestRender(),
      clock: time.clock,
      scheduler: time.scheduler,
      options: { global: { limit: 2, windowMs: 1_000 }, interactionGlobal: { limit: 10, windowMs: 1_000 } },
    });
    // 30 members' tasks, each shown through its own interaction (one token, one lane each).
    const updates = Array.from({ length: 30 }, (_, i) => {
      const id = `17000000000003${String(i).padStart(2, '0')}`;
      const via: InteractionRoute = {
        applicationId: '400000000000000001',
        token: `token-${i}`,
        interactionId: `5000000000000003${String(i).padStart(2, '0')}`,
        originalMessageId: null,
        usableUntil: time.clock.now() + 600_000,
      };
      return publisher.publish({ ...progress(tracked(id), 10), via });
    });
    await time.advance(5_000);
    expect((await Promise.all(updates)).every((o) => o.kind === 'ok')).toBe(true);
    // The channel routes' 2 per second would take 15 s; the interaction webhooks' own 10 per second, 3.
    const perSecond = [0, 1, 2].map(
      (s) => started.filter((at) => at - started[0]! >= s * 1_000 && at - started[0]! < (s + 1) * 1_000).length,
    );
    expect(perSecond).toEqual([10, 10, 10]);
  });
});
