// Clocks for the stand-in: a manual clock tests can share with the bot, and the wrapper the stand-in
// exposes as `standIn.clock`.
import type { Clock } from '../../../src/clock.js';
import type { ManualClock, StandInClock } from './types.js';

export function createManualClock(startMs: number = Date.now()): ManualClock {
  let now = startMs;
  return {
    manual: true,
    now: () => now,
    advance(ms: number) {
      if (!(ms >= 0)) throw new Error(`clock.advance needs a non-negative number, got ${ms}`);
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

export function isManualClock(clock: Clock): clock is ManualClock {
  return (
    (clock as Partial<ManualClock>).manual === true && typeof (clock as Partial<ManualClock>).advance === 'function'
  );
}

export const realClock: Clock = { now: () => Date.now() };

export function resolveClock(option: Clock | 'manual' | undefined): Clock {
  if (option === 'manual') return createManualClock();
  return option ?? realClock;
}

export function standInClock(clock: Clock): StandInClock {
  return {
    now: () => clock.now(),
    advance(ms: number) {
      if (!isManualClock(clock)) {
        throw new Error("the stand-in clock is not controllable; create it with clock: 'manual' or a ManualClock");
      }
      clock.advance(ms);
    },
  };
}
