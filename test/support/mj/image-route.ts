// The images route: a task's picture, preview or video as bytes. A Describe's input is served back as it
// was given; otherwise a drawn picture (opts.pictures) or a placeholder of the task's size.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mp4OfSize, pngOfSize, TINY_WEBP } from './images.js';
import { dataUrlBytes } from './image-inputs.js';
import { picturePng, type PictureRequest } from './pictures.js';
import type { RouteMatch } from './routes.js';
import type { TaskStore } from './store.js';
import type { StoredTask } from './task-view.js';

export function serveImage(
  store: TaskStore,
  pictures: boolean,
  match: RouteMatch,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const task = store.get(match.id ?? '');
  if (!task) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
    return;
  }
  const described = !match.video && match.previewStep === undefined ? dataUrlBytes(task.describedImage) : null;
  if (described !== null) {
    res.writeHead(200, { 'content-type': described.type, 'content-length': described.bytes.length });
    res.end(req.method === 'HEAD' ? undefined : described.bytes);
    return;
  }
  const picture = pictures && !match.video ? picturePng(pictureRequest(store, task, match.previewStep)) : null;
  const bytes =
    picture ??
    (match.video
      ? mp4OfSize(task.imageBytes)
      : match.previewStep === undefined
        ? pngOfSize(task.imageBytes)
        : TINY_WEBP);
  // A picture preview is a PNG under the .webp name the proxies use: the bot only links previews, and
  // browsers go by the content type.
  res.writeHead(200, {
    'content-type':
      picture !== null
        ? 'image/png'
        : match.video
          ? 'video/mp4'
          : match.previewStep === undefined
            ? 'image/png'
            : 'image/webp',
    'content-length': bytes.length,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** Which picture a task shows: an upscale the tile its parent's grid had, a grid its own prompt's. */
function pictureRequest(store: TaskStore, task: StoredTask, previewStep: number | undefined): PictureRequest {
  const parent = task.parentId !== undefined ? store.get(task.parentId) : undefined;
  const tile = /::(?:upsample|video_virtual_upscale)::([1-4])\b/.exec(task.description)?.[1];
  const base =
    parent && tile !== undefined
      ? { prompt: parent.prompt, tile: Number(tile) }
      : { prompt: task.action === 'IMAGINE' ? task.prompt : `${task.prompt}/${task.id}` };
  return previewStep === undefined ? base : { ...base, progress: previewStep };
}
