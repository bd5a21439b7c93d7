// The contract of the click log: records, completes and fails clicks, and answers the guards' queries
// (a recent click on a button, a member's submits in a window).
import { describe, expect, it } from 'vitest';
import { contractWorld, type OpenStore } from './world.js';

export function describeClickLog(openStore: OpenStore): void {
  describe('click log', () => {
    const w = contractWorld(openStore);

    it('records clicks, completes and fails them, and answers the guard queries', async () => {
      const { clicks } = await w.open();
      const user = '300000000000000001';
      const message = '900000000000000001';
      const a = await clicks.record({
        messageId: message,
        customId: 'MJ::JOB::upsample::1::abc',
        userId: user,
        at: 1_000,
      });
      const b = await clicks.record({
        messageId: message,
        customId: 'MJ::JOB::upsample::2::abc',
        userId: user,
        at: 2_000,
      });
      expect(b).toBeGreaterThan(a);
      await clicks.record({ messageId: null, customId: 'imagine', userId: user, at: 3_000 });
      await clicks.record({ messageId: '900000000000000002', customId: 'x', userId: '300000000000000002', at: 3_500 });
      await clicks.complete(a, {
        childTaskId: '1700000000000010',
        followChannelId: '200000000000000001',
        followMessageId: '900000000000000005',
      });
      await clicks.fail(b);

      expect(await clicks.findRecent(message, 'MJ::JOB::upsample::1::abc', 500)).toEqual({
        id: a,
        messageId: message,
        customId: 'MJ::JOB::upsample::1::abc',
        userId: user,
        at: 1_000,
        state: 'submitted',
        childTaskId: '1700000000000010',
        followChannelId: '200000000000000001',
        followMessageId: '900000000000000005',
      });
      expect(await clicks.findRecent(message, 'MJ::JOB::upsample::1::abc', 1_001)).toBeNull();
      // A refused submit spent nothing, so it does not count as a double click.
      expect(await clicks.findRecent(message, 'MJ::JOB::upsample::2::abc', 0)).toBeNull();
      expect(await clicks.countSince(user, 1_500)).toBe(2);
      expect(await clicks.oldestSince(user, 1_500)).toBe(2_000);
      expect(await clicks.oldestSince(user, 10_000)).toBeNull();
      expect(await clicks.countSince(user, 0)).toBe(3);
      expect(await clicks.prune(2_500)).toBe(2);
      // Only the /imagine at 3 000 is left of this member's clicks.
      expect(await clicks.countSince(user, 0)).toBe(1);
      expect(await clicks.oldestSince(user, 0)).toBe(3_000);
    });

    it('a pending click is the recent one until it fails; the latest of two wins', async () => {
      const { clicks } = await w.open();
      const first = await clicks.record({ messageId: 'm', customId: 'MJ::a', userId: 'u', at: 10 });
      const second = await clicks.record({ messageId: 'm', customId: 'MJ::a', userId: 'v', at: 10 });
      expect(await clicks.findRecent('m', 'MJ::a', 0)).toMatchObject({ id: second, state: 'pending', userId: 'v' });
      await clicks.fail(second);
      expect(await clicks.findRecent('m', 'MJ::a', 0)).toMatchObject({ id: first, state: 'pending' });
    });

    it('recordFirst: records unless the button was clicked within the window or the member is at the limit', async () => {
      const { clicks } = await w.open();
      const click = (userId: string, customId: string, at: number) => ({
        messageId: '900000000000000005',
        customId,
        userId,
        at,
      });
      const both = (since: number) => ({ repeatSince: since, rate: { since, limit: 2 } });
      const first = await clicks.recordFirst(click('1', 'U1', 1_000), both(0));
      expect(first).toEqual({ kind: 'recorded', id: expect.any(Number) as number });
      expect(await clicks.recordFirst(click('2', 'U1', 1_500), both(0))).toMatchObject({
        kind: 'repeat',
        previous: { userId: '1', at: 1_000, state: 'pending' },
      });
      // A failed click does not block the button; outside the window neither does a recorded one.
      await clicks.fail((first as { id: number }).id);
      expect(await clicks.recordFirst(click('2', 'U1', 1_600), both(0))).toMatchObject({ kind: 'recorded' });
      expect(await clicks.recordFirst(click('3', 'U1', 5_000), both(2_000))).toMatchObject({ kind: 'recorded' });
      // The limit counts every attempt of the member, refused ones too.
      const limitOne = { repeatSince: null, rate: { since: 0, limit: 1 } };
      expect(await clicks.recordFirst(click('1', 'U2', 6_000), limitOne)).toMatchObject({
        kind: 'rate_limited',
        oldest: 1_000,
      });
      expect(await clicks.recordFirst(click('1', 'U2', 6_000), { repeatSince: null, rate: null })).toMatchObject({
        kind: 'recorded',
      });
      // Nothing to check (no rate, and a command has no button to repeat): recorded as it is.
      const command = { messageId: null, customId: 'imagine', userId: '1', at: 6_500 };
      expect(await clicks.recordFirst(command, { repeatSince: 0, rate: null })).toMatchObject({ kind: 'recorded' });
      expect(await clicks.countSince('1', 5_500)).toBe(2);
    });
    it('unanswered: pending clicks recorded with their place, in the window, one look at a time', async () => {
      const { clicks } = await w.open();
      const place = { guildId: '100000000000000001', channelId: '200000000000000001', guildLocale: 'zh-CN' };
      const user = '300000000000000001';
      const old = await clicks.record({ messageId: null, customId: 'imagine', userId: user, at: 1_000, ...place });
      const button = await clicks.record({
        messageId: '900000000000000001',
        customId: 'MJ::JOB::upsample::1::abc',
        userId: user,
        at: 5_000,
        ...place,
        action: 'upsample',
      });
      const answered = await clicks.record({ messageId: null, customId: 'imagine', userId: user, at: 6_000, ...place });
      await clicks.complete(answered, { childTaskId: 't', followChannelId: null, followMessageId: null });
      const refused = await clicks.record({ messageId: null, customId: 'imagine', userId: user, at: 6_500, ...place });
      await clicks.fail(refused);
      // Recorded before this version: no place, never looked for.
      await clicks.record({ messageId: null, customId: 'imagine', userId: user, at: 7_000 });
      const recent = await clicks.record({ messageId: null, customId: 'imagine', userId: user, at: 20_000, ...place });

      const query = { since: 2_000, before: 10_000, now: 30_000, maxTries: 3, limit: 10 };
      expect(await clicks.unanswered(query)).toEqual([
        {
          id: button,
          messageId: '900000000000000001',
          customId: 'MJ::JOB::upsample::1::abc',
          userId: user,
          at: 5_000,
          ...place,
          // What the usage log calls it, for counting the task found then.
          action: 'upsample',
          tries: 0,
        },
      ]);
      expect((await clicks.unanswered({ ...query, since: 0, before: 30_000 })).map((c) => c.id)).toEqual([
        old,
        button,
        recent,
      ]);
      expect((await clicks.unanswered({ ...query, since: 0, limit: 1 })).map((c) => c.id)).toEqual([old]);

      // One look at a time: the second claim loses until the first one's time is up.
      expect(await clicks.claimLook(button, 30_000, 50_000)).toBe(true);
      expect(await clicks.claimLook(button, 30_000, 50_000)).toBe(false);
      expect(await clicks.unanswered(query)).toEqual([]);
      expect(await clicks.unanswered({ ...query, now: 50_000 })).toMatchObject([{ id: button, tries: 1 }]);
      expect(await clicks.claimLook(button, 50_000, 70_000)).toBe(true);
      expect(await clicks.claimLook(button, 70_000, 90_000)).toBe(true);
      // maxTries looks taken: given up.
      expect(await clicks.unanswered({ ...query, now: 90_000 })).toEqual([]);
      // Answered meanwhile: no more looks.
      await clicks.complete(old, { childTaskId: 'u', followChannelId: place.channelId, followMessageId: null });
      expect(await clicks.claimLook(old, 90_000, 100_000)).toBe(false);
      // A DM click keeps its channel with no server.
      const dm = await clicks.record({
        messageId: null,
        customId: 'imagine',
        userId: user,
        at: 8_000,
        guildId: null,
        channelId: '200000000000000009',
        guildLocale: null,
      });
      expect(await clicks.unanswered({ ...query, now: 100_000 })).toMatchObject([
        { id: dm, guildId: null, channelId: '200000000000000009', guildLocale: null },
      ]);
    });

    it('unanswered: on PostgreSQL a click made by an instance the registry counts out is looked for at once', async () => {
      const store = await w.open();
      const { clicks } = store;
      const beat = (instanceId: string) =>
        store.instances?.beat({ budget: 'mj', instanceId, shards: 1, share: 1 }, 10_000);
      const place = { guildId: '100000000000000001', channelId: '200000000000000001', guildLocale: null };
      const made = (madeBy: string | null, at: number) =>
        clicks.record({ messageId: null, customId: 'imagine', userId: '300000000000000001', at, ...place, madeBy });
      const start = w.now;
      await beat('bot-dead');
      await beat('bot-live');
      await beat('bot-self');
      const dead = await made('bot-dead', start + 1_000);
      await made('bot-live', start + 1_000);
      await made('bot-self', start + 1_000); // the asker's own: its answer may still come, however late its beat
      await made(null, start + 1_000); // recorded before this version
      w.now = start + 12_000;
      await beat('bot-live');
      // Every click is a second old: an answer may still come to each, but none can to bot-dead's.
      const query = { since: start, before: start, now: w.now, maxTries: 3, limit: 10 };
      const looked = await clicks.unanswered({ ...query, silent: { since: w.now - 10_000, self: 'bot-self' } });
      if (store.backend === 'sqlite')
        expect(looked).toEqual([]); // one instance per file: no registry
      else expect(looked.map((c) => c.id)).toEqual([dead]);
      expect(await clicks.unanswered(query)).toEqual([]);
    });

    it('get: a click with its place and state; complete(…, true) marks a pending click only, the first finder wins', async () => {
      const { clicks } = await w.open();
      const place = { guildId: '100000000000000001', channelId: '200000000000000001', guildLocale: 'zh-CN' };
      const user = '300000000000000001';
      const all = await clicks.record({
        messageId: '900000000000000001',
        customId: 'MJ::Job::PicReader::all',
        userId: user,
        at: 5_000,
        ...place,
        action: 'pic_reader',
        places: 4,
      });
      const held = {
        id: all,
        messageId: '900000000000000001',
        customId: 'MJ::Job::PicReader::all',
        userId: user,
        at: 5_000,
        ...place,
        action: 'pic_reader',
      };
      expect(await clicks.get(all)).toEqual({ ...held, state: 'pending' });
      expect(await clicks.get(all + 1_000)).toBeNull();
      // Recorded before the log kept places: no channel.
      const old = await clicks.record({ messageId: null, customId: 'imagine', userId: user, at: 6_000 });
      expect(await clicks.get(old)).toMatchObject({ guildId: null, channelId: null, action: null, state: 'pending' });

      // Two of an Imagine all's tasks found one after the other: the link stays on the first.
      const found = (childTaskId: string) => ({ childTaskId, followChannelId: place.channelId, followMessageId: null });
      await clicks.complete(all, found('t1'), true);
      await clicks.complete(all, found('t2'), true);
      expect(await clicks.get(all)).toEqual({ ...held, state: 'submitted' });
      expect(await clicks.findRecent(held.messageId, held.customId, 0)).toMatchObject({
        state: 'submitted',
        childTaskId: 't1',
        followChannelId: place.channelId,
      });
      // The answer itself, late, names its task whatever was found.
      await clicks.complete(all, found('t3'));
      expect(await clicks.findRecent(held.messageId, held.customId, 0)).toMatchObject({ childTaskId: 't3' });
      // A refused click is not marked by a find.
      const refused = await clicks.record({ messageId: 'm2', customId: 'U1', userId: user, at: 7_000, ...place });
      await clicks.fail(refused);
      await clicks.complete(refused, found('t4'), true);
      expect(await clicks.get(refused)).toMatchObject({ state: 'failed' });
    });
  });
}
