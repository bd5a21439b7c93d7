// The Midjourney API stand-in for e2e tests and benchmarks (options and controls: ./types.ts).
//
//   const clock = createStandInClock();                 // share it with the bot under test
//   const mj = await createMjStandIn({ clock, flavor: 'aggregator' });
//   // point the bot at mj.baseUrl with mj.apiKey; then drive time and failures:
//   mj.clock.advance(15_000); mj.fault('fetch', { kind: 'html' }, 2); mj.nextSubmit('action', { code: 22 });
//   await mj.close();                                    // in afterEach
//
// `createMjStandIn({ dialect: 'nzk' | 'fork' | 'plus' | 'newapi' })` imitates one real server instead
// (./dialects: auth, unknown ids, routes, error envelopes, codes, buttons, fields); setServerState flips
// its limits and token state.
export { createMjStandIn } from './server.js';
export { DIALECT_NAMES } from './dialects/index.js';
export { createStandInClock, STAND_IN_EPOCH } from './clock.js';
export { gridButtons, upscaleButtons } from './buttons.js';
export { DEFAULT_TIMELINE } from './task-view.js';
export { BASE_PNG, TINY_WEBP, pngOfSize } from './images.js';
export type * from './types.js';
