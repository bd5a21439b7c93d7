// The stand-in's time. Task states are computed from it on demand, so the stand-in holds no per-task timers.
import type { MjStandInOptions, StandInClock } from './types.js';

/** 2026-01-01T00:00:00Z: a multiple of new-api's 15 s refresh period, and 13 digits (16-digit task ids). */
export const STAND_IN_EPOCH = 1_767_225_600_000;

export function createStandInClock(start = STAND_IN_EPOCH): StandInClock {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance(ms) needs a finite ms >= 0');
      current += ms;
    },
    set(ms: number) {
      current = ms;
    },
  };
}

/** Wraps the clock given in the options (or a fresh one) so that moving it also fires due notify hooks. */
export function wrapClock(given: MjStandInOptions['clock'], afterMove: () => void): StandInClock {
  const inner = given ?? createStandInClock();
  return {
    now: () => inner.now(),
    advance(ms: number) {
      if (!inner.advance)
        throw new Error(
          'the clock passed to createMjStandIn has no advance(); move it yourself and call deliverDueHooks()',
        );
      inner.advance(ms);
      afterMove();
    },
    set(ms: number) {
      if (!inner.set)
        throw new Error(
          'the clock passed to createMjStandIn has no set(); move it yourself and call deliverDueHooks()',
        );
      inner.set(ms);
      afterMove();
    },
  };
}
