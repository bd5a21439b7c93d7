// Caps on the tasks pushes may pick up: per server and overall, per sliding window.
import { describe, expect, it } from 'vitest';
import { createPickUpCaps } from '../../src/webhook/pickup-caps.js';

const A = '1180000000000000001';
const B = '1180000000000000002';

describe('pick-up caps', () => {
  it('refuses a server past its cap while other servers still get theirs, up to the global cap', () => {
    const caps = createPickUpCaps({ perGuild: 2, global: 3, windowMs: 1_000 });
    expect([caps.take(A, 0), caps.take(A, 1), caps.take(A, 2)]).toEqual([true, true, false]);
    expect(caps.full(A, 3)).toBe(true);
    expect(caps.full(B, 3)).toBe(false);
    expect(caps.take(B, 3)).toBe(true);
    // Global cap reached: even a fresh server waits.
    expect(caps.full(null, 4)).toBe(true);
    expect(caps.take('1180000000000000003', 4)).toBe(false);
  });

  it('frees a slot once the oldest pick-up leaves the window; refused takes count for nothing', () => {
    const caps = createPickUpCaps({ perGuild: 1, global: 10, windowMs: 1_000 });
    expect(caps.take(A, 0)).toBe(true);
    expect(caps.take(A, 500)).toBe(false);
    expect(caps.take(A, 999)).toBe(false);
    expect(caps.take(A, 1_000)).toBe(true);
    expect(caps.take(A, 1_999)).toBe(false);
  });
});
