// How a TaskUpdate becomes a Discord message body: silent progress messages, result messages that
// mention the requester, content hashes (skip identical edits) and deterministic nonces (a repeated
// send after a crash returns the message Discord already has instead of creating a second one).
import { createHash } from 'node:crypto';
import { say, translatorFor, type Translate } from '../i18n/index.js';
import type { MjTask } from '../mj/schema.js';
import { SUPPRESS_NOTIFICATIONS, type MessageBody } from './messenger.js';
import type { TaskUpdate } from './types.js';
import type { TrackedTask } from '../store/tracked-tasks.js';

/** The options the publisher passes to the renderer (a subset of src/render/task-message.ts RenderOptions). */
export interface RenderRequest {
  requesterId?: string;
  /** Show the image as `attachment://<name>`; the publisher uploads the file with that name. */
  imageAttachmentName?: string;
  note?: string;
  /** The bot's own reason for a synthetic end, shown instead of the task's failReason. */
  reason?: string;
  timedOut?: boolean;
  disableButtons?: boolean;
  /** The channel's language, fixed when the task was followed (TrackedTask.locale); default English. */
  t?: Translate;
}

/** What the renderer returns (structurally, src/render/task-message.ts TaskMessagePayload). */
export interface RenderedMessage {
  content: string;
  embeds: readonly unknown[];
  components: readonly unknown[];
  allowed_mentions?: { parse: readonly string[]; users?: readonly string[] };
}

/** `renderTask` from src/render/task-message.ts fits this type. */
export type RenderFn = (task: MjTask, opts: RenderRequest) => RenderedMessage;

function renderRequest(update: TaskUpdate, imageAttachmentName?: string): RenderRequest {
  const t = translatorFor(update.tracked.locale);
  const req: RenderRequest = { t };
  if (update.tracked.requesterId) req.requesterId = update.tracked.requesterId;
  if (update.note) req.note = say(t, update.note);
  if (update.reason) req.reason = say(t, update.reason);
  if (update.timedOut) req.timedOut = true;
  if (imageAttachmentName) req.imageAttachmentName = imageAttachmentName;
  return req;
}

/** Progress: shows the mention like Midjourney does, but pings nobody and makes no notification. */
export function progressBody(render: RenderFn, update: TaskUpdate): MessageBody {
  const r = render(update.task, renderRequest(update));
  return {
    content: r.content,
    embeds: r.embeds,
    components: r.components,
    allowed_mentions: { parse: [], users: [] },
    flags: SUPPRESS_NOTIFICATIONS,
  };
}

/** Result: a new message that pings the requester (and nobody else). */
export function resultBody(render: RenderFn, update: TaskUpdate, imageAttachmentName?: string): MessageBody {
  const r = render(update.task, renderRequest(update, imageAttachmentName));
  const requester = update.tracked.requesterId;
  return {
    content: r.content,
    embeds: r.embeds,
    components: r.components,
    allowed_mentions: { parse: [], users: requester ? [requester] : [] },
  };
}

export function bodyHash(body: MessageBody): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 32);
}

function nonceFor(prefix: string, tracked: Pick<TrackedTask, 'taskId' | 'startedAt'>): string {
  // 1 + 24 characters: Discord accepts nonces up to 25. Derived from (taskId, startedAt) so it is
  // the same after a restart but differs when a finished task is followed again.
  return (
    prefix + createHash('sha256').update(`${tracked.taskId}:${tracked.startedAt}`).digest('base64url').slice(0, 24)
  );
}

/** Nonce of the result message of this follow. */
export const resultNonce = (tracked: Pick<TrackedTask, 'taskId' | 'startedAt'>): string => nonceFor('r', tracked);
/** Nonce of the progress message of this follow (a lost "created" answer does not make a second one). */
export const progressNonce = (tracked: Pick<TrackedTask, 'taskId' | 'startedAt'>): string => nonceFor('p', tracked);
