// Which route a request is for. Paths live under an optional prefix (a base URL like https://host/v1),
// and FORK/new-api's speed-mode prefixes /mj-fast|/mj-turbo|/mj-relax are accepted too.
import type { IncomingMessage } from 'node:http';
import type { RouteName, SubmitRoute } from './types.js';

export interface RouteMatch {
  route: RouteName;
  /** Task id in the path (fetch, images). */
  id?: string;
  /** Images: the preview step, or undefined for the final PNG. */
  previewStep?: number;
  /** list-by-condition reached through the fork's alias /list-by-ids. */
  alias?: boolean;
  /** Images: the fork's video result (/videos/<id>.mp4). */
  video?: boolean;
}

/** The routes that submit (and so may be paid for). */
export const SUBMIT_ROUTE_NAMES: readonly SubmitRoute[] = [
  'imagine',
  'action',
  'modal',
  'change',
  'simple-change',
  'describe',
  'blend',
  'shorten',
];

/** Every route the stand-in knows; each dialect serves a subset. */
export const ROUTE_NAMES: readonly RouteName[] = [
  'fetch',
  'list-by-condition',
  'list',
  'image-seed',
  ...SUBMIT_ROUTE_NAMES,
  'images',
];

const MJ = '(?:/mj-(?:fast|turbo|relax))?/mj';
const FETCH = new RegExp(`^${MJ}/task/([^/]+)/fetch$`);
const LIST_BY_CONDITION = new RegExp(`^${MJ}/task/list-by-(?:condition|ids)$`);
const LIST = new RegExp(`^${MJ}/task/list$`);
const IMAGE_SEED = new RegExp(`^${MJ}/task/([^/]+)/image-seed$`);
const SUBMIT = new RegExp(`^${MJ}/submit/(imagine|action|modal|change|simple-change|describe|blend|shorten)$`);
const IMAGE = /^\/images\/(\d+)(?:\.png|\/preview_(\d+)\.webp)$/;
const VIDEO = /^\/videos\/(\d+)\.mp4$/;

export function matchRoute(
  method: string,
  rawUrl: string,
  prefix: string,
  listByCondition: boolean,
): RouteMatch | null {
  const pathname = rawUrl.split('?')[0] ?? '';
  if (!pathname.startsWith(prefix)) return null;
  const path = pathname.slice(prefix.length);
  const get = method === 'GET' || method === 'HEAD';
  if (get) {
    const image = IMAGE.exec(path);
    if (image)
      return {
        route: 'images',
        id: image[1] as string,
        ...(image[2] !== undefined && { previewStep: Number(image[2]) }),
      };
    const video = VIDEO.exec(path);
    if (video) return { route: 'images', id: video[1] as string, video: true };
    const seed = IMAGE_SEED.exec(path);
    if (seed) return { route: 'image-seed', id: decodeURIComponent(seed[1] as string) };
    const fetch = FETCH.exec(path);
    if (fetch) return { route: 'fetch', id: decodeURIComponent(fetch[1] as string) };
    if (LIST.test(path)) return { route: 'list' };
    return null;
  }
  if (method !== 'POST') return null;
  if (LIST_BY_CONDITION.test(path))
    return listByCondition ? { route: 'list-by-condition', ...(path.endsWith('-ids') && { alias: true }) } : null;
  const submit = SUBMIT.exec(path);
  if (submit) return { route: submit[1] as RouteName };
  return null;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Parsed JSON, the raw text when it is not JSON, or undefined when empty. */
export function parseBody(text: string): { value: unknown; json: boolean } {
  if (text === '') return { value: undefined, json: false };
  try {
    return { value: JSON.parse(text) as unknown, json: true };
  } catch {
    return { value: text, json: false };
  }
}
