// prepare(): a paid submit's task stored (leased here) before the member is answered, and published
// only once follow() gives it its route and first state, even when a poll comes in between.
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionMessenger } from '../../src/tracking/messenger.js';
import type { InteractionRoute } from '../../src/tracking/types.js';
import { task } from './tracker-fakes.js';
import { closeWorlds, progressMessages, results, setupTracker, target } from './tracker-worlds.js';

afterEach(closeWorlds);

/** An interaction webhook that records its follow-ups (the member's thread of the interaction). */
function recordingInteractions() {
  const followUps: string[] = [];
  const edits: string[] = [];
  const interactions: InteractionMessenger = {
    followUp: (_hook, body) => {
      followUps.push(body.content ?? '');
      return Promise.resolve({ id: `9000000000000000${followUps.length}` });
    },
    edit: (_hook, ref, body) => {
      edits.push(`${ref} ${body.content ?? ''}`);
      return Promise.resolve({ id: ref });
    },
    delete: () => Promise.resolve(),
  };
  return { interactions, followUps, edits };
}

const route = (usableUntil: number): InteractionRoute => ({
  applicationId: '400000000000000001',
  token: 'interaction-token',
  interactionId: '500000000000000001',
  originalMessageId: null,
  usableUntil,
});

describe('tracker: prepare() before follow()', () => {
  it('stores the task leased to this instance and posts nothing', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const id = '1700000000000101';
    expect(await w.tracker.prepare(id, target())).toBe(true);
    expect(await w.store.tracked.get(id)).toMatchObject({ phase: 'active', messageId: null, lastStatus: '' });
    expect(w.tracker.counts()).toMatchObject({ active: 1, leased: 1 });
    expect(w.discord.ops).toEqual([]);
  });

  it('a poll between prepare() and follow() posts nothing; follow() posts the one progress message', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const id = '1700000000000102';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '20%'));
    await w.tracker.prepare(id, target());
    await w.time.advance(3_000); // polled (twice) while the member is being answered
    expect(w.mj.batchCalls.flat()).toContain(id);
    expect(w.discord.ops).toEqual([]);
    // The state is a write that may wait (save-behind.ts): idle() issues it.
    await w.tracker.idle();
    expect((await w.store.tracked.get(id))?.lastStatus).toBe('IN_PROGRESS');

    const { messageId } = await w.tracker.follow(id, target(), task(id, 'SUBMITTED', '0%'));
    expect(progressMessages(w)).toHaveLength(1);
    // The newer state the poll saw, not the submit's answer.
    expect(progressMessages(w)[0]).toMatchObject({
      id: messageId,
      body: { content: expect.stringContaining('IN_PROGRESS 20%') },
    });
    expect((await w.store.tracked.get(id))?.messageId).toBe(messageId);
  });

  it('progress polled between prepare() and follow() goes through the interaction follow() brings, not the channel', async () => {
    const member = recordingInteractions();
    const w = setupTracker({}, { interactions: member.interactions });
    await w.tracker.start();
    const id = '1700000000000105';
    w.mj.tasks.set(id, task(id, 'IN_PROGRESS', '20%'));
    await w.tracker.prepare(id, target());
    await w.time.advance(3_000);
    const via = route(w.time.now() + 600_000);
    const { messageId } = await w.tracker.follow(id, target(), task(id, 'SUBMITTED', '0%'), via);
    expect(member.followUps).toEqual([expect.stringContaining('IN_PROGRESS 20%')]);
    expect(messageId).toBe('90000000000000001');
    expect(w.discord.ops).toEqual([]);
  });

  it('a task found finished between prepare() and follow(): its result waits for follow(), which points at it', async () => {
    const w = setupTracker();
    await w.tracker.start();
    const id = '1700000000000103';
    w.mj.tasks.set(id, task(id, 'SUCCESS', '100%', { imageUrl: 'https://cdn.example/a.png' }));
    await w.tracker.prepare(id, target());
    await w.time.advance(3_000);
    expect(w.discord.ops).toEqual([]);

    const { messageId } = await w.tracker.follow(id, target(), task(id, 'SUBMITTED', '0%'));
    expect(results(w)).toHaveLength(1);
    expect(messageId).toBe(results(w)[0]?.id);
    expect(progressMessages(w)).toHaveLength(0);
    expect(await w.store.tracked.get(id)).toMatchObject({ phase: 'done', resultMessageId: messageId });
  });

  it('follow() right after prepare() posts the state it brings', async () => {
    const w = setupTracker({ firstPollDelayMs: 5_000 });
    await w.tracker.start();
    const id = '1700000000000104';
    await w.tracker.prepare(id, target());
    const { messageId } = await w.tracker.follow(id, target(), task(id, 'SUBMITTED', '0%'));
    expect(progressMessages(w)).toEqual([expect.objectContaining({ id: messageId })]);
    expect(progressMessages(w)[0]?.body.content).toContain('SUBMITTED 0%');
  });
});
