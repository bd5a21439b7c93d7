// The dialect profiles by name (see ./profile.ts), and the generic one when no dialect is given.
import type { DialectName, MjStandInOptions } from '../types.js';
import { fork } from './fork.js';
import { legacyProfile } from './legacy.js';
import { newapi } from './newapi.js';
import { nzk } from './nzk.js';
import { plus } from './plus.js';
import type { DialectProfile } from './profile.js';

export const DIALECTS: Readonly<Record<DialectName, DialectProfile>> = { nzk, fork, plus, newapi };
export const DIALECT_NAMES = Object.keys(DIALECTS) as DialectName[];

export function profileFor(opts: MjStandInOptions): DialectProfile {
  return opts.dialect ? DIALECTS[opts.dialect] : legacyProfile(opts);
}

export type { DialectProfile, HttpAnswer } from './profile.js';
