// The request gate on plain data: requests arrive in lanes with a class, the gate is asked at every
// millisecond what may start, each request takes a given time. Checked: no window ever holds more
// than the limits (globally and per lane), the best class goes first, a result never waits behind
// progress, everything waiting is served, and busy lanes take turns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestGate, REQUEST_CLASSES, type RequestClass } from '../../src/tracking/request-gate.js';

interface Arrival {
  at: number;
  lane: string;
  cls: RequestClass;
}

interface Started extends Arrival {
  start: number;
  end: number;
}

const GLOBAL = { limit: 10, windowMs: 1_000 };
const LANE = { limit: 5, windowMs: 2_000 };
const rank = (cls: RequestClass) => REQUEST_CLASSES.indexOf(cls);

/** Runs the gate over `arrivals` until everything has started (or `until`); each request lasts `durationOf` ms. */
function simulate(arrivals: readonly Arrival[], durationOf: (a: Arrival, i: number) => number, until = 60_000) {
  const gate = createRequestGate({ global: GLOBAL, lane: LANE });
  const pending = new Map<string, Arrival[]>();
  const byArrival = [...arrivals].sort((a, b) => a.at - b.at);
  const started: Started[] = [];
  const finishing: Array<{ end: number; done: (t: number) => void }> = [];
  /** Per instant, the classes started in that instant, in order. */
  const instants: RequestClass[][] = [];
  const best = (lane: string) =>
    (pending.get(lane) ?? []).reduce<Arrival | null>((b, a) => (b === null || rank(a.cls) < rank(b.cls) ? a : b), null);
  let next = 0;
  for (let now = 0; now <= until; now++) {
    for (let i = finishing.length - 1; i >= 0; i--) {
      const f = finishing[i]!;
      if (f.end <= now) {
        f.done(f.end);
        finishing.splice(i, 1);
      }
    }
    while (next < byArrival.length && byArrival[next]!.at <= now) {
      const a = byArrival[next++]!;
      pending.set(a.lane, [...(pending.get(a.lane) ?? []), a]);
      gate.setWaiting(a.lane, best(a.lane)!.cls);
    }
    const here: RequestClass[] = [];
    for (;;) {
      const decision = gate.next(now);
      if (decision.kind !== 'start') break;
      const request = best(decision.lane)!;
      expect(request.cls).toBe(decision.cls);
      pending.set(
        decision.lane,
        pending.get(decision.lane)!.filter((a) => a !== request),
      );
      const end = now + durationOf(request, started.length);
      finishing.push({ end, done: gate.take(decision.lane, request.cls, now) });
      started.push({ ...request, start: now, end });
      here.push(request.cls);
      gate.setWaiting(decision.lane, best(decision.lane)?.cls ?? null);
    }
    if (here.length > 0) instants.push(here);
    if (next === byArrival.length && started.length === arrivals.length && finishing.length === 0) break;
  }
  return { started, instants };
}

/** Most requests whose [start, end] touches any window [t, t + windowMs): what Discord could count in it. */
function busiestWindow(started: readonly Started[], windowMs: number): number {
  let most = 0;
  for (const s of started) {
    const t = s.end; // windows starting at a request's end are the worst ones
    const n = started.filter((o) => o.start < t + windowMs && o.end >= t).length;
    most = Math.max(most, n);
  }
  for (const s of started) {
    const t = s.start - windowMs + 1;
    const n = started.filter((o) => o.start < t + windowMs && o.end >= t).length;
    most = Math.max(most, n);
  }
  return most;
}

const arrival = (lanes: number) =>
  fc.record({
    at: fc.integer({ min: 0, max: 3_000 }),
    lane: fc.integer({ min: 0, max: lanes - 1 }).map((n) => `c${n}`),
    cls: fc.constantFrom(...REQUEST_CLASSES),
  });

describe('request gate', () => {
  it('never lets more than the limits into any window, globally and per lane, and serves everything', () => {
    fc.assert(
      fc.property(
        fc.array(arrival(6), { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 10 }),
        (arrivals, durations) => {
          const { started } = simulate(arrivals, (_, i) => durations[i % durations.length]!);
          expect(started).toHaveLength(arrivals.length);
          expect(busiestWindow(started, GLOBAL.windowMs)).toBeLessThanOrEqual(GLOBAL.limit);
          for (const lane of new Set(started.map((s) => s.lane)))
            expect(
              busiestWindow(
                started.filter((s) => s.lane === lane),
                LANE.windowMs,
              ),
            ).toBeLessThanOrEqual(LANE.limit);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('starts the best class first: within one instant, no class starts after a worse one', () => {
    fc.assert(
      fc.property(fc.array(arrival(8), { maxLength: 80 }), (arrivals) => {
        const { instants } = simulate(arrivals, () => 50);
        for (const classes of instants)
          for (let i = 1; i < classes.length; i++)
            expect(rank(classes[i]!)).toBeGreaterThanOrEqual(rank(classes[i - 1]!));
      }),
      { numRuns: 60 },
    );
  });

  it('a result never waits behind progress: with every lane flooded by edits, it starts the instant it arrives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 4_000 }), lane: fc.integer({ min: 0, max: 5 }) }), {
          maxLength: 6,
        }),
        (results) => {
          // Keep results rarer than the places reserved for them: one per lane window, one per global window.
          const sparse = results
            .sort((a, b) => a.at - b.at)
            .filter((r, i, all) => i === 0 || r.at - all[i - 1]!.at > LANE.windowMs + 400);
          const edits: Arrival[] = [];
          for (let at = 0; at < 5_000; at += 50)
            for (let lane = 0; lane < 6; lane++) edits.push({ at, lane: `c${lane}`, cls: 'edit' });
          const resultArrivals = sparse.map((r) => ({ at: r.at, lane: `c${r.lane}`, cls: 'result' as const }));
          const { started } = simulate([...edits, ...resultArrivals], () => 400, 6_000);
          for (const r of started.filter((s) => s.cls === 'result')) expect(r.start).toBe(r.at);
          // The edits did keep the gate full: as many as the unreserved places allow in the first window.
          expect(started.filter((s) => s.start < GLOBAL.windowMs).length).toBeGreaterThanOrEqual(GLOBAL.limit - 1);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('results fill the whole global window while they wait; progress leaves the reserved places free', () => {
    const flood: Arrival[] = [];
    for (let lane = 0; lane < 20; lane++) {
      flood.push({ at: 0, lane: `r${lane}`, cls: 'result' });
      flood.push({ at: 0, lane: `e${lane}`, cls: 'edit' });
    }
    const { started } = simulate(flood, () => 10);
    const firstWindow = started.filter((s) => s.start < GLOBAL.windowMs);
    expect(firstWindow.filter((s) => s.cls === 'result')).toHaveLength(GLOBAL.limit);
    expect(firstWindow.filter((s) => s.cls === 'edit')).toHaveLength(0);
    const editsOnly: Arrival[] = Array.from({ length: 20 }, (_, i) => ({ at: 0, lane: `e${i}`, cls: 'edit' }));
    const { started: edits } = simulate(editsOnly, () => 10);
    expect(edits.filter((s) => s.start < GLOBAL.windowMs)).toHaveLength(GLOBAL.limit - 1);
  });

  it('busy lanes take turns within a class', () => {
    const arrivals: Arrival[] = [];
    for (let i = 0; i < 12; i++) for (const lane of ['a', 'b', 'c']) arrivals.push({ at: 0, lane, cls: 'edit' });
    const gate = createRequestGate({ global: { limit: 3, windowMs: 1_000 }, lane: { limit: 100, windowMs: 1_000 } });
    for (const lane of ['a', 'b', 'c']) gate.setWaiting(lane, 'edit');
    const order: string[] = [];
    for (let now = 0; order.length < 9; now += 1_000) {
      for (;;) {
        const d = gate.next(now);
        if (d.kind !== 'start') break;
        gate.take(d.lane, d.cls, now)(now);
        gate.setWaiting(d.lane, 'edit');
        order.push(d.lane);
      }
    }
    // 3 per window with 1 place reserved for results: 2 edits per window, round robin.
    expect(order.slice(0, 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('a paused lane waits out its pause; other lanes go on', () => {
    const gate = createRequestGate({ global: GLOBAL, lane: LANE });
    gate.setWaiting('a', 'result');
    gate.setWaiting('b', 'edit');
    gate.pause('a', 500);
    expect(gate.next(0)).toEqual({ kind: 'start', lane: 'b', cls: 'edit' });
    gate.take('b', 'edit', 0)(10);
    gate.setWaiting('b', null);
    expect(gate.next(10)).toEqual({ kind: 'wait', ms: 490 });
    expect(gate.next(500)).toEqual({ kind: 'start', lane: 'a', cls: 'result' });
  });
});

describe('a global limit that changes (this instance’s share of the cluster’s)', () => {
  const startAll = (gate: ReturnType<typeof createRequestGate>, cls: RequestClass, now: number, max: number) => {
    let started = 0;
    for (let i = 0; i < max; i++) {
      gate.setWaiting(`c${started}-${now}-${i}`, cls);
      const decision = gate.next(now);
      if (decision.kind !== 'start') break;
      gate.take(decision.lane, decision.cls, now)(now + 10);
      started++;
    }
    return started;
  };

  it('a larger limit lets more start in the same window; a smaller one holds what is counted until it drains', () => {
    const gate = createRequestGate({ global: { limit: 10, windowMs: 1_000 }, lane: LANE });
    expect(startAll(gate, 'result', 0, 50)).toBe(10);
    gate.setGlobalLimit(20);
    expect(gate.counts(100).limit).toBe(20);
    expect(startAll(gate, 'result', 100, 50)).toBe(10);
    gate.setGlobalLimit(5);
    // 20 counted, 5 allowed: nothing starts until the window has let go of them.
    expect(startAll(gate, 'result', 500, 50)).toBe(0);
    expect(startAll(gate, 'result', 1_200, 50)).toBe(5);
  });

  it('the results’ reserve follows the limit: progress edits stop a tenth short of it', () => {
    const gate = createRequestGate({ global: { limit: 10, windowMs: 1_000 }, lane: LANE });
    gate.setGlobalLimit(40);
    expect(startAll(gate, 'edit', 0, 50)).toBe(36);
    expect(startAll(gate, 'result', 0, 50)).toBe(4);
  });
});
