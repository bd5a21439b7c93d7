// /submit/describe and /submit/blend: the submits whose input is images, not a prompt.
// - NZK: describe {base64} (controller/SubmitController.java L152-170), blend {base64Array (2–5),
//   dimensions} (L172-196; dto/SubmitBlendDTO.java), data URLs only; "base64Array长度必须为2-5" for the count.
// - FORK: describe also takes `link` (an http URL, always allowed) and `base64` (refused by the upload
//   switch, see ./dialects/fork.ts); blend is not behind that switch; both take botType and accountFilter
//   (Dto/SubmitDescribeDTO.cs L38-59, SubmitController.cs L280-338 and L383-426, Dto/SubmitBlendDTO.cs L50).
// - new-api relays both (router/relay-router.go L92) and bills them as mj_describe and mj_blend.
// A DESCRIBE result holds its four prompts in finalPrompt (and promptEn) as "1️⃣ …\n\n2️⃣ …" (./describe.ts).
import { readImage, readImageArray } from './image-inputs.js';
import { hookOf, speedAndBot, type SubmitDeps } from './submit.js';
import {
  accepted,
  aggregatorRewrite,
  CREATES_TASK,
  envelope,
  forcedFailure,
  ok,
  str,
  type Reply,
} from './submit-replies.js';
import type { StoredTask } from './task-view.js';

type Json = Record<string, unknown>;
const DIMENSIONS = new Set(['PORTRAIT', 'SQUARE', 'LANDSCAPE']);
/** The --ar each dimension stands for (NZK enums/BlendDimensions.java). */
const ASPECT: Record<string, string> = { PORTRAIT: '2:3', SQUARE: '1:1', LANDSCAPE: '3:2' };

function created(deps: SubmitDeps, task: StoredTask, body: Json, path: string): Reply {
  Object.assign(task, speedAndBot(body, '', path));
  deps.changed(task);
  const reply = accepted(deps, task, undefined, false);
  return deps.flavor === 'aggregator' ? aggregatorRewrite(reply, task.aggregatorAction) : reply;
}

export function submitDescribe(deps: SubmitDeps, body: Json, path = ''): Reply {
  const forced = deps.takeForced('describe');
  if (forced && !CREATES_TASK.has(forced.code)) return forcedFailure(deps.store, forced, '');
  const link = str(body.link);
  const given = str(body.base64) !== '' ? body.base64 : deps.rules.images.acceptsUrls && link !== '' ? link : undefined;
  if (given === undefined) return ok(envelope(4, 'base64不能为空', null));
  const image = readImage(given, deps.rules.images);
  if (!image.ok) return ok(envelope(4, image.description, null));
  const task = deps.store.create(
    {
      action: 'DESCRIBE',
      prompt: '',
      description: '/describe',
      state: str(body.state),
      startedAt: deps.now(),
      ...(hookOf(deps, body) && { notifyHook: hookOf(deps, body) }),
    },
    deps.takeTaskOptions(''),
  );
  const [kept = ''] = image.images;
  if (kept.startsWith('data:')) task.describedImage = kept;
  else task.imageUrl = kept;
  return created(deps, task, body, path);
}

export function submitBlend(deps: SubmitDeps, body: Json, path = ''): Reply {
  const forced = deps.takeForced('blend');
  if (forced && !CREATES_TASK.has(forced.code)) return forcedFailure(deps.store, forced, '');
  const images = readImageArray(body.base64Array, deps.rules.images);
  if (!images.ok) return ok(envelope(4, images.description, null));
  if (images.images.length < 2 || images.images.length > 5) return ok(envelope(4, 'base64Array长度必须为2-5', null));
  const dimensions = str(body.dimensions) === '' ? 'SQUARE' : str(body.dimensions).toUpperCase();
  if (!DIMENSIONS.has(dimensions)) return ok(envelope(4, 'dimensions参数错误', null));
  const task = deps.store.create(
    {
      action: 'BLEND',
      // The prompt MJ's /blend shows: the uploaded images' links and the aspect ratio (ASSUMPTION: the
      // stand-in writes placeholders for the links).
      prompt: `${images.images.map((_, i) => `<image ${i + 1}>`).join(' ')} --ar ${ASPECT[dimensions]}`,
      description: '/blend',
      state: str(body.state),
      startedAt: deps.now(),
      ...(hookOf(deps, body) && { notifyHook: hookOf(deps, body) }),
    },
    deps.takeTaskOptions(''),
  );
  return created(deps, task, body, path);
}
