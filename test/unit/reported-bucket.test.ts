// The request gate following Discord's own rate-limit headers, on plain data: a simulated Discord
// keeps fixed-window buckets (its window starts at the first request, like Discord and the stand-in),
// either one per route (Discord) or one per channel for every route (the stand-in), and answers each
// request with x-ratelimit-* after a random delay each way. Checked: never a request over a bucket's
// limit, under either model, whatever the delays; and a burst uses every place of every window (the
// sixth request goes when the first window resets, not a window after the bot saw its answer).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRequestGate, type RequestClass } from '../../src/tracking/request-gate.js';
import { methodOfClass, RESET_MARGIN_MS } from '../../src/tracking/reported-bucket.js';

const WINDOW = 5_000;
const LIMIT = 5;

interface Req {
  cls: RequestClass;
  up: number;
  down: number;
}

function simulate(requests: readonly Req[], shared: boolean) {
  const gate = createRequestGate({ global: { limit: 45, windowMs: 1_000 }, lane: { limit: LIMIT, windowMs: WINDOW } });
  const buckets = new Map<string, { start: number; count: number }>();
  const queue = [...requests];
  const events: Array<{ at: number; run: () => void }> = [];
  const starts: number[] = [];
  let over = 0;
  gate.setWaiting('c', queue[0]?.cls ?? null);
  for (let now = 0; now < 200_000 && (queue.length > 0 || events.length > 0); now++) {
    // Due events in time order; an arrival answered at once adds an answer that is due too.
    for (;;) {
      const due = events.filter((x) => x.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      events.splice(events.indexOf(due), 1);
      due.run();
    }
    for (;;) {
      const d = gate.next(now);
      if (d.kind !== 'start') break;
      const req = queue.shift()!;
      starts.push(now);
      const done = gate.take('c', req.cls, now);
      gate.setWaiting('c', queue[0]?.cls ?? null);
      const method = methodOfClass(req.cls);
      const arrival = now + req.up;
      events.push({
        at: arrival,
        run: () => {
          const key = shared ? 'all' : method;
          let b = buckets.get(key);
          if (!b || arrival >= b.start + WINDOW) buckets.set(key, (b = { start: arrival, count: 0 }));
          if (b.count >= LIMIT) over++;
          else b.count++;
          const report = { limit: LIMIT, remaining: LIMIT - b.count, resetAfterMs: b.start + WINDOW - arrival };
          const answeredAt = arrival + req.down;
          events.push({
            at: answeredAt,
            run: () => {
              gate.observe('c', method, report, answeredAt);
              done(answeredAt);
            },
          });
        },
      });
    }
  }
  return { over, starts, left: queue.length };
}

const request = fc.record({
  cls: fc.constantFrom<RequestClass>('result', 'first_progress', 'edit', 'delete'),
  up: fc.integer({ min: 0, max: 400 }),
  down: fc.integer({ min: 0, max: 400 }),
});

describe('request gate with Discord-reported buckets', () => {
  it('never sends a request over a bucket, per route or shared, whatever the delays', () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 40 }), fc.boolean(), (requests, shared) => {
        const run = simulate(requests, shared);
        expect(run.over).toBe(0);
        expect(run.left).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('uses every place of a window: the sixth result goes when the first window resets', () => {
    const burst = Array.from({ length: 10 }, () => ({ cls: 'result' as const, up: 20, down: 20 }));
    const { over, starts } = simulate(burst, false);
    expect(over).toBe(0);
    // The first five go at once (each answer comes 40 ms later), the next five once the window has reset.
    expect(starts.slice(0, 5).every((t) => t === 0)).toBe(true);
    expect(starts[5]).toBeLessThanOrEqual(20 + WINDOW + 20 + RESET_MARGIN_MS);
    expect(starts.slice(5).every((t) => t === starts[5])).toBe(true);
  });
});
