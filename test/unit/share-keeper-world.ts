// The share keepers of a cluster over an in-memory registry with the PostgreSQL one's meaning (a
// beat records and reads in one step), on a manual clock: for share-keeper.test.ts.
import { createShareKeeper, type ShareKeeper } from '../../src/discord/share-keeper.js';
import {
  aliveWindowMsFor,
  type InstanceBeat,
  type InstanceRegistry,
  type SharedBudget,
} from '../../src/store/instances.js';
import { createManualTime, recordingLog, type ManualTime } from './tracker-fakes.js';

/** The default lease time's: 10 s, a beat every 2 s. */
export const SHARE_ALIVE_MS = aliveWindowMsFor(30_000);
export const SHARE_BEAT_MS = SHARE_ALIVE_MS / 5;

/** `latencyMs`: a beat is written and read when it is sent, and answered that much later. */
export function memoryRegistry(time: ManualTime, firstLatencyMs = 0) {
  // Keyed by budget and instance, as the PostgreSQL table is.
  const rows = new Map<string, InstanceBeat & { seenAt: number }>();
  let down = false;
  let latencyMs = firstLatencyMs;
  const later = <T>(value: T) =>
    latencyMs === 0
      ? Promise.resolve(value)
      : new Promise<T>((resolve) => time.scheduler.setTimeout(() => resolve(value), latencyMs));
  const registry: InstanceRegistry = {
    beat(beat, aliveMs) {
      if (down) return Promise.reject(new Error('connection refused'));
      rows.set(`${beat.budget}:${beat.instanceId}`, { ...beat, seenAt: time.now() });
      const alive = [...rows.values()].filter((r) => r.budget === beat.budget && r.seenAt >= time.now() - aliveMs);
      return later(alive.map(({ instanceId, shards, share }) => ({ instanceId, shards, share })));
    },
    leave(id, budget) {
      rows.delete(`${budget}:${id}`);
      return Promise.resolve();
    },
  };
  return {
    registry,
    recorded: (id: string, budget: SharedBudget = 'discord') => rows.get(`${budget}:${id}`)?.share,
    setDown: (value: boolean) => void (down = value),
    setLatency: (ms: number) => void (latencyMs = ms),
  };
}

export interface Member {
  keeper: ShareKeeper;
  used: number;
  /** Stops its beats without leaving, as a SIGKILL does. */
  kill(): void;
  /** What its keeper said is gone, beat by beat (onGone). */
  gone: string[][];
}

export function cluster(time: ManualTime, max = 45, latencyMs = 0) {
  const memory = memoryRegistry(time, latencyMs);
  const members = new Map<string, Member>();
  const lines: Array<{ event: unknown; msg: string }> = [];
  /** The largest sum of the parts in use seen after any change. */
  let peak = 0;
  const watchPeak = () => {
    const sum = [...members.values()].reduce((s, m) => s + m.used, 0);
    peak = Math.max(peak, sum);
  };
  const join = async (id: string, shards = 1, started = true) => {
    let alive = true;
    const scheduler = {
      setTimeout: (fn: () => void, ms: number) => time.scheduler.setTimeout(() => alive && fn(), ms),
      clearTimeout: (h: unknown) => time.scheduler.clearTimeout(h as number),
    };
    const member: Member = {
      used: 0,
      kill: () => void (alive = false),
      gone: [],
      keeper: createShareKeeper({
        budget: 'discord',
        instanceId: id,
        shards,
        max,
        fixed: Math.floor(max / 2),
        registry: memory.registry,
        apply: (share) => {
          member.used = share;
          watchPeak();
        },
        scheduler,
        clock: time.clock,
        aliveMs: SHARE_ALIVE_MS,
        log: recordingLog((_level, msg, fields) => lines.push({ event: fields.event, msg })),
        onGone: (ids) => member.gone.push(ids),
      }),
    };
    members.set(id, member);
    if (started) await member.keeper.start();
    else void member.keeper.start();
    return member;
  };
  return { memory, members, join, lines, peak: () => peak };
}

/** Two instances of a 45/s cluster, a and b, joined one after the other and settled (three beats). */
export async function settledPair() {
  const time = createManualTime();
  const c = cluster(time);
  const a = await c.join('a');
  const b = await c.join('b');
  await time.advance(SHARE_BEAT_MS * 3);
  return { time, c, a, b };
}
