// The Midjourney API routes the bot calls, by name, and the largest answer it reads from each: the
// client (client.ts) names its requests and cuts its reads by this table.

export const ROUTES = {
  fetch: 'GET /mj/task/{id}/fetch',
  list: 'POST /mj/task/list-by-condition',
  recent: 'GET /mj/task/list',
  action: 'POST /mj/submit/action',
  modal: 'POST /mj/submit/modal',
  imagine: 'POST /mj/submit/imagine',
  describe: 'POST /mj/submit/describe',
  blend: 'POST /mj/submit/blend',
  shorten: 'POST /mj/submit/shorten',
  video: 'POST /mj/submit/video',
  change: 'POST /mj/submit/change',
  imageSeed: 'GET /mj/task/{id}/image-seed',
  probe: 'GET (dialect probe)',
} as const;

/**
 * Largest answer read per route; above it the request fails as `upstream` and its socket is closed
 * rather than drained. A task is a few KiB (even a 6,000-character prompt in prompt, promptEn,
 * finalPrompt and description stays under 100 KiB), so 1 MiB is ten heavy tasks. A list holds at
 * most 100 tasks: 8 MiB is 80 KiB each. A submit answers a code, a sentence and an id.
 */
export const MAX_ANSWER_BYTES = {
  [ROUTES.fetch]: 1024 * 1024,
  [ROUTES.list]: 8 * 1024 * 1024,
  // nzk lists every task it holds: past 8 MiB the look fails rather than reading without end.
  [ROUTES.recent]: 8 * 1024 * 1024,
  [ROUTES.action]: 64 * 1024,
  [ROUTES.modal]: 64 * 1024,
  [ROUTES.imagine]: 64 * 1024,
  [ROUTES.describe]: 64 * 1024,
  [ROUTES.blend]: 64 * 1024,
  [ROUTES.shorten]: 64 * 1024,
  [ROUTES.video]: 64 * 1024,
  [ROUTES.change]: 64 * 1024,
  // A seed is a number in the submit envelope.
  [ROUTES.imageSeed]: 16 * 1024,
  // An unknown-id fetch or image-seed: a short error; anything long is cut off, not read.
  [ROUTES.probe]: 16 * 1024,
} as const satisfies Record<(typeof ROUTES)[keyof typeof ROUTES], number>;
export type Route = keyof typeof MAX_ANSWER_BYTES;
