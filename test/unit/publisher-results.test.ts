import { describe, expect, it } from 'vitest';
import type { DownloadedImage } from '../../src/media/image-download.js';
import { DiscordDeliveryError } from '../../src/tracking/messenger.js';
import { progressNonce, resultNonce } from '../../src/tracking/payloads.js';
import { task } from './tracker-fakes.js';
import { CHANNEL, progress, REQUESTER, setupPublisher, success, tracked, withMessage } from './tracker-worlds.js';

describe('publisher: results', () => {
  it('posts the result as a new message that mentions only the requester, with a stable nonce', async () => {
    const s = setupPublisher();
    const t = await withMessage(s, '1700000000000007');
    const p = s.publisher.publish({
      tracked: t,
      task: task(t.taskId, 'FAILURE', '100%', { failReason: 'Banned prompt' }),
      final: true,
    });
    await s.time.advance(10);
    const outcome = await p;
    expect(outcome).toMatchObject({ kind: 'ok', messageId: t.messageId });
    if (outcome.kind !== 'ok') return;
    const sent = s.discord.ops.at(-1);
    expect(sent?.op).toBe('send');
    expect(sent?.messageId).toBe(outcome.resultMessageId);
    expect(sent?.nonce).toBe(resultNonce(t));
    expect(sent?.body?.allowed_mentions).toEqual({ parse: [], users: [REQUESTER] });
    expect(sent?.body?.flags).toBeUndefined();
    expect(sent?.body?.content).toContain('reason=Banned prompt');
    // The progress message stays until the caller asks: it records the result first.
    expect(s.discord.messages.has(t.messageId as string)).toBe(true);
    const removed = s.publisher.removeProgress(CHANNEL, t.messageId as string);
    await s.time.advance(10);
    expect(await removed).toBe(true);
    expect(s.discord.messages.has(t.messageId as string)).toBe(false);
  });

  it('derives nonces of at most 25 characters from the task and the follow', () => {
    const a = tracked('1700000000000008');
    expect(resultNonce(a)).toBe(resultNonce({ ...a }));
    expect(resultNonce(a).length).toBeLessThanOrEqual(25);
    expect(progressNonce(a).length).toBeLessThanOrEqual(25);
    expect(resultNonce(a)).not.toBe(progressNonce(a));
    expect(resultNonce(a)).not.toBe(resultNonce({ ...a, startedAt: a.startedAt + 1 }));
    expect(resultNonce(a)).not.toBe(resultNonce({ ...a, taskId: '1700000000000009' }));
  });

  it('attaches the downloaded image once, even when the send is retried', async () => {
    const image: DownloadedImage = {
      name: 'cat.png',
      contentType: 'image/png',
      data: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    };
    let downloads = 0;
    const s = setupPublisher({ images: { download: async () => (downloads++, image) } });
    const t = tracked('1700000000000010');
    let failures = 1;
    s.discord.fault = ({ op }) =>
      op === 'send' && failures-- > 0 ? new DiscordDeliveryError('transient', '502') : undefined;
    const first = s.publisher.publish(success(t));
    await s.time.advance(10);
    expect((await first).kind).toBe('retry');
    const second = s.publisher.publish(success(t));
    await s.time.advance(10);
    expect((await second).kind).toBe('ok');
    expect(downloads).toBe(1);
    const sent = s.discord.ops.at(-1);
    expect(sent?.files?.map((f) => f.name)).toEqual(['cat.png']);
    expect(s.render.calls.at(-1)?.opts.imageAttachmentName).toBe('cat.png');
  });

  it('links the image URL when the download fails', async () => {
    const s = setupPublisher({ images: { download: async () => null } });
    const p = s.publisher.publish(success(tracked('1700000000000011'), 'https://cdn.example/big.png'));
    await s.time.advance(10);
    expect((await p).kind).toBe('ok');
    const sent = s.discord.ops.at(-1);
    expect(sent?.files ?? []).toHaveLength(0);
    expect(s.render.calls.at(-1)?.opts.imageAttachmentName).toBeUndefined();
    expect(JSON.stringify(sent?.body?.embeds)).toContain('https://cdn.example/big.png');
  });

  it('sends the result with the link when Discord refuses the attachment', async () => {
    const image: DownloadedImage = { name: 'huge.png', contentType: 'image/png', data: Buffer.alloc(16) };
    const s = setupPublisher({ images: { download: async () => image } });
    s.discord.fault = ({ op, hasFiles }) =>
      op === 'send' && hasFiles ? new DiscordDeliveryError('invalid', 'Request entity too large', 40005) : undefined;
    const p = s.publisher.publish(success(tracked('1700000000000012')));
    await s.time.advance(10);
    expect((await p).kind).toBe('ok');
    const sends = s.discord.ops.filter((o) => o.op === 'send');
    expect(sends.map((o) => o.failed ?? 'ok')).toEqual(['invalid', 'ok']);
    expect(sends[1]?.files ?? []).toHaveLength(0);
    expect(s.discord.inChannel(CHANNEL)).toHaveLength(1);
  });
});

describe('publisher: the order of results', () => {
  it("sends a channel's waiting results oldest finished first (the API's finishTime), not in arrival order", async () => {
    const s = setupPublisher({ budget: { limit: 1, windowMs: 1_000 } });
    const finished = (id: string, finishTime: number | null) => ({
      tracked: tracked(id),
      task: task(id, 'SUCCESS', '100%', { imageUrl: 'https://cdn.example/img.png', finishTime }),
      final: true,
    });
    // The first takes the window; the others wait for it, arriving newest first.
    const sent = [
      finished('1700000000000400', 5_000),
      finished('1700000000000403', 4_000),
      finished('1700000000000402', 3_000),
      finished('1700000000000401', 2_000),
    ].map((update) => s.publisher.publish(update));
    await s.time.advance(10_000);
    expect((await Promise.all(sent)).map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const order = s.discord.ops.filter((o) => o.op === 'send').map((o) => o.body?.content?.split(' ')[0]);
    expect(order).toEqual(['1700000000000400', '1700000000000401', '1700000000000402', '1700000000000403']);
  });

  it('tells how long the results waiting take at the global rate, its share once set', async () => {
    const s = setupPublisher({ budget: { limit: 1, windowMs: 1_000 } });
    const ids = ['1700000000000410', '1700000000000411', '1700000000000412', '1700000000000413'];
    const sent = ids.map((id) => s.publisher.publish(success(tracked(id))));
    await s.time.advance(10);
    // One result went; three wait in the channel: 3 at the default 45 a second.
    expect(s.publisher.resultsWaitingMs?.()).toBeCloseTo((3 / 45) * 1_000);
    s.publisher.setGlobalShare?.(15);
    expect(s.publisher.resultsWaitingMs?.()).toBeCloseTo((3 / 15) * 1_000);
    await s.time.advance(10_000);
    expect((await Promise.all(sent)).map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(s.publisher.resultsWaitingMs?.()).toBe(0);
  });

  it('counts the results close() answered as no longer waiting', async () => {
    const s = setupPublisher({ budget: { limit: 1, windowMs: 5_000 } });
    const ids = ['1700000000000421', '1700000000000422', '1700000000000423'];
    const updates = ids.map((id) => s.publisher.publish(success(tracked(id))));
    await s.time.flush();
    expect(s.publisher.resultsWaitingMs?.()).toBeCloseTo((2 / 45) * 1_000);
    await s.publisher.close();
    expect(s.publisher.resultsWaitingMs?.()).toBe(0);
    expect((await Promise.all(updates)).map((o) => o.kind)).toEqual(['ok', 'retry', 'retry']);
  });
});

describe('publisher: gone and invalid', () => {
  it('ends a task quietly when its message was deleted, answering queued updates too', async () => {
    const s = setupPublisher({ latencyMs: 100 });
    const t = await withMessage(s, '1700000000000013');
    s.discord.messages.delete(t.messageId as string);
    const a = s.publisher.publish(progress(t, 10));
    await s.time.advance(20);
    const b = s.publisher.publish(progress(t, 20));
    await s.time.advance(1_000);
    expect((await a).kind).toBe('gone');
    expect((await b).kind).toBe('gone');
    expect(s.discord.ops.filter((o) => o.op === 'edit')).toHaveLength(1);
  });

  it('reports a refused progress body once and does not resend the same body', async () => {
    const s = setupPublisher();
    const t = await withMessage(s, '1700000000000014');
    s.discord.fault = ({ op }) =>
      op === 'edit' ? new DiscordDeliveryError('invalid', 'Invalid Form Body', 50035) : undefined;
    const a = s.publisher.publish(progress(t, 10));
    await s.time.advance(10);
    expect((await a).kind).toBe('invalid');
    const b = s.publisher.publish(progress(t, 10));
    await s.time.advance(10);
    expect((await b).kind).toBe('skipped');
    expect(s.discord.ops.filter((o) => o.op === 'edit')).toHaveLength(1);
  });

  it('close() lets the request in flight finish, answers queued ones with retry and leaves no timers', async () => {
    const s = setupPublisher({ latencyMs: 500, budget: { limit: 1, windowMs: 5_000 } });
    const a = s.publisher.publish(progress(tracked('1700000000000015'), 10));
    const b = s.publisher.publish(progress(tracked('1700000000000016'), 10));
    await s.time.flush();
    const closed = s.publisher.close();
    await s.time.advance(600);
    await closed;
    expect((await a).kind).toBe('ok');
    expect((await b).kind).toBe('retry');
    expect(s.time.pendingTimers()).toBe(0);
    expect((await s.publisher.publish(progress(tracked('1700000000000017'), 10))).kind).toBe('retry');
  });
});
