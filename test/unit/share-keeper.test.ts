// The cluster's division of Discord's global limit: clusterShareOf (pure) and the share keeper over
// an in-memory registry with the PostgreSQL one's meaning (a beat records and reads in one step:
// share-keeper-world.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterShareOf } from '../../src/discord/connection.js';
import { clusterSharesFor } from '../../src/discord/share-keeper.js';
import { loadConfig } from '../../src/config/load.js';
import { aliveWindowMsFor } from '../../src/store/instances.js';
import { cluster, memoryRegistry, SHARE_ALIVE_MS, SHARE_BEAT_MS, settledPair } from './share-keeper-world.js';
import { createManualTime, recordingLog } from './tracker-fakes.js';

describe('clusterShareOf', () => {
  it('divides the limit by shards among the instances alive, never past what the others recorded', () => {
    expect(clusterShareOf(45, 1, [])).toBe(45);
    expect(clusterShareOf(45, 1, [{ shards: 1, share: 22 }])).toBe(22);
    expect(clusterShareOf(45, 3, [{ shards: 1, share: 11 }])).toBe(33);
    // A newcomer next to one that still holds everything starts at 1, not at its fair half.
    expect(clusterShareOf(45, 1, [{ shards: 1, share: 45 }])).toBe(1);
    expect(clusterShareOf(45, 1, [{ shards: 1, share: 44 }])).toBe(1);
  });

  it('adds up to at most the limit when every instance took its part from the same records', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 1, maxLength: 8 }), (shards) => {
        const max = 45;
        if (shards.length > max) return;
        const parts = shards.map((mine, i) =>
          clusterShareOf(
            max,
            mine,
            shards.filter((_, j) => j !== i).map((s) => ({ shards: s, share: 0 })),
          ),
        );
        expect(parts.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(max + shards.length);
        // Fair parts alone never exceed the limit: floor of each share of it.
        expect(
          parts.every((p, i) => p >= Math.min(1, Math.floor((max * shards[i]!) / shards.reduce((a, b) => a + b)))),
        ).toBe(true);
      }),
    );
  });
});

describe('share keeper', () => {
  it('counts an instance out after a third of the lease time, between 1 s and 10 s', () => {
    expect([3_000, 9_000, 30_000, 600_000].map(aliveWindowMsFor)).toEqual([1_000, 3_000, 10_000, 10_000]);
  });

  it('alone it takes the whole limit; a newcomer starts at 1 and both settle at half, never above the limit', async () => {
    const time = createManualTime();
    const c = cluster(time);
    const a = await c.join('a');
    expect(a.used).toBe(45);
    const b = await c.join('b');
    expect(b.used).toBe(1);
    await time.advance(SHARE_BEAT_MS * 3);
    expect([a.used, b.used]).toEqual([22, 22]);
    // Each part was recorded before it was used: the parts in use never added up past 45 + the 1.
    expect(c.peak()).toBeLessThanOrEqual(46);
    expect(c.memory.recorded('a')).toBe(22);
  });

  it('a survivor takes the part of an instance killed without leaving once it is silent for the alive window', async () => {
    const { a, b, c, time } = await settledPair();
    b.kill();
    await time.advance(SHARE_ALIVE_MS - SHARE_BEAT_MS);
    expect(a.used).toBe(22);
    expect(a.gone).toEqual([]);
    await time.advance(SHARE_BEAT_MS * 2);
    expect(a.used).toBe(45);
    expect(c.lines.filter((l) => l.event === 'discord.share_changed').length).toBeGreaterThanOrEqual(3);
    // Said once, at the beat that first missed it: its tasks are claimed then (tracking/leases.ts).
    expect(a.gone).toEqual([['b']]);
    await time.advance(SHARE_BEAT_MS * 5);
    expect(a.gone).toEqual([['b']]);
  });

  it('an instance that stops leaves at once: the other takes its part on its next beat', async () => {
    const time = createManualTime();
    const c = cluster(time);
    const a = await c.join('a');
    const b = await c.join('b');
    await time.advance(SHARE_BEAT_MS * 3);
    expect(a.gone).toEqual([]);
    await b.keeper.stop();
    c.members.delete('b');
    await time.advance(SHARE_BEAT_MS);
    expect(a.used).toBe(45);
    expect(a.gone).toEqual([['b']]);
    expect(b.gone).toEqual([]);
  });

  it('a stop during a beat waits for it, so the row is gone afterwards and stays gone', async () => {
    const time = createManualTime();
    const c = cluster(time, 45, 300);
    const a = await c.join('a', 1, false);
    await time.advance(100); // the first beat's read is on its way; its record of 45 comes after it
    const stopping = a.keeper.stop();
    await time.advance(1_000);
    await stopping;
    expect(c.memory.recorded('a')).toBeUndefined();
    await time.advance(SHARE_BEAT_MS * 3);
    expect(c.memory.recorded('a')).toBeUndefined();
  });

  it('divides by shards: an instance with three of four shards takes three quarters', async () => {
    const time = createManualTime();
    const c = cluster(time, 40);
    const a = await c.join('a', 3);
    const b = await c.join('b', 1);
    await time.advance(SHARE_BEAT_MS * 3);
    expect([a.used, b.used]).toEqual([30, 10]);
  });

  it('while the registry does not answer it keeps at most the part by shards, warns once, and grows again after', async () => {
    const time = createManualTime();
    const c = cluster(time);
    const a = await c.join('a');
    expect(a.used).toBe(45);
    c.memory.setDown(true);
    await time.advance(SHARE_BEAT_MS * 3);
    expect(a.used).toBe(22); // the part by shards: another instance may have grown into what it saw free
    expect(c.lines.filter((l) => l.event === 'discord.share_beat_failed')).toHaveLength(1);
    c.memory.setDown(false);
    await time.advance(SHARE_BEAT_MS);
    expect(a.used).toBe(45);
    expect(c.lines.filter((l) => l.event === 'discord.share_recovered')).toHaveLength(1);
  });

  it('a beat that waits past the alive window drops the instance to 1/s (the others counted it out), and it grows back after', async () => {
    const { a, b, c, time } = await settledPair();
    expect([a.used, b.used]).toEqual([22, 22]);
    c.memory.setLatency(30_000); // every connection of the pool busy: the next beats wait 30 s
    await time.advance(SHARE_ALIVE_MS);
    expect([a.used, b.used]).toEqual([1, 1]);
    expect(c.lines.filter((l) => l.event === 'discord.share_counted_out')).toHaveLength(2);
    c.memory.setLatency(0);
    await time.advance(30_000 + SHARE_BEAT_MS * 3);
    expect([a.used, b.used]).toEqual([22, 22]);
  });

  it('a first beat that fails starts at the part by shards', async () => {
    const time = createManualTime();
    const c = cluster(time);
    c.memory.setDown(true);
    const a = await c.join('a');
    expect(a.used).toBe(22);
  });

  it('with beats out of phase, instances joining and dying, the parts in use stay under the limit plus one per newcomer', async () => {
    const time = createManualTime();
    const c = cluster(time);
    await c.join('a');
    await time.advance(700);
    await c.join('b', 2);
    await time.advance(1_300);
    await c.join('c');
    await time.advance(SHARE_BEAT_MS * 4);
    expect(c.peak()).toBeLessThanOrEqual(45 + 2);
    const settled = [...c.members.values()].map((m) => m.used);
    expect(settled.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(45);
    expect(settled).toEqual([11, 22, 11]);
    c.members.get('b')!.kill();
    c.members.get('b')!.used = 0;
    await time.advance(SHARE_ALIVE_MS + SHARE_BEAT_MS * 2);
    expect([c.members.get('a')!.used, c.members.get('c')!.used]).toEqual([22, 22]);
  });

  it('with a database that answers late and instances joining at any moment, the parts in use stay under the limit plus one per newcomer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ after: fc.integer({ min: 0, max: 3_000 }), shards: fc.integer({ min: 1, max: 4 }) }), {
          minLength: 2,
          maxLength: 5,
        }),
        fc.integer({ min: 1, max: 400 }),
        async (joins, latencyMs) => {
          const time = createManualTime();
          const c = cluster(time, 45, latencyMs);
          for (const [i, j] of joins.entries()) {
            await time.advance(j.after);
            await c.join(`i${i}`, j.shards, false);
          }
          await time.advance(SHARE_BEAT_MS * 6);
          expect(c.peak()).toBeLessThanOrEqual(45 + joins.length);
          const used = [...c.members.values()].map((m) => m.used);
          expect(used.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(45);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('divides the Midjourney API’s limit as it divides Discord’s, each budget on its own', async () => {
    const time = createManualTime();
    const memory = memoryRegistry(time);
    const env = (id: string) =>
      loadConfig({
        DISCORD_TOKEN: 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg.Gabcde.test-token-not-real-0123456789abc',
        MJ_API_URL: 'https://mj.example.com/',
        MJ_API_KEY: 'sk-secret-key-123456',
        MJ_MAX_REQUESTS_PER_SECOND: '10',
        INSTANCE_ID: id,
      });
    const used = new Map<string, number>();
    const start = async (id: string) => {
      let alive = true;
      const shares = clusterSharesFor(
        env(id),
        {
          discord: (share) => used.set(`discord:${id}`, share),
          mj: (share) => used.set(`mj:${id}`, share),
        },
        {
          registry: memory.registry,
          scheduler: {
            setTimeout: (fn: () => void, ms: number) => time.scheduler.setTimeout(() => alive && fn(), ms),
            clearTimeout: (h: unknown) => time.scheduler.clearTimeout(h as number),
          },
          clock: time.clock,
          log: recordingLog(() => undefined),
        },
      )!;
      await shares.start();
      return { stop: () => shares.stop(), kill: () => void (alive = false) };
    };
    const a = await start('a');
    expect([used.get('discord:a'), used.get('mj:a')]).toEqual([45, 10]);
    const b = await start('b');
    await time.advance(SHARE_BEAT_MS * 3);
    expect([used.get('discord:a'), used.get('discord:b'), used.get('mj:a'), used.get('mj:b')]).toEqual([22, 22, 5, 5]);
    expect([memory.recorded('a', 'mj'), memory.recorded('b', 'mj')]).toEqual([5, 5]);
    b.kill(); // SIGKILL: no leave; a takes both parts back once b is counted out
    await time.advance(SHARE_ALIVE_MS + SHARE_BEAT_MS * 2);
    expect([used.get('discord:a'), used.get('mj:a')]).toEqual([45, 10]);
    await a.stop();
    expect([memory.recorded('a', 'discord'), memory.recorded('a', 'mj')]).toEqual([undefined, undefined]);
    expect(
      clusterSharesFor(
        env('c'),
        { mj: () => undefined },
        { ...time, registry: null, log: recordingLog(() => undefined) },
      ),
    ).toBeNull();
  });
});
